using Microsoft.Extensions.Options;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// Outermost handler of the supplier HTTP pipeline: waits for the supplier's rate limit (shared by all processes, see
/// <see cref="SupplierRateLimiter"/>) before a call and its retries start. A call that would wait longer than the
/// supplier's total timeout fails at once as a transient error, so it is retried later like an unreachable supplier.
/// </summary>
public sealed class SupplierRateLimitHandler(SupplierClients clients, SupplierRateLimiter limiter, IOptions<FulfillmentOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (SupplierClients.SupplierOf(request) is { } supplierId && clients.Current(supplierId) is { RateLimitPerSecond: { } rate } supplier)
        {
            var maxWait = SupplierClients.TotalTimeout(supplier, options.Value);
            var wait = await limiter.ReserveAsync(supplierId, rate, supplier.RateLimitBurst ?? 1, maxWait, cancellationToken)
                ?? throw new HttpRequestException($"Supplier {supplierId} is rate-limited to {rate} requests per second; its queue is longer than {maxWait.TotalSeconds} s.");
            if (wait > TimeSpan.Zero)
            {
                // Pacing real requests: the wall clock, like the pipeline's timeouts.
                await Task.Delay(wait, TimeProvider.System, cancellationToken);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Innermost handler: signs each attempt of a request to an hmac supplier (<see cref="HmacRequestSigner"/>), with a fresh timestamp.</summary>
public sealed class SupplierSigningHandler(SupplierClients clients) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (SupplierClients.SupplierOf(request) is { } supplierId && clients.Current(supplierId) is { AuthType: SupplierAuthTypes.Hmac } supplier)
        {
            // The supplier compares the timestamp with its own clock: the wall clock, even in a host whose domain clock is simulated.
            await HmacRequestSigner.SignAsync(request, supplier.ApiKey, TimeProvider.System.GetUtcNow(), cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
