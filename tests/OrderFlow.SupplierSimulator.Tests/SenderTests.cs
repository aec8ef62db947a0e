using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderFlow.SupplierSimulator.Sending;
using Serilog;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class SenderTests
{
    private const string Secret = "whsec_ZGVtby1pbnRha2Utc2VjcmV0LWZvci10ZXN0cw==";

    private sealed record Received(string Path, string? Id, string? Timestamp, string? Signature, string Body, int Answer);

    /// <summary>A stand-in OrderFlow intake endpoint; <paramref name="answer"/> picks the status for the n-th request (1-based).</summary>
    private sealed class Intake : IAsyncDisposable
    {
        private readonly WebApplication _app;

        public Intake(Func<int, HttpResponse, int> answer)
        {
            _app = Build(answer, out var received);
            Requests = received;
        }

        public ConcurrentQueue<Received> Requests { get; }

        public string Url => _app.BaseAddress();

        public Task StartAsync() => _app.StartAsync();

        private static WebApplication Build(Func<int, HttpResponse, int> answer, out ConcurrentQueue<Received> received)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.Urls.Add("http://127.0.0.1:0");
            var queue = received = new ConcurrentQueue<Received>();
            var count = 0;
            app.MapPost("/webhooks/{merchant}/orders", async (HttpContext http) =>
            {
                var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
                var status = answer(Interlocked.Increment(ref count), http.Response);
                queue.Enqueue(new Received(http.Request.Path, http.Request.Headers["webhook-id"], http.Request.Headers["webhook-timestamp"],
                    http.Request.Headers["webhook-signature"], body, status));
                return Results.StatusCode(status);
            });
            return app;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private static async Task<int> SendAsync(string server, params string[] extra)
    {
        var options = SenderOptions.Parse(["--server", server, "--merchant", "demo-shop", "--secret", Secret, "--rate", "50", "--seed", "3", .. extra], out var error);
        Assert.Null(error);
        using var http = new HttpClient();
        await using var log = new LoggerConfiguration().CreateLogger();
        return await new OrderSender(options!, http, TimeProvider.System, new Random(3), log).SendAsync();
    }

    [Fact]
    public async Task Sender_HealthyServer_SendsSignedOrdersAndExitsZero()
    {
        await using var intake = new Intake((_, _) => 202);
        await intake.StartAsync();

        var exit = await SendAsync(intake.Url, "--count", "5", "--prefix", "t-");

        Assert.Equal(0, exit);
        var requests = intake.Requests.ToList();
        Assert.Equal(5, requests.Count);
        Assert.All(requests, r => Assert.Equal("/webhooks/demo-shop/orders", r.Path));
        Assert.All(requests, r => Assert.True(StandardWebhooks.Verify(Secret, r.Id, r.Timestamp, r.Body, r.Signature)));
        Assert.Equal(5, requests.Select(r => r.Id).Distinct().Count());
        var ids = requests.Select(r => (string)JsonNode.Parse(r.Body)!["orderId"]!).Order().ToList();
        Assert.All(ids, id => Assert.Matches(@"^t-\d{14}-000[1-5]$", id));
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task Sender_ServerAnswers503Once_RetriesWithSameWebhookIdAndSucceeds()
    {
        await using var intake = new Intake((n, _) => n == 1 ? 503 : 200);
        await intake.StartAsync();

        var exit = await SendAsync(intake.Url, "--count", "1");

        Assert.Equal(0, exit);
        var requests = intake.Requests.ToList();
        Assert.Equal([503, 200], requests.Select(r => r.Answer));
        Assert.Equal(requests[0].Id, requests[1].Id);
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.True(StandardWebhooks.Verify(Secret, requests[1].Id, requests[1].Timestamp, requests[1].Body, requests[1].Signature));
    }

    [Fact]
    public async Task Sender_TooManyRequestsWithRetryAfter_WaitsThatLong()
    {
        await using var intake = new Intake((n, response) =>
        {
            response.Headers.RetryAfter = "1";
            return n == 1 ? 429 : 200;
        });
        await intake.StartAsync();
        var clock = Stopwatch.StartNew();

        var exit = await SendAsync(intake.Url, "--count", "1");

        Assert.Equal(0, exit);
        Assert.Equal(2, intake.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task Sender_ClientErrorForOneOrder_DoesNotRetryItAndExitsOne()
    {
        await using var intake = new Intake((n, _) => n == 2 ? 400 : 201);
        await intake.StartAsync();

        var exit = await SendAsync(intake.Url, "--count", "3");

        Assert.Equal(1, exit);
        Assert.Equal(3, intake.Requests.Count);
    }

    [Fact]
    public async Task Sender_ServerAlwaysFailing_GivesUpAfterRetryBudgetAndExitsOne()
    {
        await using var intake = new Intake((_, _) => 500);
        await intake.StartAsync();

        var exit = await SendAsync(intake.Url, "--count", "1", "--retry-for", "1");

        Assert.Equal(1, exit);
        Assert.InRange(intake.Requests.Count, 2, 4);
    }

    [Fact]
    public async Task Sender_NothingListening_ExitsOne()
    {
        var exit = await SendAsync("http://127.0.0.1:1", "--count", "1", "--retry-for", "0.5");

        Assert.Equal(1, exit);
    }

    [Theory]
    [InlineData("--merchant", "m", "--secret", Secret)]
    [InlineData("--server", "http://x", "--secret", Secret)]
    [InlineData("--server", "http://x", "--merchant", "m")]
    [InlineData("--server", "http://x", "--merchant", "m", "--secret", "plain")]
    [InlineData("--server", "http://x", "--merchant", "m", "--secret", Secret, "--count", "0")]
    [InlineData("--server", "http://x", "--merchant", "m", "--secret", Secret, "--bogus", "1")]
    public void SenderOptions_MissingOrBadArgument_RejectedWithReason(params string[] args)
    {
        var options = SenderOptions.Parse(args, out var error);

        Assert.Null(options);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public async Task Main_SendOrdersWithBadArguments_ReturnsUsageExitCode()
    {
        var exit = await SimulatorApp.Main(["send-orders", "--count", "3"]);

        Assert.Equal(2, exit);
    }
}
