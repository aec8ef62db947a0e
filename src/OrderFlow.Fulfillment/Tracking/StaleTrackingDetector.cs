using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// Finds tracking that went quiet (DOMAIN.md): a supplier order accepted 7 days ago without any parcel, or a parcel in
/// transit without news for 48 hours. Each finding raises <c>order.exception</c> once (the event id names the parcel or
/// supplier order and the kind) and flags the order for the console's attention list; the flag clears once no finding is left.
/// </summary>
public sealed class StaleTrackingDetector(NpgsqlDataSource dataSource, StatusPublisher publisher, TimeProvider clock, ILogger<StaleTrackingDetector> logger)
{
    public static readonly TimeSpan NoTrackingAfter = TimeSpan.FromDays(7);
    public static readonly TimeSpan NoUpdateAfter = TimeSpan.FromHours(48);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var findings = (await connection.QueryAsync<Finding>(new CommandDefinition("""
            SELECT so.order_id AS OrderId, 'no_tracking' AS Kind, so.id::text AS SubjectId, NULL AS TrackingNumber, so.placed_at AS Since
            FROM fulfillment.supplier_orders so
            WHERE so.status = 'accepted' AND so.placed_at < @noTracking
              AND NOT EXISTS (SELECT 1 FROM fulfillment.parcels p WHERE p.supplier_order_id = so.id)
            UNION ALL
            SELECT p.order_id, 'no_update', p.id::text, p.tracking_number, coalesce(p.last_event_at, p.created_at)
            FROM fulfillment.parcels p
            WHERE p.status IN ('Pending', 'InfoReceived', 'InTransit') AND coalesce(p.last_event_at, p.created_at) < @noUpdate
            """, new { noTracking = now - NoTrackingAfter, noUpdate = now - NoUpdateAfter }, tx, cancellationToken: ct))).ToList();

        var raised = 0;
        foreach (var f in findings)
        {
            var reason = f.Kind == "no_tracking"
                ? $"No tracking {NoTrackingAfter.TotalDays:0} days after the supplier accepted the order."
                : $"No carrier update for parcel {f.TrackingNumber} since {f.Since:u}.";
            if (await publisher.PublishEventAsync(connection, tx, f.OrderId, "order.exception", $"stale_{f.Kind}_{f.SubjectId}",
                    new JsonObject { ["reason"] = f.Kind == "no_tracking" ? "tracking_missing" : "tracking_stale", ["message"] = reason }, ct))
            {
                raised++;
                logger.LogWarning("Order {OrderId} has stale tracking: {Reason}", f.OrderId, reason);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE fulfillment.orders SET attention_reason = @reason, updated_at = @now WHERE id = @OrderId AND attention_reason IS DISTINCT FROM @reason",
                new { f.OrderId, reason, now }, tx, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE fulfillment.orders SET attention_reason = NULL, updated_at = @now WHERE attention_reason IS NOT NULL AND NOT (id = ANY (@stale))",
            new { stale = findings.Select(f => f.OrderId).Distinct().ToArray(), now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return raised;
    }

    private sealed record Finding(Guid OrderId, string Kind, string SubjectId, string? TrackingNumber, DateTime Since);
}
