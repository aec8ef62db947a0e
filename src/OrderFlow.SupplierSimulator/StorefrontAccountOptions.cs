namespace OrderFlow.SupplierSimulator;

/// <summary>One storefront's webhook secret, bound from <c>Simulator:Storefronts:{merchantId}</c>.</summary>
internal sealed class StorefrontAccountOptions
{
    public string? Secret { get; set; }
}
