using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace OrderFlow.Server.Hosting;

/// <summary>
/// Intake rate limits: a merchant cannot flood the engine, nor can one address on behalf of many merchants. A refused
/// request gets 429 problem details with Retry-After, so well-behaved senders (Shopify, WooCommerce, our sender) back off.
/// </summary>
public static class RateLimitingExtensions
{
    public static IServiceCollection AddOrderFlowRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeRateLimitOptions>().Bind(configuration.GetSection(IntakeRateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var limits = configuration.GetSection(IntakeRateLimitOptions.Section).Get<IntakeRateLimitOptions>() ?? new IntakeRateLimitOptions();
        services.AddRateLimiter(options =>
        {
            // Two limiters chained: one bucket per merchant (whatever address sends) and one per address (whatever merchant it names).
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Merchant(context) is { } merchant
                    ? RateLimitPartition.GetTokenBucketLimiter("merchant:" + merchant, _ => Bucket(limits.PerMerchantPerSecond, limits.PerMerchantBurst))
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Merchant(context) is not null
                    ? RateLimitPartition.GetTokenBucketLimiter("address:" + context.Connection.RemoteIpAddress, _ => Bucket(limits.PerAddressPerSecond, limits.PerAddressBurst))
                    : RateLimitPartition.GetNoLimiter("")));
            options.OnRejected = async (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var delay) ? Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)) : 1;
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(statusCode: 429, title: "Too many requests.", detail: $"Slow down; try again in {retryAfter} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    /// <summary>The merchant an intake request is for; null for every other request (not limited here).</summary>
    private static string? Merchant(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/webhooks") ? context.GetRouteValue("merchant") as string : null;

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
