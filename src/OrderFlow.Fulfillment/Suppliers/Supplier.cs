namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>A supplier OrderFlow places orders with: its protocol, where it listens and its credentials.</summary>
public sealed record Supplier(string Id, string Name, string Protocol, string BaseUrl, string ApiKey, int Priority, bool Active);
