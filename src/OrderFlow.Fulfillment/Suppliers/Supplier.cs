namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// A supplier OrderFlow places orders with: its protocol, where it listens and its credentials. <see cref="AuthType"/> is
/// api_key (the key in header <see cref="AuthHeader"/>, default X-Api-Key), bearer, or basic (<see cref="ApiKey"/> holds "user:password").
/// </summary>
public sealed record Supplier
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Protocol { get; init; } = "orderflow";
    public string BaseUrl { get; init; } = "";
    public string ApiKey { get; init; } = "";
    public int Priority { get; init; }
    public bool Active { get; init; }
    public string AuthType { get; init; } = "api_key";
    public string? AuthHeader { get; init; }
}
