using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Connectors;

/// <summary>Per-supplier timeouts and rate limits, read from the supplier's row by the supplier HTTP pipeline.</summary>
public sealed class ConnectorLimitsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task RateLimiter_TwoProcessesShareOneSupplier_ReservationsSpacedByTheSharedRate()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        await host.ExecuteAsync("INSERT INTO fulfillment.suppliers (id, name, base_url, api_key) VALUES ('paced', 'Paced', 'http://127.0.0.1:9', 'k') ON CONFLICT DO NOTHING");
        await using var otherProcess = NpgsqlDataSource.Create(db.ConnectionString);
        var limiters = new[] { new SupplierRateLimiter(host.DataSource), new SupplierRateLimiter(otherProcess) };

        // One per 10 s with a burst of 2: two go at once, then one 10 s later each, whichever process asks (less the time
        // the reservations themselves took; the slow rate keeps that small in comparison even on a busy machine).
        var watch = Stopwatch.StartNew();
        var waits = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            waits.Add((await limiters[i % 2].ReserveAsync("paced", 0.1, 2, TimeSpan.FromMinutes(1), default))!.Value.TotalSeconds);
        }

        var took = watch.Elapsed.TotalSeconds;
        Assert.True(took < 9, $"the reservations took {took} s, too slow to tell");
        Assert.Equal([0, 0], waits.Take(2));
        for (var i = 2; i < 6; i++)
        {
            Assert.InRange(waits[i], 10 * (i - 1) - took, 10 * (i - 1) + 0.01);
        }
    }

    [Fact]
    public async Task RateLimiter_QueueLongerThanMaxWait_RefusedAndSlotGivenBack()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        await host.ExecuteAsync("INSERT INTO fulfillment.suppliers (id, name, base_url, api_key) VALUES ('slow', 'Slow', 'http://127.0.0.1:9', 'k') ON CONFLICT DO NOTHING");
        var limiter = new SupplierRateLimiter(host.DataSource);

        // One per 10 s, no burst: the second request would wait about 10 s.
        var first = await limiter.ReserveAsync("slow", 0.1, 1, TimeSpan.FromSeconds(1), default);
        var refused = await limiter.ReserveAsync("slow", 0.1, 1, TimeSpan.FromSeconds(1), default);
        var waited = await limiter.ReserveAsync("slow", 0.1, 1, TimeSpan.FromSeconds(30), default);

        Assert.Equal(TimeSpan.Zero, first);
        Assert.Null(refused);
        // Had the refused request kept its slot, this one would wait about 20 s.
        Assert.InRange(waited!.Value.TotalSeconds, 5, 10.01);
    }

    [Fact]
    public async Task SupplierCalls_RateLimitInSupplierRow_PacedThroughTheHttpPipeline()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.ChangeSuppliersAsync("UPDATE fulfillment.suppliers SET rate_limit_per_second = 5, rate_limit_burst = 1 WHERE id = 'acme'");
        var acme = await world.Host.Services.GetRequiredService<SupplierClients>().ForAsync("acme", default);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 6; i++)
        {
            await acme.GetCatalogAsync(default);
        }

        // Six calls at five per second, one at a time: at least a second.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"six calls took {watch.Elapsed}");
        await world.ChangeSuppliersAsync("UPDATE fulfillment.suppliers SET rate_limit_per_second = NULL, rate_limit_burst = NULL");
    }

    [Fact]
    public async Task SupplierCalls_TimeoutInSupplierRowShorterThanLatency_TimeOutWhileTheGlobalTimeoutWouldNot()
    {
        // Generous global timeouts, so the slow answers (2.5 s) arrive in time even on a busy machine unless the row says otherwise.
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Fulfillment:SupplierAttemptTimeoutSeconds"] = "10",
            ["OrderFlow:Fulfillment:SupplierTotalTimeoutSeconds"] = "30",
        });
        await world.SetKnobsAsync(new { latencyMs = 2500 });
        var clients = world.Host.Services.GetRequiredService<SupplierClients>();

        // The global attempt timeout (10 s) lets the slow supplier answer; its own (1 s) does not.
        await world.ChangeSuppliersAsync("UPDATE fulfillment.suppliers SET timeout_seconds = NULL WHERE id = 'globex'");
        var catalogue = await (await clients.ForAsync("globex", default)).GetCatalogAsync(default);
        await world.ChangeSuppliersAsync("UPDATE fulfillment.suppliers SET timeout_seconds = 1 WHERE id = 'globex'");
        var timedOut = await Record.ExceptionAsync(async () => await (await clients.ForAsync("globex", default)).GetCatalogAsync(default));

        Assert.NotEmpty(catalogue);
        Assert.IsType<Polly.Timeout.TimeoutRejectedException>(timedOut is Refit.ApiRequestException { InnerException: { } inner } ? inner : timedOut);
        await world.ChangeSuppliersAsync("UPDATE fulfillment.suppliers SET timeout_seconds = NULL");
    }
}
