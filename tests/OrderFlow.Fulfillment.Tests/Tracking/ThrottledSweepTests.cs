using Microsoft.Extensions.Time.Testing;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>
/// While a surge of slow acknowledgements has stopped this process's bursts, the tracking sweep returns at once: it is a
/// Hangfire recurring job, and waiting for a turn would hold a Hangfire worker. The news waits for the sweep after the surge.
/// </summary>
public sealed class ThrottledSweepTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_NoBurstAllowed_ReturnsAtOnceAndTheNextSweepAfterTheSurgeAppliesTheNews()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var surge = new ForegroundSurge();
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, clock: clock, configure: surge.AddTo);
        await world.SetKnobsAsync(new { transitSeconds = 3_600.0, splitShipmentRate = 0.0 });
        var order = await world.SubmitAsync(SampleOrders.Valid("SURGE-1", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () =>
            await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @o AND status = 'accepted'", ("o", order)) > 0);
        // The supplier ships it meanwhile: a sweep now has news for this order.
        clock.Advance(TimeSpan.FromMinutes(10));
        surge.StopBursts();

        var sweep = world.SweepAsync();
        Assert.Same(sweep, await Task.WhenAny(sweep, Task.Delay(TimeSpan.FromSeconds(10))));
        await sweep;

        Assert.Equal(0L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @o", ("o", order)));
        Assert.Equal("accepted", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order)));

        surge.End();
        await world.SweepAsync();

        Assert.Equal(1L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @o", ("o", order)));
        Assert.Equal("shipped", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order)));
    }
}
