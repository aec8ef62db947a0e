using System.Diagnostics;
using Npgsql;

namespace OrderFlow.Bench;

/// <summary>
/// Fills the real tables with orders that have been through the whole lifecycle (delivered, supplier order, parcel with
/// its tracking events, status events and their storefront deliveries, sent e-mails, the completed workflow instance and
/// its journal), so the growth runs see tables and indexes of realistic size. Set-based SQL (generate_series), in chunks.
/// </summary>
public static class Seeder
{
    private const int Chunk = 50_000;

    /// <summary>Names what this seeder stores; change it when <see cref="Sql"/> changes, so copies seeded before are not reused.</summary>
    public const string Version = "orderflow-bench-seeder-1";

    public static async Task<TimeSpan> SeedAsync(string connectionString, int orders, string merchant, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var from = 1; from <= orders; from += Chunk)
        {
            var to = Math.Min(orders, from + Chunk - 1);
            await using var tx = await connection.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand(Sql, connection, tx) { CommandTimeout = 0 })
            {
                command.Parameters.AddWithValue("from", from);
                command.Parameters.AddWithValue("to", to);
                command.Parameters.AddWithValue("merchant", merchant);
                await command.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
            progress($"seeded {to:N0} of {orders:N0} orders");
        }

        await BenchDatabase.Exec(connection, "VACUUM ANALYZE", 0);
        await BenchDatabase.Exec(connection, "CHECKPOINT", 0);
        return clock.Elapsed;
    }

    // @from..@to: order numbers of this chunk. Times spread over the 90 days before now, each order delivered 4 days after it came in.
    private const string Sql = """
        CREATE TEMP TABLE seed ON COMMIT DROP AS
        SELECT g AS n, gen_random_uuid() AS order_id, gen_random_uuid() AS instance_id, gen_random_uuid() AS so_id, gen_random_uuid() AS parcel_id,
               gen_random_uuid() AS subscription_id,
               now() - interval '90 days' + (interval '86 days') * random() AS at
        FROM generate_series(@from, @to) g;
        UPDATE seed SET subscription_id = (SELECT id FROM fulfillment.webhook_subscriptions WHERE merchant_id = @merchant ORDER BY created_at LIMIT 1);

        INSERT INTO engine.workflow_instances (id, definition_id, definition_version, correlation_id, status, variables, state, pending, created_at, updated_at)
        SELECT s.instance_id, 'dropship-order', (SELECT max(version) FROM engine.workflow_definitions WHERE definition_id = 'dropship-order'),
               s.order_id::text, 'Completed', jsonb_build_object('orderId', s.order_id::text),
               '{"queue":[],"executions":{},"outputs":{},"joins":{}}'::jsonb, false, s.at, s.at + interval '4 days'
        FROM seed s;

        INSERT INTO engine.journal (instance_id, burst_id, activity_id, activity_type, event, outcomes, attempt, started_at, duration_ms)
        SELECT s.instance_id, gen_random_uuid(), a.activity_id, a.activity_type, 'Completed', ARRAY[a.outcome], 1, s.at + a.offset_at, 1.5
        FROM seed s CROSS JOIN (VALUES
            ('route', 'Fulfillment.RouteLines', 'Routed', interval '1 second'),
            ('place', 'Fulfillment.PlaceSupplierOrders', 'Placed', interval '2 seconds'),
            ('publish-shipped', 'Fulfillment.PublishStatus', 'Done', interval '1 day'),
            ('notify-delivered', 'Fulfillment.NotifyCustomer', 'Done', interval '4 days')) AS a(activity_id, activity_type, outcome, offset_at);

        INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tags,
                                        tracking_token, workflow_instance_id, last_sequence, created_at, updated_at)
        SELECT s.order_id, @merchant, 'seed-' || s.n, 'delivered', 'EUR',
               jsonb_build_object('name', 'Ada Lovelace', 'email', 'ada' || s.n || '@example.com', 'phone', '+4915112345678'),
               jsonb_build_object('name', 'Ada Lovelace', 'line1', 'Hauptstraße ' || (s.n % 120), 'line2', null, 'city', 'Berlin',
                                  'postalCode', '10115', 'region', null, 'country', 'DE'),
               35.00, '{seed}', md5(s.order_id::text || 'token'), s.instance_id, 5, s.at, s.at + interval '4 days'
        FROM seed s;

        INSERT INTO fulfillment.intake_events (merchant_id, webhook_id, order_id, received_at, format)
        SELECT @merchant, 'msg_seed-' || s.n, s.order_id, s.at, 'standard' FROM seed s;

        INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, supplier_order_id, status, placed_at, updated_at)
        SELECT s.so_id, s.order_id, 'acme', 'seed-' || s.n || '-acme-1', 'seed-acme-' || s.n, 'delivered', s.at, s.at + interval '4 days'
        FROM seed s;

        INSERT INTO fulfillment.order_lines (order_id, line_id, sku, name, quantity, unit_price, status, supplier_id, supplier_order_id)
        SELECT s.order_id, l.line_id, l.sku, l.name, 1, l.price, 'delivered', 'acme', s.so_id
        FROM seed s CROSS JOIN (VALUES ('1', 'MUG-BLUE', 'Blue mug', 12.50), ('2', 'TEE-BLACK-M', 'Black T-shirt (M)', 22.50)) AS l(line_id, sku, name, price);

        INSERT INTO fulfillment.parcels (id, order_id, supplier_order_id, supplier_shipment_id, carrier, tracking_number, tracking_url, status,
                                         line_ids, estimated_delivery, last_event_at, created_at, updated_at)
        SELECT s.parcel_id, s.order_id, s.so_id, 'shp-seed-' || s.n, 'DHL', 'SEED' || lpad(s.n::text, 10, '0'), NULL, 'Delivered',
               '{1,2}', s.at + interval '4 days', s.at + interval '4 days', s.at + interval '1 day', s.at + interval '4 days'
        FROM seed s;

        INSERT INTO fulfillment.tracking_events (parcel_id, event_id, status, occurred_at, location, message)
        SELECT s.parcel_id, 'evt-seed-' || s.n || '-' || e.k, e.status, s.at + e.k * interval '1 day', 'Berlin, DE', e.status
        FROM seed s CROSS JOIN (VALUES (1, 'InfoReceived'), (2, 'InTransit'), (3, 'OutForDelivery'), (4, 'Delivered')) AS e(k, status);

        INSERT INTO fulfillment.order_events (event_id, order_id, sequence, type, payload, created_at)
        SELECT 'seed_' || s.n || '_' || e.k, s.order_id, e.k, e.type,
               jsonb_build_object('type', e.type, 'data', jsonb_build_object('orderId', s.order_id, 'sequence', e.k)), s.at + e.k * interval '20 hours'
        FROM seed s CROSS JOIN (VALUES (1, 'order.received'), (2, 'order.placed'), (3, 'order.shipped'), (4, 'shipment.updated'), (5, 'order.delivered')) AS e(k, type);

        INSERT INTO fulfillment.webhook_deliveries (event_id, subscription_id, order_id, sequence, status, attempts, next_attempt_at,
                                                    last_status_code, delivered_at, created_at)
        SELECT 'seed_' || s.n || '_' || e.k, s.subscription_id, s.order_id, e.k, 'delivered', 1, s.at + e.k * interval '20 hours', 204,
               s.at + e.k * interval '20 hours', s.at + e.k * interval '20 hours'
        FROM seed s CROSS JOIN generate_series(1, 5) AS e(k)
        WHERE s.subscription_id IS NOT NULL;

        INSERT INTO fulfillment.notifications (id, order_id, channel, template, recipient, subject, text_body, status, attempts, next_attempt_at, sent_at, created_at)
        SELECT gen_random_uuid(), s.order_id, 'email', t.template, 'ada' || s.n || '@example.com', 'Your order ' || t.template,
               'Hello Ada, your order is ' || t.template || '.', 'sent', 1, s.at + t.offset_at, s.at + t.offset_at, s.at + t.offset_at
        FROM seed s CROSS JOIN (VALUES ('shipped', interval '1 day'), ('delivered', interval '4 days')) AS t(template, offset_at);
        """;
}
