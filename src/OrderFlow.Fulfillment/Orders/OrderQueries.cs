using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Notifications;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>Read side of orders for the ops console and API: filtered lists, one order in full, counts per status.</summary>
public sealed class OrderQueries(NpgsqlDataSource dataSource, OrderSnapshots snapshots, TimeProvider clock)
{
    private const string NeedsAttention = """
        (o.status = 'exception' OR o.attention_reason IS NOT NULL
         OR EXISTS (SELECT 1 FROM engine.incidents x WHERE x.instance_id = o.workflow_instance_id AND x.resolved_at IS NULL))
        """;

    /// <summary>
    /// <see cref="NeedsAttention"/> as a set of ids, each part from its own index: the exceptions from (status, id), the
    /// flagged orders from the partial index of attention reasons, and the orders of instances with an open incident from
    /// the partial index of open incidents (an order workflow's correlation id is its order's id). As a row condition the
    /// OR was checked against every order newest first: ~7 s with 1,000,000 stored and few needing attention.
    /// </summary>
    private const string AttentionIds = """
        o.id IN (SELECT s.id FROM fulfillment.orders s WHERE s.status = 'exception'
                 UNION SELECT s.id FROM fulfillment.orders s WHERE s.attention_reason IS NOT NULL
                 UNION SELECT s.id FROM engine.incidents x
                       JOIN engine.workflow_instances i ON i.id = x.instance_id
                       JOIN fulfillment.orders s ON s.id = CASE WHEN i.correlation_id ~ '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
                                                                THEN i.correlation_id::uuid END
                                                AND s.workflow_instance_id = i.id
                       WHERE x.resolved_at IS NULL)
        """;

    /// <summary>
    /// A page of orders, newest first (ids are version-7 UUIDs, so id order is arrival order), keyset-paged on the id.
    /// Only the filters given become conditions, each one an index can answer: (status, id), (merchant_id, id),
    /// order_lines (supplier_id), and for the search the order id itself, merchant_order_id, the lower-cased e-mail and
    /// parcels (tracking_number), joined by UNION rather than OR so that each uses its index.
    /// </summary>
    public async Task<OrderPage> ListAsync(OrderFilter filter, CancellationToken ct)
    {
        var limit = Math.Clamp(filter.Limit ?? 50, 1, 200);
        var conditions = new List<string>();
        var parameters = new DynamicParameters(new { limit = limit + 1 });
        void Where(string condition, string? name = null, object? value = null)
        {
            conditions.Add(condition);
            if (name is not null)
            {
                parameters.Add(name, value);
            }
        }

        if (filter.Status is { } status)
        {
            Where("o.status = @status", "status", status);
        }

        if (filter.Merchant is { } merchant)
        {
            Where("o.merchant_id = @merchant", "merchant", merchant);
        }

        if (filter.Merchants is { } merchants)
        {
            Where("o.merchant_id = ANY(@merchants)", "merchants", merchants.ToArray());
        }

        if (filter.Supplier is { } supplier)
        {
            Where("o.id IN (SELECT l.order_id FROM fulfillment.order_lines l WHERE l.supplier_id = @supplier)", "supplier", supplier);
        }

        if (filter.Cursor is { } cursor)
        {
            Where("o.id < @cursor", "cursor", cursor);
        }

        if (filter.OlderThanMinutes is { } minutes)
        {
            // Order ids are version-7 UUIDs taken at intake (created_at), so the id bound lets the primary key start the
            // scan at the right age instead of skipping every newer order.
            var olderThan = clock.GetUtcNow().AddMinutes(-minutes);
            Where("o.created_at < @olderThan", "olderThan", olderThan);
            Where("o.id < @olderThanId", "olderThanId", FirstVersion7At(olderThan));
        }

        if (filter.Attention == true)
        {
            Where(AttentionIds);
        }

        if (filter.Query?.Trim() is { Length: > 0 } q)
        {
            if (Guid.TryParse(q, out var orderId))
            {
                Where("o.id = @orderId", "orderId", orderId);
            }
            else
            {
                Where("""
                    o.id IN (SELECT s.id FROM fulfillment.orders s WHERE s.merchant_order_id = @q
                             UNION SELECT s.id FROM fulfillment.orders s WHERE lower(s.customer->>'email') = lower(@q)
                             UNION SELECT p.order_id FROM fulfillment.parcels p WHERE p.tracking_number = @q)
                    """, "q", q);
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<OrderSummary>(new CommandDefinition($"""
            SELECT o.id AS Id, o.merchant_id AS MerchantId, o.merchant_order_id AS MerchantOrderId, o.status AS Status,
                   o.customer->>'email' AS CustomerEmail, o.total AS Total, o.currency AS Currency,
                   (SELECT count(*) FROM fulfillment.order_lines l WHERE l.order_id = o.id)::int AS LineCount,
                   o.created_at AS CreatedAt, o.updated_at AS UpdatedAt, o.workflow_instance_id AS WorkflowInstanceId,
                   {NeedsAttention} AS NeedsAttention
            FROM fulfillment.orders o
            {(conditions.Count == 0 ? "" : "WHERE " + string.Join("\n  AND ", conditions))}
            ORDER BY o.id DESC LIMIT @limit
            """, parameters, cancellationToken: ct))).ToList();
        var more = rows.Count > limit;
        return new OrderPage(rows.Take(limit).ToList(), more ? rows[limit - 1].Id : null);
    }

    /// <summary>The lowest version-7 UUID of that millisecond: every id made earlier sorts below it.</summary>
    private static Guid FirstVersion7At(DateTimeOffset at)
    {
        var hex = at.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
        return Guid.Parse($"{hex[..8]}-{hex[8..]}-7000-8000-000000000000");
    }

    /// <summary>
    /// Orders per status, of <paramref name="merchants"/> only when given, without counting every order: every status but
    /// delivered is counted from the orders themselves through <c>orders_status_id</c> (orders in flight, exceptions,
    /// cancellations: few next to the delivered), and delivered is the merchants' total, which the orders' insert and
    /// delete triggers keep in <c>fulfillment.order_counts</c> (migration 0100), less those.
    /// </summary>
    public async Task<OrderStats> StatsAsync(CancellationToken ct, IReadOnlyCollection<string>? merchants = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT coalesce(sum(count), 0)::bigint FROM fulfillment.order_counts WHERE @merchants::text[] IS NULL OR merchant_id = ANY(@merchants);
            SELECT status, count(*) FROM fulfillment.orders
            WHERE status = ANY(@live) AND (@merchants::text[] IS NULL OR merchant_id = ANY(@merchants)) GROUP BY status;
            """, new { merchants = merchants?.ToArray(), live = OrderStatuses.All.Where(s => s != OrderStatuses.Delivered).ToArray() }, cancellationToken: ct));
        var total = await grid.ReadSingleAsync<long>();
        var live = (await grid.ReadAsync<(string Status, long Count)>()).ToDictionary(c => c.Status, c => c.Count);
        var byStatus = OrderStatuses.All.ToDictionary(s => s, s => s == OrderStatuses.Delivered ? total - live.Values.Sum() : live.GetValueOrDefault(s));
        return new OrderStats(total, byStatus);
    }

    public async Task<OrderDetails?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT id AS Id, merchant_id AS MerchantId, merchant_order_id AS MerchantOrderId, status AS Status, currency AS Currency, total AS Total,
                   customer::text AS Customer, shipping_address::text AS ShippingAddress, tags AS Tags, tracking_token AS TrackingToken,
                   workflow_instance_id AS WorkflowInstanceId, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM fulfillment.orders WHERE id = @id;
            SELECT line_id AS LineId, sku AS Sku, name AS Name, quantity AS Quantity, unit_price AS UnitPrice, status AS Status,
                   supplier_id AS SupplierId, rejected_by AS RejectedBy, rejection_reason AS RejectionReason
            FROM fulfillment.order_lines WHERE order_id = @id ORDER BY line_id;
            SELECT id AS Id, supplier_id AS SupplierId, reference AS Reference, supplier_order_id AS SupplierOrderId, status AS Status,
                   rejection_reason AS RejectionReason, rejection_message AS RejectionMessage, placed_at AS PlacedAt, updated_at AS UpdatedAt
            FROM fulfillment.supplier_orders WHERE order_id = @id ORDER BY reference;
            SELECT id AS Id, carrier AS Carrier, tracking_number AS TrackingNumber, tracking_url AS TrackingUrl, status AS Status,
                   line_ids AS LineIds, estimated_delivery AS EstimatedDelivery, last_event_at AS LastEventAt
            FROM fulfillment.parcels WHERE order_id = @id ORDER BY created_at;
            SELECT e.parcel_id AS ParcelId, e.event_id AS EventId, e.status AS Status, e.occurred_at AS OccurredAt, e.location AS Location, e.message AS Message
            FROM fulfillment.tracking_events e JOIN fulfillment.parcels p ON p.id = e.parcel_id WHERE p.order_id = @id ORDER BY e.occurred_at;
            SELECT event_id AS EventId, sequence AS Sequence, type AS Type, created_at AS CreatedAt FROM fulfillment.order_events WHERE order_id = @id ORDER BY sequence;
            SELECT d.id AS Id, d.event_id AS EventId, d.sequence AS Sequence, s.url AS Url, d.status AS Status, d.attempts AS Attempts,
                   d.last_status_code AS LastStatusCode, d.last_error AS LastError, d.next_attempt_at AS NextAttemptAt, d.delivered_at AS DeliveredAt
            FROM fulfillment.webhook_deliveries d JOIN fulfillment.webhook_subscriptions s ON s.id = d.subscription_id WHERE d.order_id = @id ORDER BY d.sequence, d.id;
            SELECT id AS Id, channel AS Channel, template AS Template, recipient AS Recipient, subject AS Subject,
                   CASE WHEN status = 'pending' AND last_error IS NOT NULL THEN 'retrying' WHEN status = 'pending' THEN 'queued' ELSE status END AS Status,
                   attempts AS Attempts, last_error AS LastError, sent_at AS SentAt, created_at AS CreatedAt,
                   CASE WHEN status = 'pending' THEN next_attempt_at END AS NextAttemptAt
            FROM fulfillment.notifications WHERE order_id = @id ORDER BY created_at, channel;
            """, new { id }, cancellationToken: ct));
        var order = await grid.ReadSingleOrDefaultAsync<OrderRow>();
        if (order is null)
        {
            return null;
        }

        var lines = (await grid.ReadAsync<OrderLineView>()).ToList();
        var supplierOrders = (await grid.ReadAsync<SupplierOrderView>()).ToList();
        var parcels = (await grid.ReadAsync<ParcelRow>()).ToList();
        var events = (await grid.ReadAsync<TrackingEventView>()).ToList();
        var statusEvents = (await grid.ReadAsync<StatusEventView>()).ToList();
        var deliveries = (await grid.ReadAsync<WebhookDeliveryView>()).ToList();
        var notifications = (await grid.ReadAsync<NotificationView>()).Select(n => n with { Recipient = PhoneNumbers.Mask(n.Channel, n.Recipient) }).ToList();
        return new OrderDetails(order.Id, order.MerchantId, order.MerchantOrderId, order.Status, order.Currency, order.Total,
            JsonNode.Parse(order.Customer), JsonNode.Parse(order.ShippingAddress), order.Tags, order.WorkflowInstanceId,
            snapshots.TrackingPageUrl(order.TrackingToken), order.CreatedAt, order.UpdatedAt, lines, supplierOrders,
            parcels.Select(p => new ParcelView(p.Id, p.Carrier, p.TrackingNumber, p.TrackingUrl, p.Status, p.LineIds, p.EstimatedDelivery, p.LastEventAt,
                events.Where(e => e.ParcelId == p.Id).ToList())).ToList(),
            statusEvents, deliveries, notifications);
    }

    private sealed record OrderRow
    {
        public Guid Id { get; init; }
        public string MerchantId { get; init; } = "";
        public string MerchantOrderId { get; init; } = "";
        public string Status { get; init; } = "";
        public string Currency { get; init; } = "";
        public decimal Total { get; init; }
        public string Customer { get; init; } = "";
        public string ShippingAddress { get; init; } = "";
        public string[] Tags { get; init; } = [];
        public string TrackingToken { get; init; } = "";
        public Guid? WorkflowInstanceId { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    private sealed record ParcelRow
    {
        public Guid Id { get; init; }
        public string Carrier { get; init; } = "";
        public string TrackingNumber { get; init; } = "";
        public string? TrackingUrl { get; init; }
        public string Status { get; init; } = "";
        public string[] LineIds { get; init; } = [];
        public DateTime? EstimatedDelivery { get; init; }
        public DateTime? LastEventAt { get; init; }
    }
}
