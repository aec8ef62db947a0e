using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using Xunit.Abstractions;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// 100,000 generated and mutated payloads in every intake format, signed correctly (a few tampered after signing) so they
/// reach parsing and validation, sent through the real HTTP pipeline to a server on PostgreSQL. Not one may get a 5xx or
/// reach the exception handler.
/// </summary>
public sealed class IntakeFuzzTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    /// <summary>100,000 unless ORDERFLOW_FUZZ_PAYLOADS asks for more (or fewer, while working on the fuzzer).</summary>
    private static readonly int Payloads = int.TryParse(Environment.GetEnvironmentVariable("ORDERFLOW_FUZZ_PAYLOADS"), out var n) ? n : 100_000;
    private const string AfterShipSecret = "aftership-fuzz-secret";
    private ServerFactory _server = null!;
    private WebApplicationFactory<Program> _app = null!;
    private readonly ExceptionCounter _exceptions = new();

    public Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:CarrierWebhooks:AfterShipSecret"] = AfterShipSecret,
            ["OrderFlow:Server:HangfireWorkers"] = "1",
            ["OrderFlow:Intake:RateLimits:PerMerchantPerSecond"] = "1000000",
            ["OrderFlow:Intake:RateLimits:PerMerchantBurst"] = "1000000",
            ["OrderFlow:Intake:RateLimits:PerAddressPerSecond"] = "1000000",
            ["OrderFlow:Intake:RateLimits:PerAddressBurst"] = "1000000",
            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Serilog:MinimumLevel:Override:OrderFlow"] = "Error",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Error",
        });
        _app = _server.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IExceptionHandler>(_exceptions)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Intake_100000GeneratedAndMutatedPayloads_No5xxAndNoUnhandledException()
    {
        var admin = _app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("admin:admin-password-1"u8.ToArray()));
        var created = await admin.PostAsJsonAsync("/api/merchants", new { id = "fuzz-shop", name = "Fuzz" });
        var secret = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        var client = _app.CreateClient();
        var statuses = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var sent = 0;
        long buildTicks = 0;
        var watch = Stopwatch.StartNew();

        var gen = Gen.Select(Gen.Int[0, IntakeFuzzPayloads.Formats.Length - 1], Gen.Int, Gen.Int[0, 9], Gen.Int[0, 99]);
        await gen.SampleAsync(async (format, seed, mutation, tamper) =>
        {
            var name = IntakeFuzzPayloads.Formats[format];
            var started = Stopwatch.GetTimestamp();
            var body = IntakeFuzzPayloads.Build(name, seed, mutation);
            Interlocked.Add(ref buildTicks, Stopwatch.GetTimestamp() - started);
            using var request = Sign(name, body, secret, tamperAfterSigning: tamper < 3);
            using var response = await client.SendAsync(request);
            Interlocked.Increment(ref sent);
            statuses.AddOrUpdate($"{name} {(int)response.StatusCode}", 1, (_, n) => n + 1);
            if ((int)response.StatusCode >= 500 && failures.Count < 20)
            {
                failures.Enqueue($"{name} seed {seed} mutation {mutation}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }, iter: Payloads, threads: 4);

        var report = $"""
            Intake fuzzing: {sent} payloads in {watch.Elapsed.TotalSeconds:F0} s ({IntakeFuzzPayloads.Formats.Length} formats, CsCheck-driven), {statuses.Where(s => s.Key.EndsWith(" 500") || int.Parse(s.Key[^3..], CultureInfo.InvariantCulture) >= 500).Sum(s => s.Value)} answers 5xx, {_exceptions.Count} unhandled exceptions
            {string.Join("\n", statuses.OrderBy(s => s.Key).Select(s => $"  {s.Key,-20} {s.Value,7}"))}
            {string.Join("\n", failures.Select(f => "  5xx: " + f))}
            {string.Join("\n", _exceptions.Kinds.Take(20).Select(k => "  exception: " + k))}
              (building payloads took {Stopwatch.GetElapsedTime(0, buildTicks).TotalSeconds:F1} s of thread time)
            """;
        output.WriteLine(report);
        SecurityReport.Write("intake-fuzzing", report);
        Assert.True(sent >= Payloads, $"Only {sent} payloads were sent.");
        Assert.True(failures.IsEmpty && _exceptions.Count == 0, report);
    }

    private static HttpRequestMessage Sign(string format, byte[] body, string secret, bool tamperAfterSigning)
    {
        var headers = new Dictionary<string, string?>();
        string path;
        switch (format)
        {
            case "standard" or "batch":
                path = format == "batch" ? "/webhooks/fuzz-shop/orders/batch" : "/webhooks/fuzz-shop/orders";
                var id = "msg_" + Guid.NewGuid().ToString("N");
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                headers[StandardWebhooks.IdHeader] = id;
                headers[StandardWebhooks.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture);
                headers[StandardWebhooks.SignatureHeader] = StandardWebhooks.Sign(secret, id, timestamp, body);
                break;
            case "shopify":
                path = "/webhooks/fuzz-shop/shopify/orders";
                headers["X-Shopify-Hmac-Sha256"] = AttackKit.BodyHmac(secret, body);
                headers["X-Shopify-Event-Id"] = Guid.NewGuid().ToString();
                headers["X-Shopify-Topic"] = "orders/create";
                break;
            case "woocommerce":
                path = "/webhooks/fuzz-shop/woocommerce/orders";
                headers["X-WC-Webhook-Signature"] = AttackKit.BodyHmac(secret, body);
                headers["X-WC-Webhook-Delivery-ID"] = Guid.NewGuid().ToString();
                headers["X-WC-Webhook-Topic"] = "order.created";
                break;
            default:
                path = "/webhooks/carriers/aftership";
                headers["aftership-hmac-sha256"] = AttackKit.BodyHmac(AfterShipSecret, body);
                break;
        }

        if (tamperAfterSigning && body.Length > 0)
        {
            body = [.. body];
            body[^1] ^= 0x20;
        }

        return AttackKit.Request(path, body, headers);
    }

    /// <summary>Counts what reaches the exception handler (an unhandled exception in a request), then lets the default answer run.</summary>
    private sealed class ExceptionCounter : IExceptionHandler
    {
        private int _count;

        public int Count => _count;

        public ConcurrentQueue<string> Kinds { get; } = new();

        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            if (Kinds.Count < 20)
            {
                Kinds.Enqueue($"{httpContext.Request.Path}: {exception.GetType().Name}: {exception.Message.Split('\n')[0]} at {exception.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("OrderFlow"))?.Trim()}");
            }

            return ValueTask.FromResult(false);
        }
    }
}
