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
}
