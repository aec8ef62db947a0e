using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>An order split over two suppliers: partially shipped while one line waits, shipped only when every line is.</summary>
public sealed class PartialShipmentTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_OneOfTwoSuppliersShipped_PartiallyShippedUntilEveryLineIsThenShipped()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0, splitShipmentRate = 0.0 });
        // MUG-RED only acme stocks, CAP-GREEN only globex: two supplier orders.
        var orderId = await world.SubmitAsync(SampleOrders.Valid("PS-1", ("MUG-RED", 1), ("CAP-GREEN", 1)));
        await world.DriveUntilAsync(async () => await world.Host.ScalarAsync<long>(
            "SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @o AND status = 'accepted'", ("o", orderId)) == 2);
        // globex's order is not due for a year: its parcel stays unseen while acme's ships.
        await world.Host.ExecuteAsync("UPDATE fulfillment.supplier_orders SET next_poll_at = @far WHERE order_id = @o AND supplier_id = 'globex'",
            ("far", world.Host.Clock.GetUtcNow().AddYears(1)), ("o", orderId));
        await world.SetKnobsAsync(new { shipDelaySeconds = 0.5 });

        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "partially_shipped");
        var rounds = 0;
        await world.DriveUntilAsync(() => Task.FromResult(++rounds > 4));
        var whileWaiting = await world.OrderStatusAsync(orderId);
        var linesWhileWaiting = await LinesAsync(world, orderId);
        var eventsWhileWaiting = await EventsAsync(world, orderId);
        await world.Host.ExecuteAsync("UPDATE fulfillment.supplier_orders SET next_poll_at = NULL WHERE order_id = @o", ("o", orderId));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");
        var events = await EventsAsync(world, orderId);

        Assert.Equal("partially_shipped", whileWaiting);
        Assert.Contains(linesWhileWaiting, l => l.StartsWith("1:", StringComparison.Ordinal) && l is "1:shipped" or "1:delivered");
        Assert.Equal("2:accepted", linesWhileWaiting[1]);
        Assert.Contains("order.partially_shipped", eventsWhileWaiting);
        Assert.DoesNotContain("order.shipped", eventsWhileWaiting);
        Assert.Single(events, e => e == "order.partially_shipped");
        Assert.True(events.IndexOf("order.partially_shipped") < events.IndexOf("order.shipped"));
        Assert.True(events.IndexOf("order.shipped") < events.IndexOf("order.delivered"));
        Assert.Equal(["1:delivered", "2:delivered"], await LinesAsync(world, orderId));
    }

    private static async Task<List<string>> LinesAsync(SimulatedWorld world, Guid orderId) =>
        [.. await world.Host.ScalarAsync<string[]>("SELECT array_agg(line_id || ':' || status ORDER BY line_id) FROM fulfillment.order_lines WHERE order_id = @o", ("o", orderId)) ?? []];

    private static async Task<List<string>> EventsAsync(SimulatedWorld world, Guid orderId) =>
        [.. await world.Host.ScalarAsync<string[]>("SELECT array_agg(type ORDER BY sequence) FROM fulfillment.order_events WHERE order_id = @o", ("o", orderId)) ?? []];
}
