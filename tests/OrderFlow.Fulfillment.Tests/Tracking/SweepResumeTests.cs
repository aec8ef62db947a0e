using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>
/// The tracking sweep applies a batch of supplier orders' news and then wakes all their workflows with one resume: each
/// order's workflow must be woken with its own news.
/// </summary>
public sealed class SweepResumeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_NewsForSeveralOrdersInOneBatch_EachOrdersWorkflowIsWokenWithItsOwnNews()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0 });
        var orders = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add(await world.SubmitAsync(SampleOrders.Valid($"SWEEP-RESUME-{i}", ("MUG-RED", 1))));
        }

        await world.DriveUntilAsync(async () => (await StatusesAsync(world, orders)).All(s => s == "placed"));

        // All three ship at the supplier at once, and no news follows for a day (the transit). With the clock past every
        // order's next poll, one sweep sees the three together, in one batch.
        await world.SetKnobsAsync(new { shipDelaySeconds = 0.0, transitSeconds = 100_000.0 });
        world.Host.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.SweepAsync();

        foreach (var order in orders)
        {
            // Its wait was resumed, with its own supplier order's news.
            Assert.Equal(await world.Host.ScalarAsync<string>("SELECT supplier_order_id FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", order)),
                await world.Host.ScalarAsync<string>("""
                    SELECT b.payload->>'supplierOrder' FROM engine.bookmarks b JOIN fulfillment.orders o ON o.workflow_instance_id = b.instance_id
                    WHERE o.id = @id AND b.name = 'order-update' AND b.resumed_at IS NOT NULL
                    """, ("id", order)));
        }

        await world.DriveUntilAsync(async () => (await StatusesAsync(world, orders)).All(s => s is "shipped" or "delivered"));
    }

    private static async Task<List<string?>> StatusesAsync(SimulatedWorld world, IEnumerable<Guid> orders)
    {
        var statuses = new List<string?>();
        foreach (var order in orders)
        {
            statuses.Add(await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", order)));
        }

        return statuses;
    }
}
