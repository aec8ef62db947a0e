using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Customer messages driven by parcel status changes, against the simulator's carrier lifecycle.</summary>
public sealed class ParcelNotificationTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_ParcelGoesOutForDelivery_CustomerToldOnceAlongsideShippedAndDelivered()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        // The start-up sync can time out on a loaded machine; routing needs stock.
        await world.SyncCatalogAsync();
        // Three seconds out for delivery: a sweep on a busy machine can take longer than the fast default's 0.7 s.
        await world.SetKnobsAsync(new { transitSeconds = 9.0 });

        var orderId = await world.SubmitAsync(SampleOrders.Valid("N-1", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        var templates = await world.Host.ScalarAsync<string[]>("SELECT array_agg(template ORDER BY created_at) FROM fulfillment.notifications WHERE order_id = @id", ("id", orderId)) ?? [];
        Assert.Equal(1, templates.Count(t => t == "out_for_delivery"));
        Assert.Contains("shipped", templates);
        Assert.Contains("delivered", templates);
        Assert.Contains("out for delivery", await world.Host.ScalarAsync<string>(
            "SELECT subject FROM fulfillment.notifications WHERE order_id = @id AND template = 'out_for_delivery'", ("id", orderId)));
    }

    [Theory]
    [InlineData(ParcelStatuses.OutForDelivery, "out_for_delivery")]
    [InlineData(ParcelStatuses.AttemptFail, "attempt_failed")]
    [InlineData(ParcelStatuses.AvailableForPickup, "available_for_pickup")]
    [InlineData(ParcelStatuses.Exception, "exception")]
    [InlineData(ParcelStatuses.InTransit, null)]
    [InlineData(ParcelStatuses.InfoReceived, null)]
    public void TemplateFor_ParcelStatus_MessageOrNone(string status, string? template) => Assert.Equal(template, ParcelNotifications.TemplateFor(status));
}
