using System.Text;
using System.Text.Json.Nodes;
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
        var (orderId, tracking) = await OrderWithParcelAsync(host, "AS-1");
        var body = Payload("evt-as-1", tracking, "OutForDelivery", ("InTransit", -5), ("OutForDelivery", -1));

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
        var (orderId, tracking) = await OrderWithParcelAsync(host, "AS-2");
        var body = Payload("evt-as-2", tracking, "OutForDelivery", ("OutForDelivery", -3));

        await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign(Secret, body), default);
        var second = await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign(Secret, body), default);

        Assert.Equal(CarrierWebhookOutcome.Duplicate, second);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @o AND type = 'shipment.updated'", ("o", orderId)));
    }

    [Fact]
    public async Task Receive_LateEarlierStatus_ParcelDoesNotMoveBack()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        var (_, tracking) = await OrderWithParcelAsync(host, "AS-3");
        var delivered = Payload("evt-as-3a", tracking, "Delivered", ("Delivered", -1));
        var late = Payload("evt-as-3b", tracking, "InTransit", ("InTransit", -10));

        await Intake(host).ReceiveAfterShipAsync(delivered, CarrierWebhookIntake.Sign(Secret, delivered), default);
        await Intake(host).ReceiveAfterShipAsync(late, CarrierWebhookIntake.Sign(Secret, late), default);

        Assert.Equal(ParcelStatuses.Delivered, await host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE tracking_number = @t", ("t", tracking)));
    }

    [Fact]
    public async Task Receive_WrongSignature_UnauthorizedAndNothingRecorded()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        var (_, tracking) = await OrderWithParcelAsync(host, "AS-4");
        var body = Payload("evt-as-4", tracking, "Delivered", ("Delivered", -1));

        var outcome = await Intake(host).ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign("another-secret", body), default);

        Assert.Equal(CarrierWebhookOutcome.Unauthorized, outcome);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.carrier_webhook_events WHERE event_id = 'evt-as-4'"));
        Assert.Equal(ParcelStatuses.InTransit, await host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE tracking_number = @t", ("t", tracking)));
    }

    private static CarrierWebhookIntake Intake(FulfillmentHost host) => host.Services.GetRequiredService<CarrierWebhookIntake>();

    private static byte[] Payload(string eventId, string trackingNumber, string tag, params (string Tag, int HoursAgo)[] checkpoints) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["event"] = "tracking_update",
            ["event_id"] = eventId,
            ["msg"] = new JsonObject
            {
                ["tracking_number"] = trackingNumber,
                ["slug"] = "dhl",
                ["tag"] = tag,
                ["expected_delivery"] = "2026-12-01",
                ["checkpoints"] = new JsonArray([.. checkpoints.Select(c => (JsonNode)new JsonObject
                {
                    // Carriers report local time with an offset; stored in UTC.
                    ["checkpoint_time"] = DateTimeOffset.UtcNow.AddHours(c.HoursAgo).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
                    ["tag"] = c.Tag,
                    ["location"] = "Berlin, DE",
                    ["message"] = $"Status {c.Tag}",
                })]),
            },
        }.ToJsonString());

    private static async Task<(Guid OrderId, string TrackingNumber)> OrderWithParcelAsync(FulfillmentHost host, string merchantOrderId)
    {
        var orderId = (await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(SampleOrders.Valid(merchantOrderId).ToJsonString()), default)).OrderId!.Value;
        var tracking = "JD" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var supplierOrder = Guid.NewGuid();
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.suppliers (id, name, base_url, api_key) VALUES ('carrier-supplier', 'C', 'http://127.0.0.1:1', 'k') ON CONFLICT DO NOTHING;
            INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, supplier_order_id, status, placed_at, updated_at)
            VALUES (@so, @o, 'carrier-supplier', @ref, 'sup', 'shipped', @now, @now);
            UPDATE fulfillment.order_lines SET status = 'shipped', supplier_order_id = @so WHERE order_id = @o;
            INSERT INTO fulfillment.parcels (id, order_id, supplier_order_id, supplier_shipment_id, carrier, tracking_number, status, line_ids, created_at, updated_at)
            VALUES (@p, @o, @so, 'shp', 'DHL', @t, 'InTransit', '{1}', @now, @now);
            """, ("so", supplierOrder), ("o", orderId), ("ref", "ref-" + orderId.ToString("N")), ("now", host.Clock.GetUtcNow()), ("p", Guid.NewGuid()), ("t", tracking));
        return (orderId, tracking);
    }
}
