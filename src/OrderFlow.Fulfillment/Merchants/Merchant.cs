namespace OrderFlow.Fulfillment.Merchants;

/// <summary>A merchant whose storefront sends orders, with the secret that signs them.</summary>
public sealed record Merchant(string Id, string Name, string IntakeSecret);
