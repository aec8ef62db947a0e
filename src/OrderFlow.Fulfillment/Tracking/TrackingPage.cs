using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>Reads an order for its public tracking page by the unguessable token in the link.</summary>
public sealed class TrackingPage(NpgsqlDataSource dataSource)
{
    public async Task<TrackingPageModel?> FindAsync(string token, CancellationToken ct)
    {
        // Tokens are short opaque strings; anything else is not worth a query.
        if (token.Length is 0 or > 128)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT o.id AS Id, m.name AS ShopName, o.merchant_order_id AS OrderNumber, o.status AS Status, o.created_at AS CreatedAt
            FROM fulfillment.orders o JOIN fulfillment.merchants m ON m.id = o.merchant_id WHERE o.tracking_token = @token;
            SELECT p.id AS Id, p.carrier AS Carrier, p.tracking_number AS TrackingNumber, p.tracking_url AS TrackingUrl, p.status AS Status,
                   p.estimated_delivery AS EstimatedDelivery, p.line_ids AS LineIds
            FROM fulfillment.parcels p JOIN fulfillment.orders o ON o.id = p.order_id WHERE o.tracking_token = @token ORDER BY p.created_at;
            SELECT e.parcel_id AS ParcelId, e.occurred_at AS OccurredAt, e.status AS Status, e.location AS Location, e.message AS Message
            FROM fulfillment.tracking_events e JOIN fulfillment.parcels p ON p.id = e.parcel_id JOIN fulfillment.orders o ON o.id = p.order_id
            WHERE o.tracking_token = @token ORDER BY e.occurred_at DESC;
            SELECT l.line_id AS LineId, coalesce(l.name, l.sku) AS Name, l.quantity AS Quantity, l.status AS Status
            FROM fulfillment.order_lines l JOIN fulfillment.orders o ON o.id = l.order_id WHERE o.tracking_token = @token ORDER BY l.line_id;
            """, new { token }, cancellationToken: ct));
        var order = await grid.ReadSingleOrDefaultAsync<OrderRow>();
        if (order is null)
        {
            return null;
        }

        var parcels = (await grid.ReadAsync<ParcelRow>()).ToList();
        var checkpoints = (await grid.ReadAsync<CheckpointRow>()).ToList();
        var lines = (await grid.ReadAsync<LineRow>()).ToList();
        var shipped = parcels.SelectMany(p => p.LineIds).ToHashSet();
        return new TrackingPageModel(order.ShopName, order.OrderNumber, order.Status, order.CreatedAt,
            parcels.Select(p => new TrackingPageParcel(p.Carrier, p.TrackingNumber, p.TrackingUrl, p.Status, p.EstimatedDelivery,
                lines.Where(l => p.LineIds.Contains(l.LineId)).Select(l => new TrackingPageItem(l.Name, l.Quantity)).ToList(),
                checkpoints.Where(c => c.ParcelId == p.Id).Select(c => new TrackingPageCheckpoint(c.OccurredAt, c.Status, c.Location, c.Message)).ToList())).ToList(),
            lines.Where(l => !shipped.Contains(l.LineId) && l.Status != "cancelled").Select(l => new TrackingPageItem(l.Name, l.Quantity)).ToList());
    }

    private sealed record OrderRow(Guid Id, string ShopName, string OrderNumber, string Status, DateTime CreatedAt);

    private sealed record ParcelRow
    {
        public Guid Id { get; init; }
        public string Carrier { get; init; } = "";
        public string TrackingNumber { get; init; } = "";
        public string? TrackingUrl { get; init; }
        public string Status { get; init; } = "";
        public DateTime? EstimatedDelivery { get; init; }
        public string[] LineIds { get; init; } = [];
    }

    private sealed record CheckpointRow(Guid ParcelId, DateTime OccurredAt, string Status, string? Location, string? Message);

    private sealed record LineRow(string LineId, string Name, int Quantity, string Status);
}
