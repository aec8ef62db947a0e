using Npgsql;

namespace OrderFlow.Server.Tests.Support;

/// <summary>A merchant and a partly shipped two-parcel order with checkpoints, written straight to the tables.</summary>
public static class TrackedOrderSeed
{
    public static async Task<(Guid OrderId, string Token)> InsertAsync(string connectionString, string merchantId)
    {
        var orderId = Guid.NewGuid();
        var token = "trk_" + Guid.NewGuid().ToString("N");
        var now = DateTime.UtcNow;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO fulfillment.merchants (id, name) VALUES (@m, 'Nordic Mugs') ON CONFLICT DO NOTHING;
            INSERT INTO fulfillment.suppliers (id, name, base_url, api_key) VALUES ('seed-supplier', 'Seed', 'http://127.0.0.1:1', 'k') ON CONFLICT DO NOTHING;
            INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tracking_token, created_at, updated_at)
            VALUES (@o, @m, '#1042', 'partially_shipped', 'EUR', '{"name":"Ada Lovelace","email":"ada@example.com"}', '{"country":"DE"}', 61.50, @token, @t0, @now);
            INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, status, updated_at)
            VALUES (@so, @o, 'seed-supplier', @ref, 'shipped', @now);
            INSERT INTO fulfillment.order_lines (order_id, line_id, sku, name, quantity, unit_price, status, supplier_id, supplier_order_id) VALUES
                (@o, '1', 'MUG-BLUE', 'Blue enamel mug', 2, 12.50, 'shipped', 'seed-supplier', @so),
                (@o, '2', 'CAP-GREEN', 'Green cap', 1, 19.00, 'shipped', 'seed-supplier', @so),
                (@o, '3', 'POSTER-A2', 'Fjord poster (A2)', 1, 17.50, 'accepted', 'seed-supplier', @so);
            INSERT INTO fulfillment.parcels (id, order_id, supplier_order_id, supplier_shipment_id, carrier, tracking_number, tracking_url, status, line_ids,
                                             estimated_delivery, last_event_at, created_at, updated_at) VALUES
                (@p1, @o, @so, 'shp-1', 'DHL', 'JD014600006281230704', 'https://www.dhl.com/track?n=JD014600006281230704', 'OutForDelivery', '{1}', @eta, @now, @t1, @now),
                (@p2, @o, @so, 'shp-2', 'DPD', '01234567890123', NULL, 'InTransit', '{2}', @eta2, @now, @t2, @now);
            INSERT INTO fulfillment.tracking_events (parcel_id, event_id, status, occurred_at, location, message) VALUES
                (@p1, 'e1', 'InfoReceived', @t1, 'Leipzig, DE', 'Shipment information received'),
                (@p1, 'e2', 'InTransit', @t2, 'Leipzig hub, DE', 'Departed the sorting centre'),
                (@p1, 'e3', 'OutForDelivery', @now, 'Berlin, DE', 'Out for delivery with the courier'),
                (@p2, 'f1', 'InTransit', @t2, 'Hamburg, DE', 'Parcel handed to DPD');
            """, connection);
        command.Parameters.AddWithValue("m", merchantId);
        command.Parameters.AddWithValue("o", orderId);
        command.Parameters.AddWithValue("so", Guid.NewGuid());
        command.Parameters.AddWithValue("ref", "ref-" + orderId.ToString("N"));
        command.Parameters.AddWithValue("p1", Guid.NewGuid());
        command.Parameters.AddWithValue("p2", Guid.NewGuid());
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("t0", now.AddDays(-3));
        command.Parameters.AddWithValue("t1", now.AddDays(-2));
        command.Parameters.AddWithValue("t2", now.AddDays(-1));
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("eta", now.Date.AddHours(18));
        command.Parameters.AddWithValue("eta2", now.Date.AddDays(2));
        await command.ExecuteNonQueryAsync();
        return (orderId, token);
    }
}
