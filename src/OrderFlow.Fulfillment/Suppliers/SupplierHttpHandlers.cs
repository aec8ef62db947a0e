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
            TimeSpan? reserved;
            try
            {
                reserved = await limiter.ReserveAsync(supplierId, rate, supplier.RateLimitBurst ?? 1, maxWait, cancellationToken);
            }
            catch (Npgsql.NpgsqlException e)
            {
                // Transient like a network error (retried), never mistaken for the supplier refusing the request.
                throw new HttpRequestException($"The rate limiter of supplier {supplierId} could not be reached.", e);
            }

            var wait = reserved ?? throw new HttpRequestException($"Supplier {supplierId} is rate-limited to {rate} requests per second; its queue is longer than {maxWait.TotalSeconds} s.");
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

/// <summary>
/// Next to the socket: reads each supplier answer whole, inside the attempt's timeout, and refuses one larger than
/// <see cref="FulfillmentOptions.MaxSupplierResponseBytes"/> (by its Content-Length, or while reading a body without one).
/// So a supplier can neither make the process buffer gigabytes nor trickle a body past the timeouts; the refusal is an
/// <see cref="HttpRequestException"/>, retried and counted like a dropped connection.
/// </summary>
public sealed class SupplierResponseLimitHandler(IOptions<FulfillmentOptions> options, FulfillmentMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            var max = options.Value.MaxSupplierResponseBytes;
            if (response.Content.Headers.ContentLength > max)
            {
                throw TooLarge(request, max, metrics);
            }

            var body = new MemoryStream();
            await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                var chunk = new byte[16_384];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
                {
                    if (body.Length + read > max)
                    {
                        throw TooLarge(request, max, metrics);
                    }

                    body.Write(chunk, 0, read);
                }
            }

            var buffered = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            foreach (var header in response.Content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content.Dispose();
            response.Content = buffered;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // Names the supplier and the path only: the query could carry references, the headers credentials.
    private static HttpRequestException TooLarge(HttpRequestMessage request, int max, FulfillmentMetrics metrics)
    {
        var supplier = SupplierClients.SupplierOf(request) ?? request.RequestUri?.Host ?? "";
        metrics.SupplierBadAnswer(supplier, "too_large");
        return new($"Supplier {supplier} answered {request.Method} {request.RequestUri?.AbsolutePath} with more than {max} bytes; refused.");
    }
}
