namespace OrderFlow.SupplierSimulator;

/// <summary>One simulated supplier's credentials, bound from <c>Simulator:Suppliers:{id}</c>.</summary>
internal sealed class SupplierAccountOptions
{
    public string? ApiKey { get; set; }
}
