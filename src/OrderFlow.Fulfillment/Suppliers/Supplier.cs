namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// A supplier OrderFlow places orders with: its protocol, where it listens, its credentials and its connector limits.
/// <see cref="AuthType"/> is api_key (the key in header <see cref="AuthHeader"/>, default X-Api-Key), bearer, basic
/// (<see cref="ApiKey"/> holds "user:password") or hmac (<see cref="ApiKey"/> holds "keyId:secret"; see <see cref="HmacRequestSigner"/>).
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

    /// <summary>Timeout of one HTTP attempt, in seconds; null: the global <c>SupplierAttemptTimeoutSeconds</c>.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Requests per second across every server process; null: unlimited.</summary>
    public double? RateLimitPerSecond { get; init; }

    /// <summary>Requests that may go back to back before the rate applies; null: one.</summary>
    public int? RateLimitBurst { get; init; }

    /// <summary>Confirm stock with the supplier's API before placing, when its protocol can (<see cref="ISupplierStockCheck"/>).</summary>
    public bool LiveStockCheck { get; init; }
}
