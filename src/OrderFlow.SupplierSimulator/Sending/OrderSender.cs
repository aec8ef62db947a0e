using System.Diagnostics;
using System.Net;
using System.Text;
using Serilog;
using ILogger = Serilog.ILogger;

namespace OrderFlow.SupplierSimulator.Sending;

/// <summary>
/// Plays a storefront: sends demo orders to OrderFlow's intake webhook, signed with Standard Webhooks, at a steady rate,
/// retrying what a real storefront platform would retry (connection errors, timeouts, 5xx, 429).
/// </summary>
public sealed class OrderSender(SenderOptions options, HttpClient http, TimeProvider time, Random random, ILogger log)
{
    private const int MaxInFlight = 32;
    private const string OutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary><c>send-orders</c>: 0 when every order got a 2xx, 1 when some did not, 2 for a bad command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = SenderOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"send-orders: {error}\n{SenderOptions.Usage}");
            return 2;
        }

        await using var logger = new LoggerConfiguration().WriteTo.Console(outputTemplate: OutputTemplate).CreateLogger();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        // The composition root is the one place allowed to pick an unseeded seed.
        var random = new Random(options.Seed ?? Random.Shared.Next());
        try
        {
            return await new OrderSender(options, http, TimeProvider.System, random, logger).SendAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            logger.Warning("Interrupted");
            return 1;
        }
    }

    /// <summary>Sends <see cref="SenderOptions.Count"/> orders; true for each one that got a 2xx.</summary>
    public async Task<int> SendAsync(CancellationToken cancellationToken = default)
    {
        var url = new Uri(options.Server, $"webhooks/{Uri.EscapeDataString(options.Merchant)}/orders");
        var start = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / options.Rate);
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var sends = new List<Task<bool>>();
        log.Information("Sending {Count} orders to {Url} at {Rate}/s", options.Count, url, options.Rate);

        for (var n = 1; n <= options.Count; n++)
        {
            var wait = start + interval * (n - 1) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            await inFlight.WaitAsync(cancellationToken);
            var order = DemoOrders.Create(n, random, options.Prefix, start) with { CreatedAt = time.GetUtcNow() };
            sends.Add(SendOneAsync(url, order, inFlight, cancellationToken));
        }

        var results = await Task.WhenAll(sends);
        var failed = results.Count(ok => !ok);
        log.Information("Done: {Succeeded} of {Count} orders accepted, {Failed} failed, in {Seconds:0.0} s",
            results.Length - failed, results.Length, failed, clock.Elapsed.TotalSeconds);
        return failed == 0 ? 0 : 1;
    }

    private async Task<bool> SendOneAsync(Uri url, DemoOrder order, SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        try
        {
            // One id per order, kept across retries, so the receiver can tell a retry from a new message.
            var webhookId = $"msg_{order.OrderId}";
            var body = DemoOrders.ToJson(order);
            var started = time.GetUtcNow();
            for (var attempt = 1; ; attempt++)
            {
                string outcome;
                TimeSpan? retryAfter = null;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url)
                    {
                        Content = new StringContent(body, Encoding.UTF8, "application/json"),
                    };
                    var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
                    request.Headers.Add(StandardWebhooks.IdHeader, webhookId);
                    request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(options.Secret, webhookId, timestamp, body));
                    using var response = await http.SendAsync(request, cancellationToken);
                    var status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        log.Information("{OrderId} accepted: {Status} after {Attempts} attempt(s), {Lines} line(s) to {Country}",
                            order.OrderId, status, attempt, order.Lines.Count, order.ShippingAddress.Country);
                        return true;
                    }

                    if (status != (int)HttpStatusCode.TooManyRequests && status < 500)
                    {
                        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                        log.Error("{OrderId} refused: {Status} {Answer}", order.OrderId, status, answer.Length > 500 ? answer[..500] : answer);
                        return false;
                    }

                    outcome = $"HTTP {status}";
                    retryAfter = RetryAfter(response);
                }
                catch (HttpRequestException e)
                {
                    outcome = e.Message;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    outcome = "timeout";
                }

                var delay = retryAfter ?? Backoff(attempt);
                if (time.GetUtcNow() - started + delay > options.RetryFor)
                {
                    log.Error("{OrderId} failed after {Attempts} attempt(s): {Outcome}", order.OrderId, attempt, outcome);
                    return false;
                }

                log.Warning("{OrderId} attempt {Attempt}: {Outcome}; retrying in {DelayMs} ms",
                    order.OrderId, attempt, outcome, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
        finally
        {
            inFlight.Release();
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, attempt - 1)));

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
