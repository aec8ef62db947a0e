using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>
/// The tracking sweep leaves a supplier's news for the next sweep rather than wait for it to become applicable: for an
/// order whose workflow instance is in a burst (its row locked), and while a surge of slow acknowledgements has stopped
/// this process's bursts (the sweep is a Hangfire recurring job: waiting for a turn would hold a Hangfire worker). Either
/// way the sweep returns, and the next one applies the news.
/// </summary>
public sealed class DeferredNewsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_InstanceLockedByABurst_NewsLeftDueAtOnceAndAppliedByTheNextSweep()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, clock: clock);
        var order = await AcceptedThenShippedAsync(world, clock, "BUSY-1");
        var instance = await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @o", ("o", order));

        await using (var burst = await world.Host.DataSource.OpenConnectionAsync())
        {
            await using var tx = await burst.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand("SELECT 1 FROM engine.workflow_instances WHERE id = $1 FOR UPDATE", burst, tx) { Parameters = { new() { Value = instance } } })
            {
                await hold.ExecuteScalarAsync();
            }

            await SweepReturnsWithinAsync(world, TimeSpan.FromSeconds(30));

            await AssertNewsAppliedAsync(world, order, applied: false);
            Assert.True(await world.Host.ScalarAsync<DateTime>("SELECT next_poll_at FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order))
                <= clock.GetUtcNow().UtcDateTime, "news left for a busy instance is due again at once");
            await tx.RollbackAsync();
        }

        await world.SweepAsync();

        await AssertNewsAppliedAsync(world, order, applied: true);
    }

    [Fact]
    public async Task Sweep_NoBurstAllowed_ReturnsAtOnceAndTheNextSweepAfterTheSurgeAppliesTheNews()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var surge = new ForegroundSurge();
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, clock: clock, configure: surge.AddTo);
        var order = await AcceptedThenShippedAsync(world, clock, "SURGE-1");
        surge.StopBursts();

        await SweepReturnsWithinAsync(world, TimeSpan.FromSeconds(10));

        await AssertNewsAppliedAsync(world, order, applied: false);

        surge.End();
        await world.SweepAsync();

        await AssertNewsAppliedAsync(world, order, applied: true);
    }

    /// <summary>An order its supplier has accepted and, ten minutes on, shipped: the next sweep has news for it.</summary>
    private static async Task<Guid> AcceptedThenShippedAsync(SimulatedWorld world, FakeTimeProvider clock, string merchantOrderId)
    {
        await world.SetKnobsAsync(new { transitSeconds = 3_600.0, splitShipmentRate = 0.0 });
        var order = await world.SubmitAsync(SampleOrders.Valid(merchantOrderId, ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () =>
            await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @o AND status = 'accepted'", ("o", order)) > 0);
        clock.Advance(TimeSpan.FromMinutes(10));
        return order;
    }

    private static async Task SweepReturnsWithinAsync(SimulatedWorld world, TimeSpan limit)
    {
        var sweep = world.SweepAsync();
        Assert.Same(sweep, await Task.WhenAny(sweep, Task.Delay(limit)));
        await sweep;
    }

    private static async Task AssertNewsAppliedAsync(SimulatedWorld world, Guid order, bool applied)
    {
        Assert.Equal(applied ? 1L : 0L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @o", ("o", order)));
        Assert.Equal(applied ? "shipped" : "accepted", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order)));
    }
}
