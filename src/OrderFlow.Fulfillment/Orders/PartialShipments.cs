using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>
/// Moves a placed order to <c>partially_shipped</c> (and tells the storefront, once) when some of its lines have shipped and
/// others have not. Called by the tracking sweep when parcels appear and by the workflow when it starts waiting for them,
/// so the state is reached whichever comes first, and never before the order is placed. The workflow publishes
/// <c>shipped</c> once every line is.
/// </summary>
public sealed class PartialShipments(StatusPublisher publisher, OrderSnapshots snapshots)
{
    public async Task<bool> PublishIfPartialAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        var partial = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM fulfillment.orders o WHERE o.id = @orderId AND o.status = 'placed'
              AND EXISTS (SELECT 1 FROM fulfillment.order_lines l WHERE l.order_id = o.id AND l.status IN ('shipped', 'delivered'))
              AND EXISTS (SELECT 1 FROM fulfillment.order_lines l WHERE l.order_id = o.id AND l.status NOT IN ('shipped', 'delivered', 'cancelled')))
            """, new { orderId }, tx, cancellationToken: ct));
        return partial && await publisher.PublishStatusAsync(connection, tx, orderId, OrderStatuses.PartiallyShipped,
            await snapshots.ParcelsAsync(connection, tx, orderId, ct), ct);
    }
}
