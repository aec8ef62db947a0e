using System.Net;
using System.Text;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Server.Tests;

/// <summary>
/// Found by the chaos suite (overload scenario): within the per-merchant rate, a burst of intake requests each held a pooled
/// database connection; with the bursts' workers holding the rest, requests waited out the pool timeout and got 500. Intake
/// now works on a bounded number of requests per process and answers the rest 429 with Retry-After.
/// </summary>
public sealed class Bug_IntakeOverload_DrainedThePoolAndAnswered500(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Intake:RateLimits:MaxConcurrentPerProcess"] = "1",
            ["OrderFlow:Intake:RateLimits:MaxQueuedPerProcess"] = "1",
        });
        _ = _server.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Intake_MoreConcurrentRequestsThanTheProcessTakes_429WithRetryAfterNever5xx()
    {
        var client = _server.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            client.PostAsync("/webhooks/any-shop/orders", new StringContent("{}", Encoding.UTF8, "application/json"))));

        Assert.DoesNotContain(answers, a => (int)a.StatusCode >= 500);
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, a => Assert.NotNull(a.Headers.RetryAfter));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Unauthorized);
    }
}
