using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrderFlow.Fulfillment.Suppliers;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// Applies what a supplier says about one of our supplier orders (its decision, per-line rejections, shipments and
/// tracking events) to our rows, in the caller's transaction. Idempotent: applying the same answer twice changes nothing.
/// </summary>
public static class SupplierOrderSync
{
    /// <summary>Applies <paramref name="dto"/>; returns the parcels whose status moved forward.</summary>
    public static async Task<IReadOnlyList<ParcelChange>> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        Guid supplierOrderId, string supplierId, SupplierOrderDto dto, DateTimeOffset now, CancellationToken ct)
    {
        var status = dto.Status switch
        {
            "pending" or "accepted" or "rejected" or "shipped" or "delivered" or "cancelled" => dto.Status,
            _ => "pending",
        };
        var rejectedRefs = dto.Lines.Where(l => l.Status == "rejected").Select(l => l.LineRef).ToArray();
        var rejectedReasons = dto.Lines.Where(l => l.Status == "rejected").Select(l => l.RejectionReason ?? dto.Rejection?.Reason ?? "other").ToArray();
        var acceptedRefs = dto.Lines.Where(l => l.Status == "accepted").Select(l => l.LineRef).ToArray();
        if (status == "rejected" && rejectedRefs.Length == 0)
        {
            rejectedRefs = dto.Lines.Select(l => l.LineRef).ToArray();
            rejectedReasons = rejectedRefs.Select(_ => dto.Rejection?.Reason ?? "other").ToArray();
        }

        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            batch.BatchCommands.Add(Command("""
                UPDATE fulfillment.supplier_orders
                SET supplier_order_id = $2, status = CASE WHEN status IN ('cancel_requested', 'cancelled', 'unreachable') AND $3 <> 'cancelled' THEN status ELSE $3 END,
                    rejection_reason = $4, rejection_message = $5, placed_at = coalesce(placed_at, $6), updated_at = $6
                WHERE id = $1
                """, supplierOrderId, dto.Id, status, (object?)dto.Rejection?.Reason ?? DBNull.Value, (object?)dto.Rejection?.Message ?? DBNull.Value, now));
            // Only lines still assigned to this supplier order move: a rerouted line belongs to another one now. A statement
            // that could change no line is not sent (most answers are a status and a shipment: one statement, not four).
            if (rejectedRefs.Length > 0)
            {
                batch.BatchCommands.Add(Command("""
                    UPDATE fulfillment.order_lines l
                    SET status = 'rejected', rejection_reason = r.reason, rejected_by = array_append(l.rejected_by, $2)
                    FROM unnest($3::text[], $4::text[]) AS r(line_id, reason)
                    WHERE l.supplier_order_id = $1 AND l.line_id = r.line_id AND l.status IN ('routed', 'placed', 'accepted')
                    """, supplierOrderId, supplierId, rejectedRefs, rejectedReasons));
            }

            if (acceptedRefs.Length > 0)
            {
                batch.BatchCommands.Add(Command("""
                    UPDATE fulfillment.order_lines SET status = 'accepted'
                    WHERE supplier_order_id = $1 AND line_id = ANY ($2) AND status IN ('routed', 'placed')
                    """, supplierOrderId, acceptedRefs));
            }

            if (status == "pending")
            {
                batch.BatchCommands.Add(Command("""
                    UPDATE fulfillment.order_lines SET status = 'placed'
                    WHERE supplier_order_id = $1 AND status = 'routed'
                    """, supplierOrderId));
            }

            await batch.ExecuteNonQueryAsync(ct);
        }

        var changes = new List<ParcelChange>();
        foreach (var shipment in dto.Shipments ?? [])
        {
            if (await ApplyShipmentAsync(connection, tx, supplierOrderId, shipment, now, ct) is { } change)
            {
                changes.Add(change);
            }
        }

        return changes;
    }

    private static async Task<ParcelChange?> ApplyShipmentAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid supplierOrderId, ShipmentDto shipment, DateTimeOffset now, CancellationToken ct)
    {
        var next = ParcelStatuses.Normalize(shipment.Status);
        Guid parcelId;
        string previous;
        await using (var upsert = Command("""
            WITH existing AS (
                SELECT id, status FROM fulfillment.parcels WHERE supplier_order_id = $1 AND supplier_shipment_id = $2 FOR UPDATE),
            created AS (
                INSERT INTO fulfillment.parcels (id, order_id, supplier_order_id, supplier_shipment_id, carrier, tracking_number, tracking_url, status, line_ids, estimated_delivery, created_at, updated_at)
                SELECT $3, so.order_id, so.id, $2, $4, $5, $6, 'Pending', $7, $8, $9, $9
                FROM fulfillment.supplier_orders so WHERE so.id = $1 AND NOT EXISTS (SELECT 1 FROM existing)
                RETURNING id, status)
            SELECT id, status FROM existing UNION ALL SELECT id, status FROM created
            """, supplierOrderId, shipment.Id, Guid.CreateVersion7(now), shipment.Carrier, shipment.TrackingNumber,
            (object?)shipment.TrackingUrl ?? DBNull.Value, shipment.LineRefs.ToArray(),
            (object?)shipment.EstimatedDelivery ?? DBNull.Value, now).ToCommand(connection, tx))
        {
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            parcelId = reader.GetGuid(0);
            previous = reader.GetString(1);
        }

        var events = shipment.Events ?? [];
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO fulfillment.tracking_events (parcel_id, event_id, status, occurred_at, location, message)
                SELECT $1, e.id, e.status, e.occurred_at, e.location, e.message
                FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS e(id, status, occurred_at, location, message)
                ON CONFLICT DO NOTHING
                """, parcelId, events.Select(e => e.Id).ToArray(), events.Select(e => ParcelStatuses.Normalize(e.Status)).ToArray(),
                events.Select(e => e.OccurredAt).ToArray(), TextArray(events.Select(e => e.Location)), TextArray(events.Select(e => e.Message))));
            var forward = ParcelStatuses.IsForward(previous, next);
            batch.BatchCommands.Add(Command("""
                UPDATE fulfillment.parcels SET status = CASE WHEN $2 THEN $3 ELSE status END, estimated_delivery = coalesce($4, estimated_delivery),
                    last_event_at = greatest(last_event_at, $5), updated_at = $6
                WHERE id = $1
                """, parcelId, forward, next, (object?)shipment.EstimatedDelivery ?? DBNull.Value,
                (object?)events.Select(e => (DateTimeOffset?)e.OccurredAt).Max() ?? DBNull.Value, now));
            batch.BatchCommands.Add(Command("""
                UPDATE fulfillment.order_lines SET status = CASE WHEN $3 = 'Delivered' THEN 'delivered' ELSE 'shipped' END
                WHERE supplier_order_id = $1 AND line_id = ANY ($2) AND status IN ('accepted', 'placed', 'shipped')
                  AND ($3 = 'Delivered' OR status <> 'shipped')
                """, supplierOrderId, shipment.LineRefs.ToArray(), forward ? next : previous));
            await batch.ExecuteNonQueryAsync(ct);
            return forward ? new ParcelChange(parcelId, shipment.Carrier, shipment.TrackingNumber, previous, next) : null;
        }
    }

    private static object TextArray(IEnumerable<string?> values) => new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlCommand ToCommand(this NpgsqlBatchCommand command, NpgsqlConnection connection, NpgsqlTransaction tx)
    {
        var single = new NpgsqlCommand(command.CommandText, connection, tx);
        foreach (NpgsqlParameter p in command.Parameters)
        {
            single.Parameters.Add(p.Clone());
        }

        return single;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }
}

/// <summary>A parcel whose normalized status moved forward.</summary>
public sealed record ParcelChange(Guid ParcelId, string Carrier, string TrackingNumber, string Previous, string Current);
