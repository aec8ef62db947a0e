using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using OrderFlow.SupplierSimulator;

namespace OrderFlow.Chaos;

/// <summary>
/// Plays the merchant's storefront: posts signed orders to whichever server is up and retries what a storefront platform
/// retries (connection errors, 5xx, 429 after its Retry-After) with the same webhook id. Records every answer.
/// </summary>
internal sealed class Storefront(Fleet fleet, HttpClient http, string prefix)
{
    public const string Merchant = "demo-shop";
    private const string IntakeSecret = "whsec_ZGVtby1tZXJjaGFudC1pbnRha2Utc2VjcmV0LTEyMzQ1Ng==";

    private readonly Random _random = new(prefix.GetHashCode(StringComparison.Ordinal));
    private int _next;

    /// <summary>Merchant order id → our order id, for every order that got a 2xx.</summary>
    public ConcurrentDictionary<string, Guid> Acknowledged { get; } = new();

    public ConcurrentDictionary<int, int> Answers { get; } = new();

    public int TooManyWithoutRetryAfter;
    public int Abandoned;

    public int ServerErrors => Answers.Where(a => a.Key >= 500).Sum(a => a.Value);

    /// <summary>Sends <paramref name="rate"/> orders a second for <paramref name="duration"/>; returns once every send finished.</summary>
    public async Task SendAsync(double rate, TimeSpan duration, TimeSpan retryFor, CancellationToken ct = default)
    {
        var sends = new List<Task>();
        var clock = Stopwatch.StartNew();
        var count = (int)(rate * duration.TotalSeconds);
        for (var n = 0; n < count; n++)
        {
            var wait = TimeSpan.FromSeconds(n / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            var order = NewOrder();
            sends.Add(SendOneAsync(DemoOrders.ToJson(order), order.OrderId, $"msg_{order.OrderId}", retryFor, ct));
        }

        await Task.WhenAll(sends);
    }

    /// <summary>A plausible order whose merchant order id is the scenario's prefix and a number.</summary>
    public DemoOrder NewOrder()
    {
        var n = Interlocked.Increment(ref _next);
        return DemoOrders.Create(n, _random, prefix) with { OrderId = $"{prefix}{n:00000}" };
    }

    /// <summary>Posts one order until it is acknowledged or <paramref name="retryFor"/> has passed; true when acknowledged.</summary>
    public async Task<bool> SendOneAsync(string body, string merchantOrderId, string webhookId, TimeSpan retryFor, CancellationToken ct = default)
    {
        var started = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            var up = fleet.Up().ToList();
            var server = up.Count > 0 ? up[Random.Shared.Next(up.Count)] : 0;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{fleet.ServerUrl(server)}/webhooks/{Merchant}/orders")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                request.Headers.Add("webhook-id", webhookId);
                request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", StandardWebhooks.Sign(IntakeSecret, webhookId, timestamp, body));
                using var response = await http.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                Answers.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (response.IsSuccessStatusCode)
                {
                    var answer = await response.Content.ReadFromJsonAsync<IntakeAnswer>(ct);
                    Acknowledged[merchantOrderId] = answer!.OrderId;
                    return true;
                }

                if (status == (int)HttpStatusCode.TooManyRequests)
                {
                    retryAfter = response.Headers.RetryAfter?.Delta;
                    if (retryAfter is null)
                    {
                        Interlocked.Increment(ref TooManyWithoutRetryAfter);
                    }
                }
                else if (status < 500)
                {
                    throw new InvalidOperationException($"order {merchantOrderId} refused with {status}: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
            catch (HttpRequestException)
            {
                // The server died or is not up yet: the storefront retries, possibly on another server.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            var delay = retryAfter ?? TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(2, Math.Min(attempt, 10))));
            if (started.Elapsed + delay > retryFor)
            {
                Interlocked.Increment(ref Abandoned);
                return false;
            }

            await Task.Delay(delay, ct);
        }
    }

    private sealed record IntakeAnswer(Guid OrderId, bool Duplicate);
}
