namespace OrderFlow.Fulfillment.Merchants;

/// <summary>A merchant whose storefront sends orders, with the secrets valid now (more than one during a rotation).</summary>
public sealed record Merchant(string Id, string Name, IReadOnlyList<string> Secrets);
