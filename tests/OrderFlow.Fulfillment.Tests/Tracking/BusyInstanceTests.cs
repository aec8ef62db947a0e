using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>
/// The tracking sweep passes over an order whose workflow instance is in a burst (its row locked) instead of waiting for
/// it: the news is left, due again at once, and the next sweep applies it.
/// </summary>
public sealed class BusyInstanceTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_InstanceLockedByABurst_NewsLeftDueAtOnceAndAppliedByTheNextSweep()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, clock: clock);
        await world.SetKnobsAsync(new { transitSeconds = 3_600.0, splitShipmentRate = 0.0 });
        var order = await world.SubmitAsync(SampleOrders.Valid("BUSY-1", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () =>
            await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @o AND status = 'accepted'", ("o", order)) > 0);
        var instance = await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @o", ("o", order));
        // The supplier ships it meanwhile: the next sweep has news for this order.
        clock.Advance(TimeSpan.FromMinutes(10));

        await using (var burst = await world.Host.DataSource.OpenConnectionAsync())
        {
            await using var tx = await burst.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand("SELECT 1 FROM engine.workflow_instances WHERE id = $1 FOR UPDATE", burst, tx) { Parameters = { new() { Value = instance } } })
            {
                await hold.ExecuteScalarAsync();
            }

            var sweep = world.SweepAsync();
            Assert.Same(sweep, await Task.WhenAny(sweep, Task.Delay(TimeSpan.FromSeconds(30))));
            await sweep;

            Assert.Equal(0L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @o", ("o", order)));
            Assert.Equal("accepted", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order)));
            Assert.True(await world.Host.ScalarAsync<DateTime>("SELECT next_poll_at FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order))
                <= clock.GetUtcNow().UtcDateTime, "news left for a busy instance is due again at once");
            await tx.RollbackAsync();
        }

        await world.SweepAsync();

        Assert.Equal(1L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @o", ("o", order)));
        Assert.Equal("shipped", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @o", ("o", order)));
    }
}
