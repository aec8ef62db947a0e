using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace OrderFlow.Chaos;

/// <summary>
/// Reads what happened from the records: the database, the simulator's ledger of supplier placements, the storefront's
/// received webhooks and the e-mails, for the orders of one scenario (merchant order ids with its prefix).
/// </summary>
internal sealed class History(NpgsqlDataSource db, HttpClient http, Fleet fleet)
{
    /// <summary>Activities the drop-ship workflow completes once per order whatever happens (routing and placing may loop on reroutes).</summary>
    private static readonly string[] OncePerOrder =
        ["start", "await-shipped", "publish-shipped", "notify-shipped", "await-delivered", "publish-delivered", "notify-delivered", "done"];

    /// <summary>Waits until every acknowledged order is delivered (or cancelled) and its webhooks and e-mails are out; returns how long that took.</summary>
    public async Task<TimeSpan> WaitSettledAsync(IReadOnlyCollection<string> merchantOrderIds, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync();
        while (clock.Elapsed < timeout)
        {
            var open = await connection.ExecuteScalarAsync<long>("""
                SELECT (SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = ANY(@ids) AND status NOT IN ('delivered', 'cancelled'))
                     + (SELECT count(*) FROM fulfillment.webhook_deliveries d JOIN fulfillment.orders o ON o.id = d.order_id
                        WHERE o.merchant_order_id = ANY(@ids) AND d.status = 'pending')
                     + (SELECT count(*) FROM fulfillment.notifications n JOIN fulfillment.orders o ON o.id = n.order_id
                        WHERE o.merchant_order_id = ANY(@ids) AND n.status = 'pending')
                     + (@count - (SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = ANY(@ids)))
                """, new { ids = merchantOrderIds.ToArray(), count = (long)merchantOrderIds.Count });
            if (open == 0)
            {
                return clock.Elapsed;
            }

            await Task.Delay(1000);
        }

        return clock.Elapsed;
    }

    public async Task<Figures> CheckAsync(Storefront storefront)
    {
        var ids = storefront.Acknowledged.Keys.ToArray();
        var f = new Figures { Acknowledged = ids.Length };
        await using var connection = await db.OpenConnectionAsync();
        var orders = (await connection.QueryAsync<(Guid Id, string MerchantOrderId, string Status, Guid? Instance)>(
            "SELECT id, merchant_order_id, status, workflow_instance_id FROM fulfillment.orders WHERE merchant_id = 'demo-shop' AND merchant_order_id = ANY(@ids)",
            new { ids })).ToList();
        f.Lost = ids.Length - orders.Count;
        f.NotTerminal = orders.Count(o => o.Status is not ("delivered" or "cancelled"));
        f.Delivered = orders.Count(o => o.Status == "delivered");
        f.OrderIdMismatch = orders.Count(o => storefront.Acknowledged[o.MerchantOrderId] != o.Id);
        var orderIds = orders.Select(o => o.Id).ToArray();
        f.Partial = await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM fulfillment.orders o
            WHERE o.id = ANY(@orderIds) AND (o.workflow_instance_id IS NULL
                OR NOT EXISTS (SELECT 1 FROM fulfillment.order_lines l WHERE l.order_id = o.id)
                OR NOT EXISTS (SELECT 1 FROM fulfillment.order_events e WHERE e.order_id = o.id AND e.type = 'order.received')
                OR NOT EXISTS (SELECT 1 FROM engine.workflow_instances i WHERE i.id = o.workflow_instance_id))
            """, new { orderIds });

        // Supplier side: the simulator's ledger, one entry per order it created, with the key and how many requests used it.
        var ledger = (await http.GetFromJsonAsync<LedgerAnswer>($"{fleet.SimulatorUrl}/admin/ledger", JsonSerializerOptions.Web))!.Placements
            .Select(p => (Placement: p, OrderId: OrderOf(p.Reference)))
            .Where(p => p.OrderId is { } id && orderIds.Contains(id))
            .ToList();
        f.SupplierOrders = ledger.Count;
        f.DuplicatePlacements = ledger.GroupBy(p => (p.OrderId, p.Placement.SupplierId, Round(p.Placement.Reference))).Sum(g => g.Count() - 1)
            + ledger.GroupBy(p => p.Placement.Reference).Sum(g => g.Count() - 1);
        f.PlacementRetriesWithSameKey = ledger.Sum(p => Math.Max(0, p.Placement.Requests - 1));
        var known = (await connection.QueryAsync<string>(
            "SELECT reference FROM fulfillment.supplier_orders WHERE order_id = ANY(@orderIds) AND supplier_order_id IS NOT NULL", new { orderIds })).ToHashSet();
        f.UnknownToUs = ledger.Count(p => !known.Contains(p.Placement.Reference));

        // Storefront side: every webhook received, deduplicated by webhook id (= event id), against the events we recorded.
        var received = (await http.GetFromJsonAsync<InboxAnswer>($"{fleet.SimulatorUrl}/storefront/demo-shop/webhooks", JsonSerializerOptions.Web))!.Items
            .Where(d => d.OrderId is not null && Guid.TryParse(d.OrderId, out var g) && orderIds.Contains(g) && d.SignatureValid)
            .ToList();
        var events = (await connection.QueryAsync<(string EventId, Guid OrderId, int Sequence, string Type)>(
            "SELECT event_id, order_id, sequence, type FROM fulfillment.order_events WHERE order_id = ANY(@orderIds)", new { orderIds })).ToList();
        var firstArrivals = received.GroupBy(d => d.WebhookId).Select(g => g.First()).ToList();
        f.StatusEvents = events.Count(e => e.Type != "shipment.updated");
        f.WebhookRedeliveries = received.Count - firstArrivals.Count;
        f.MissingStatusEvents = events.Count(e => e.Type != "shipment.updated" && firstArrivals.All(d => d.WebhookId != e.EventId));
        f.DuplicateStatusEvents = firstArrivals.Where(d => d.Type != "shipment.updated")
            .GroupBy(d => (d.OrderId, d.Type)).Sum(g => g.Count() - 1);
        f.OutOfSequence = firstArrivals.GroupBy(d => d.OrderId)
            .Sum(g => g.Zip(g.Skip(1)).Count(pair => pair.Second.Sequence <= pair.First.Sequence));

        // The engine: no activity that runs once per order ran twice (a second burst over the same state would).
        var instances = orders.Where(o => o.Instance is not null).Select(o => o.Instance!.Value).ToArray();
        f.DuplicateBursts = await connection.ExecuteScalarAsync<long>("""
            SELECT coalesce(sum(n - 1), 0) FROM (
                SELECT count(*) AS n FROM engine.journal
                WHERE instance_id = ANY(@instances) AND event = 'Completed' AND activity_id = ANY(@once)
                GROUP BY instance_id, activity_id) x
            """, new { instances, once = OncePerOrder });
        f.OpenIncidents = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM engine.incidents WHERE instance_id = ANY(@instances) AND resolved_at IS NULL", new { instances });

        // E-mails: every notification marked sent has its file in the pickup directory (named after the notification).
        var sent = (await connection.QueryAsync<Guid>(
            "SELECT id FROM fulfillment.notifications WHERE order_id = ANY(@orderIds) AND status = 'sent' AND channel = 'email'", new { orderIds })).ToList();
        f.EmailsSent = sent.Count;
        f.EmailsMissing = sent.Count(id => !File.Exists(Path.Combine(fleet.MailDirectory, $"{id:N}.eml")));
        return f;
    }

    private static Guid? OrderOf(string reference)
    {
        // OF-{order:N}-{round}-{supplier}
        var parts = reference.Split('-');
        return parts.Length >= 4 && Guid.TryParseExact(parts[1], "N", out var id) ? id : null;
    }

    private static string Round(string reference) => reference.Split('-') is { Length: >= 4 } parts ? parts[2] : "";

    private sealed record LedgerAnswer(List<Placement> Placements);

    private sealed record Placement(string SupplierId, string Id, string Reference, string IdempotencyKey, int Requests, DateTimeOffset CreatedAt);

    private sealed record InboxAnswer(List<Delivery> Items);

    private sealed record Delivery(string? WebhookId, bool SignatureValid, string? Type, string? OrderId, long? Sequence, int ResponseStatus);
}
