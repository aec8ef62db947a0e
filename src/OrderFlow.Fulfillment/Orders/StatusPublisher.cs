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
    /// <see cref="PublishStatusAsync"/> for several orders at once, as one statement for the caller's own batch (one round
    /// trip with the caller's other statements): one statement for many orders costs PostgreSQL about half as much per event
    /// as a statement per order (docs/benchmarks.md). Its single row holds the number of events recorded. The caller calls
    /// <see cref="Touch"/> when it ran.
    /// </summary>
    public NpgsqlBatchCommand StatusCommand(IReadOnlyCollection<Guid> orderIds, string status) =>
        Command([.. orderIds.Select(id => (id, EventId(id, status), (string?)null))], $"order.{status}", status);

    /// <summary>Tells this process's outbox pump that deliveries were recorded.</summary>
    public void Touch() => wake.Touch();

    private async Task<bool> PublishAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string type, string eventId, string? status, JsonObject? data, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { Command([(orderId, eventId, data?.ToJsonString())], type, status) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        wake.Touch();
        return reader.GetInt64(0) > 0;
    }

    /// <summary>
    /// The status event of each order, as one statement. One order and many are two texts, each prepared once: the
    /// many-order text reads its orders from arrays, whose row count a generic plan cannot know, so PostgreSQL plans it
    /// afresh on each call (once per intake batch, cheap there), where the one-order text runs on its generic plan (a
    /// status event per burst). Each order may appear once (an update changes a row once per statement). Several orders
    /// lock their rows in an order of the planner's choosing: callers pass orders no other transaction can hold (the
    /// intake's, inserted in the same transaction).
    /// </summary>
    private NpgsqlBatchCommand Command(IReadOnlyList<(Guid OrderId, string EventId, string? Data)> events, string type, string? status)
    {
        var one = events.Count == 1;
        var command = new NpgsqlBatchCommand(one ? OneOrder : ManyOrders);
        command.Parameters.Add(one ? new() { Value = events[0].OrderId } : new() { Value = events.Select(e => e.OrderId).ToArray() });
        command.Parameters.Add(one ? new() { Value = events[0].EventId } : new() { Value = events.Select(e => e.EventId).ToArray() });
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(one
            ? new() { Value = (object?)events[0].Data ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }
            : new() { Value = events.Select(e => e.Data).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command;
    }

    private const string OneOrder = $"WITH input AS (SELECT $1::uuid AS order_id, $2::text AS event_id, $6::text AS data), {Publish}";

    private const string ManyOrders = $"WITH input AS (SELECT * FROM unnest($1::uuid[], $2::text[], $6::text[]) AS i(order_id, event_id, data)), {Publish}";

    /// <summary>The statement after its input's CTE (<see cref="OneOrder"/>, <see cref="ManyOrders"/>).</summary>
    private const string Publish = """
        fresh AS (
            SELECT i.order_id, i.event_id, i.data,
                   NOT EXISTS (SELECT 1 FROM fulfillment.order_events x WHERE x.event_id = i.event_id) AS yes
            FROM input i),
        o AS (
            -- The status is set even when the event was sent before (an order held twice is in exception again);
            -- the sequence moves only for a new event.
            UPDATE fulfillment.orders t
            SET last_sequence = t.last_sequence + CASE WHEN f.yes THEN 1 ELSE 0 END,
                status = coalesce($3, t.status), updated_at = $5
            FROM fresh f
            WHERE t.id = f.order_id AND (f.yes OR $3 IS NOT NULL)
            RETURNING t.id, t.merchant_id, t.merchant_order_id, t.status, t.last_sequence, f.event_id, f.yes, f.data),
        e AS (
            INSERT INTO fulfillment.order_events (event_id, order_id, sequence, type, payload, created_at)
            SELECT o.event_id, o.id, o.last_sequence, $4,
                   jsonb_build_object('type', $4, 'timestamp', $5,
                       'data', coalesce(o.data::jsonb, '{}'::jsonb) || jsonb_build_object(
                           'eventId', o.event_id, 'sequence', o.last_sequence, 'orderId', o.id,
                           'merchantOrderId', o.merchant_order_id, 'status', o.status)),
                   $5
            FROM o WHERE o.yes
            RETURNING event_id, order_id, sequence, type),
        d AS (
            INSERT INTO fulfillment.webhook_deliveries (event_id, subscription_id, order_id, sequence, next_attempt_at, created_at)
            SELECT e.event_id, s.id, e.order_id, e.sequence, $5, $5
            FROM e JOIN o ON o.id = e.order_id
            JOIN fulfillment.webhook_subscriptions s ON s.merchant_id = o.merchant_id AND s.enabled
                AND (s.event_types IS NULL OR e.type = ANY (s.event_types))
            RETURNING 1)
        SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM d)
        """;
}
