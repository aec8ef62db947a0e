using System.Net;
using System.Text;
using Npgsql;
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

        // The database is slow for a moment: the merchants table is locked, so the request the process works on waits in
        // its merchant lookup (an unknown merchant, so no cache answers for it) and the next one waits in the queue. Every
        // other request must be refused at once, not pile up on the pool. Without the lock the requests would have to
        // overlap by chance (an unknown merchant is answered in about a millisecond).
        await using var blocker = new NpgsqlConnection(db.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE fulfillment.merchants IN ACCESS EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var sends = Enumerable.Range(0, 30)
            .Select(_ => client.PostAsync("/webhooks/any-shop/orders", new StringContent("{}", Encoding.UTF8, "application/json")))
            .ToList();
        await Poll.UntilAsync(() => sends.Count(s => s.IsCompleted) >= 28, "28 of 30 requests answered while the merchants table is locked");
        Assert.Equal(28, sends.Count(s => s.IsCompleted));
        await hold.RollbackAsync();
        var answers = await Task.WhenAll(sends);

        Assert.DoesNotContain(answers, a => (int)a.StatusCode >= 500);
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(28, refused.Count);
        Assert.All(refused, a => Assert.NotNull(a.Headers.RetryAfter));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
    }
}
