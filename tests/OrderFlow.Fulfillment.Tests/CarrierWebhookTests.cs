using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>AfterShip-format carrier webhooks: signature, mapping, dedupe by event id, forward-only status.</summary>
public sealed class CarrierWebhookTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Secret = "aftership-test-secret";
    private static readonly Dictionary<string, string?> Settings = new() { ["OrderFlow:CarrierWebhooks:AfterShipSecret"] = Secret };

    [Theory]
    [InlineData("Pending", ParcelStatuses.Pending)]
    [InlineData("InfoReceive", ParcelStatuses.InfoReceived)]
    [InlineData("InTransit", ParcelStatuses.InTransit)]
    [InlineData("OutForDelivery", ParcelStatuses.OutForDelivery)]
    [InlineData("AttemptFail", ParcelStatuses.AttemptFail)]
    [InlineData("AvailableForPickup", ParcelStatuses.AvailableForPickup)]
    [InlineData("Delivered", ParcelStatuses.Delivered)]
    [InlineData("Exception", ParcelStatuses.Exception)]
    [InlineData("Expired", ParcelStatuses.Expired)]
    [InlineData("SomethingNew", ParcelStatuses.Pending)]
    public void Map_AfterShipTag_NormalizedStatus(string tag, string expected) => Assert.Equal(expected, AfterShipStatuses.Map(tag));

    [Fact]
    public async Task Receive_SignedOutForDelivery_ParcelMovesCheckpointsStoredCustomerToldOnce()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        var (orderId, tracking) = await AfterShipParcels.OrderWithParcelAsync(host, "AS-1");
        var body = AfterShipParcels.Payload("evt-as-1", tracking, "OutForDelivery", ("InTransit", -5), ("OutForDelivery", -1));

        var outcome = await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign(Secret, body), default);

        Assert.Equal(CarrierWebhookOutcome.Applied, outcome);
        Assert.Equal(ParcelStatuses.OutForDelivery, await host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE tracking_number = @t", ("t", tracking)));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.tracking_events e JOIN fulfillment.parcels p ON p.id = e.parcel_id WHERE p.tracking_number = @t", ("t", tracking)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.notifications WHERE order_id = @o AND template = 'out_for_delivery'", ("o", orderId)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @o AND type = 'shipment.updated'", ("o", orderId)));
    }

    [Fact]
    public async Task Receive_SameEventIdTwice_SecondIsDuplicateAndChangesNothing()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        var (orderId, tracking) = await AfterShipParcels.OrderWithParcelAsync(host, "AS-2");
        var body = AfterShipParcels.Payload("evt-as-2", tracking, "OutForDelivery", ("OutForDelivery", -3));

        await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign(Secret, body), default);
        var second = await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign(Secret, body), default);

        Assert.Equal(CarrierWebhookOutcome.Duplicate, second);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @o AND type = 'shipment.updated'", ("o", orderId)));
    }

    [Fact]
    public async Task Receive_LateEarlierStatus_ParcelDoesNotMoveBack()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        var (_, tracking) = await AfterShipParcels.OrderWithParcelAsync(host, "AS-3");
        var delivered = AfterShipParcels.Payload("evt-as-3a", tracking, "Delivered", ("Delivered", -1));
        var late = AfterShipParcels.Payload("evt-as-3b", tracking, "InTransit", ("InTransit", -10));

        await Intake(host).ReceiveAfterShipAsync(delivered, CarrierWebhookIntake.Sign(Secret, delivered), default);
        await Intake(host).ReceiveAfterShipAsync(late, CarrierWebhookIntake.Sign(Secret, late), default);

        Assert.Equal(ParcelStatuses.Delivered, await host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE tracking_number = @t", ("t", tracking)));
    }

    [Fact]
    public async Task Receive_WrongSignature_UnauthorizedAndNothingRecorded()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        var (_, tracking) = await AfterShipParcels.OrderWithParcelAsync(host, "AS-4");
        var body = AfterShipParcels.Payload("evt-as-4", tracking, "Delivered", ("Delivered", -1));

        var outcome = await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign("another-secret", body), default);

        Assert.Equal(CarrierWebhookOutcome.Unauthorized, outcome);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.carrier_webhook_events WHERE event_id = 'evt-as-4'"));
        Assert.Equal(ParcelStatuses.InTransit, await host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE tracking_number = @t", ("t", tracking)));
    }

    private static CarrierWebhookIntake Intake(FulfillmentHost host) => host.Services.GetRequiredService<CarrierWebhookIntake>();
}
