using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>The facts of an order that events and notifications carry: its parcels and the public tracking page.</summary>
public sealed class OrderSnapshots(IOptions<FulfillmentOptions> options)
{
    public string TrackingPageUrl(string token) => $"{options.Value.PublicBaseUrl.TrimEnd('/')}/track/{token}";

    /// <summary><c>{ parcels: [...], trackingPageUrl }</c> for status events.</summary>
    public async Task<JsonObject> ParcelsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        var parcels = await connection.QueryAsync<ParcelRow>(new CommandDefinition("""
            SELECT p.carrier AS Carrier, p.tracking_number AS TrackingNumber, p.tracking_url AS TrackingUrl, p.status AS Status,
                   p.line_ids AS LineIds, p.estimated_delivery AS EstimatedDelivery, o.tracking_token AS Token
            FROM fulfillment.orders o LEFT JOIN fulfillment.parcels p ON p.order_id = o.id
            WHERE o.id = @orderId ORDER BY p.created_at
            """, new { orderId }, tx, cancellationToken: ct));
        var list = parcels.ToList();
        var array = new JsonArray();
        foreach (var p in list.Where(p => p.TrackingNumber is not null))
        {
            array.Add(new JsonObject
            {
                ["carrier"] = p.Carrier,
                ["trackingNumber"] = p.TrackingNumber,
                ["trackingUrl"] = p.TrackingUrl,
                ["status"] = p.Status,
                ["lineIds"] = new JsonArray([.. p.LineIds!.Select(l => JsonValue.Create(l))]),
                ["estimatedDelivery"] = p.EstimatedDelivery,
            });
        }

        return new JsonObject { ["parcels"] = array, ["trackingPageUrl"] = list.Count > 0 ? TrackingPageUrl(list[0].Token) : null };
    }

    private sealed record ParcelRow
    {
        public string? Carrier { get; init; }
        public string? TrackingNumber { get; init; }
        public string? TrackingUrl { get; init; }
        public string? Status { get; init; }
        public string[]? LineIds { get; init; }
        public DateTime? EstimatedDelivery { get; init; }
        public string Token { get; init; } = "";
    }
}
