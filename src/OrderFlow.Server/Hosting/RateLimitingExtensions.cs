using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

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
        services.AddRateLimiter(_ => { });
        // Read when the options are first used, so settings added late (tests, other configuration sources) apply.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<IntakeRateLimitOptions>>((options, intake) =>
        {
            var limits = intake.Value;
            // Three limiters chained: one bucket per merchant (whatever address sends), one per address (whatever merchant it
            // names), and how many intake requests this process works on at once (each holds a pooled database connection).
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Merchant(context) is not null
                    ? RateLimitPartition.GetConcurrencyLimiter("intake", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = limits.MaxConcurrentPerProcess,
                        QueueLimit = limits.MaxQueuedPerProcess,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter("")),
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
        context.Request.Path.StartsWithSegments("/webhooks", out var rest) && rest.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var merchant, ..]
            ? merchant
            : null;

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
