using System.Text;
using System.Text.Json.Nodes;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>An order with one parcel in transit (its supplier order already shipped), and AfterShip tracking updates for it.</summary>
public static class AfterShipParcels
{
    public static byte[] Payload(string eventId, string trackingNumber, string tag, params (string Tag, int HoursAgo)[] checkpoints) =>
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

    public static async Task<(Guid OrderId, string TrackingNumber)> OrderWithParcelAsync(FulfillmentHost host, string merchantOrderId)
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
