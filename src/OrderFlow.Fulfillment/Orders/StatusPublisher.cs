using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>
/// Records an order's status event and its storefront deliveries (the outbox) in the caller's transaction. Event ids are
/// derived from the order and the event, so publishing the same event twice (a repeated burst) records it once.
/// </summary>
public sealed class StatusPublisher(TimeProvider clock, Outbox.OutboxWake wake)
{
    public const string OutboxChannel = "orderflow_outbox";

    /// <summary>Publishes <c>order.{status}</c> and moves the order to <paramref name="status"/>. False if it was already published.</summary>
    public Task<bool> PublishStatusAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string status, JsonObject? data, CancellationToken ct) =>
        PublishAsync(connection, tx, orderId, $"order.{status}", EventId(orderId, status), status, data, ct);

    /// <summary>Publishes an event that does not change the order's status (e.g. <c>shipment.updated</c>).</summary>
    public Task<bool> PublishEventAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string type, string eventKey, JsonObject? data, CancellationToken ct) =>
        PublishAsync(connection, tx, orderId, type, EventId(orderId, eventKey), null, data, ct);

    public static string EventId(Guid orderId, string key) => $"evt_{orderId:N}_{key}";

    /// <summary>
    /// <see cref="PublishStatusAsync"/> as a command for the caller's own batch (one round trip with the caller's other
    /// statements); its single row holds the number of events recorded. The caller calls <see cref="Touch"/> when it ran.
    /// </summary>
    public NpgsqlBatchCommand StatusCommand(Guid orderId, string status, JsonObject? data) =>
        Command(orderId, $"order.{status}", EventId(orderId, status), status, data);

    /// <summary>Tells this process's outbox pump that deliveries were recorded.</summary>
    public void Touch() => wake.Touch();

    private async Task<bool> PublishAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string type, string eventId, string? status, JsonObject? data, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { Command(orderId, type, eventId, status, data) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        wake.Touch();
        return reader.GetInt64(0) > 0;
    }

    private NpgsqlBatchCommand Command(Guid orderId, string type, string eventId, string? status, JsonObject? data) =>
        new("""
            WITH fresh AS (SELECT NOT EXISTS (SELECT 1 FROM fulfillment.order_events WHERE event_id = $2) AS yes),
            o AS (
                -- The status is set even when the event was sent before (an order held twice is in exception again);
                -- the sequence moves only for a new event.
                UPDATE fulfillment.orders
                SET last_sequence = last_sequence + CASE WHEN (SELECT yes FROM fresh) THEN 1 ELSE 0 END,
                    status = coalesce($3, status), updated_at = $5
                WHERE id = $1 AND ((SELECT yes FROM fresh) OR $3 IS NOT NULL)
                RETURNING id, merchant_id, merchant_order_id, status, last_sequence),
            e AS (
                INSERT INTO fulfillment.order_events (event_id, order_id, sequence, type, payload, created_at)
                SELECT $2, o.id, o.last_sequence, $4,
                       jsonb_build_object('type', $4, 'timestamp', $5,
                           'data', coalesce($6::jsonb, '{}'::jsonb) || jsonb_build_object(
                               'eventId', $2, 'sequence', o.last_sequence, 'orderId', o.id,
                               'merchantOrderId', o.merchant_order_id, 'status', o.status)),
                       $5
                FROM o WHERE (SELECT yes FROM fresh)
                RETURNING event_id, order_id, sequence, type),
            d AS (
                INSERT INTO fulfillment.webhook_deliveries (event_id, subscription_id, order_id, sequence, next_attempt_at, created_at)
                SELECT e.event_id, s.id, e.order_id, e.sequence, $5, $5
                FROM e JOIN o ON o.id = e.order_id
                JOIN fulfillment.webhook_subscriptions s ON s.merchant_id = o.merchant_id AND s.enabled
                    AND (s.event_types IS NULL OR e.type = ANY (s.event_types))
                RETURNING 1)
            SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM d)
            """)
        {
            Parameters =
            {
                new() { Value = orderId }, new() { Value = eventId },
                new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = type }, new() { Value = clock.GetUtcNow() },
                new() { Value = (object?)data?.ToJsonString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            },
        };
}
