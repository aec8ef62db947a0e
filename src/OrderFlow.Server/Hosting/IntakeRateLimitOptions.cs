using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Server.Hosting;

/// <summary>Rate limits of the intake webhooks (<c>OrderFlow:Intake:RateLimits</c>): token buckets per merchant and per sender address.</summary>
public sealed class IntakeRateLimitOptions
{
    public const string Section = "OrderFlow:Intake:RateLimits";

    [Range(1, 1_000_000)]
    public int PerMerchantPerSecond { get; set; } = 1_000;

    [Range(1, 1_000_000)]
    public int PerMerchantBurst { get; set; } = 2_000;

    [Range(1, 1_000_000)]
    public int PerAddressPerSecond { get; set; } = 2_000;

    [Range(1, 1_000_000)]
    public int PerAddressBurst { get; set; } = 4_000;

    /// <summary>
    /// Intake requests one process works on at once. New webhooks share the inbox's two connections (group commit), but a
    /// duplicate's lookup and a reconciliation batch each hold a connection of their own, so this keeps an overload from
    /// draining the connection pool (100 by default), which would answer 500. Too low a bound caps intake at saturation
    /// (16 did; measured in docs/benchmarks-history.md).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPerProcess { get; set; } = 64;

    /// <summary>
    /// Intake requests that may wait for one of those places (oldest first; a wait holds no connection). A storefront's
    /// burst of resends of one order is answered 2xx from the queue; beyond it, 429 with Retry-After.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxQueuedPerProcess { get; set; } = 1_024;
}
