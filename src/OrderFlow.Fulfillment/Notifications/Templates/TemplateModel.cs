using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>
/// The variables a message template sees (documented in the README): <c>event</c>, <c>customer</c>, <c>order</c> (with
/// <c>lines</c>), <c>merchant</c>, <c>parcels</c>, <c>parcel</c> (the parcel whose change sent the message, if any) and
/// <c>tracking_page_url</c>. Names are snake_case, values plain dictionaries and lists.
/// </summary>
public static class TemplateModel
{
    /// <summary>An order's facts for <paramref name="event"/>, read in the caller's transaction; null when there is no such order.</summary>
    public static async Task<NotificationFacts?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, OrderSnapshots snapshots,
        Guid orderId, string @event, Guid? parcelId, CancellationToken ct)
    {
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            SELECT o.merchant_id AS MerchantId, m.name AS MerchantName, m.sms_enabled AS SmsEnabled, o.merchant_order_id AS Number, o.status AS Status,
                   o.total AS Total, o.currency AS Currency, o.created_at AS CreatedAt, o.tracking_token AS Token,
                   o.customer->>'name' AS CustomerName, o.customer->>'email' AS Email, o.customer->>'phone' AS Phone
            FROM fulfillment.orders o JOIN fulfillment.merchants m ON m.id = o.merchant_id WHERE o.id = @orderId;
            SELECT line_id AS LineId, sku AS Sku, name AS Name, quantity AS Quantity, status AS Status
            FROM fulfillment.order_lines WHERE order_id = @orderId ORDER BY line_id;
            SELECT id AS Id, carrier AS Carrier, tracking_number AS TrackingNumber, tracking_url AS TrackingUrl, status AS Status,
                   estimated_delivery AS EstimatedDelivery
            FROM fulfillment.parcels WHERE order_id = @orderId ORDER BY created_at;
            """, new { orderId }, tx, cancellationToken: ct));
        var order = await grid.ReadSingleOrDefaultAsync<OrderRow>();
        if (order is null)
        {
            return null;
        }

        var lines = (await grid.ReadAsync<LineRow>()).ToList();
        var parcels = (await grid.ReadAsync<ParcelRow>()).ToList();
        var model = Build(@event,
            new Dictionary<string, object?> { ["name"] = order.CustomerName, ["email"] = order.Email, ["phone"] = order.Phone },
            new Dictionary<string, object?>
            {
                ["id"] = orderId.ToString(), ["number"] = order.Number, ["status"] = order.Status, ["total"] = order.Total,
                ["total_formatted"] = order.Total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                ["currency"] = order.Currency, ["created_at"] = new DateTimeOffset(order.CreatedAt, TimeSpan.Zero),
                ["lines"] = lines.Select(l => (object?)new Dictionary<string, object?>
                {
                    ["id"] = l.LineId, ["sku"] = l.Sku, ["name"] = l.Name ?? l.Sku, ["quantity"] = l.Quantity, ["status"] = l.Status,
                }).ToList(),
            },
            order.MerchantId, order.MerchantName, snapshots.TrackingPageUrl(order.Token),
            parcels.Select(p => (p.Id, Parcel(p.Carrier, p.TrackingNumber, p.TrackingUrl, p.Status, p.EstimatedDelivery))).ToList(), parcelId);
        return new NotificationFacts(order.MerchantId, order.SmsEnabled, order.Email, order.Phone, model);
    }

    /// <summary>A made-up order of the merchant, for previews: two lines, one parcel out for delivery.</summary>
    public static IReadOnlyDictionary<string, object?> Sample(string @event, string merchantId, string merchantName, string trackingPageUrl, DateTimeOffset now)
    {
        var parcelId = Guid.Empty;
        return Build(@event,
            new Dictionary<string, object?> { ["name"] = "Ada Lovelace", ["email"] = "ada@example.com", ["phone"] = "+4915112345678" },
            new Dictionary<string, object?>
            {
                ["id"] = "0190f3c2-7a1e-7c55-9a55-3f1d2b1c0a01", ["number"] = "#1042", ["status"] = "shipped", ["total"] = 61.50m, ["total_formatted"] = "61.50", ["currency"] = "EUR",
                ["created_at"] = now.AddDays(-2),
                ["lines"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["id"] = "1", ["sku"] = "MUG-BLUE", ["name"] = "Blue mug", ["quantity"] = 2, ["status"] = "shipped" },
                    new Dictionary<string, object?> { ["id"] = "2", ["sku"] = "TEE-BLACK-M", ["name"] = "Black tee, M", ["quantity"] = 1, ["status"] = "shipped" },
                },
            },
            merchantId, merchantName, trackingPageUrl,
            [(parcelId, Parcel("DHL", "JD014600006281512345", "https://www.dhl.com/track?id=JD014600006281512345", "OutForDelivery", now.AddHours(6).UtcDateTime))],
            parcelId);
    }

    private static Dictionary<string, object?> Build(string @event, Dictionary<string, object?> customer, Dictionary<string, object?> order,
        string merchantId, string merchantName, string trackingPageUrl, List<(Guid Id, Dictionary<string, object?> Parcel)> parcels, Guid? parcelId) => new()
    {
        ["event"] = @event,
        ["customer"] = customer,
        ["order"] = order,
        ["merchant"] = new Dictionary<string, object?> { ["id"] = merchantId, ["name"] = merchantName },
        ["tracking_page_url"] = trackingPageUrl,
        ["parcels"] = parcels.Select(p => (object?)p.Parcel).ToList(),
        ["parcel"] = parcels.FirstOrDefault(p => p.Id == parcelId).Parcel,
    };

    private static Dictionary<string, object?> Parcel(string carrier, string trackingNumber, string? trackingUrl, string status, DateTime? estimatedDelivery) => new()
    {
        ["carrier"] = carrier,
        ["tracking_number"] = trackingNumber,
        ["tracking_url"] = trackingUrl,
        ["status"] = status,
        ["estimated_delivery"] = estimatedDelivery is { } eta ? new DateTimeOffset(DateTime.SpecifyKind(eta, DateTimeKind.Utc)) : null,
    };

    private sealed record OrderRow
    {
        public string MerchantId { get; init; } = "";
        public string MerchantName { get; init; } = "";
        public bool SmsEnabled { get; init; }
        public string Number { get; init; } = "";
        public string Status { get; init; } = "";
        public decimal Total { get; init; }
        public string Currency { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public string Token { get; init; } = "";
        public string? CustomerName { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
    }

    private sealed record LineRow(string LineId, string Sku, string? Name, int Quantity, string Status);

    private sealed record ParcelRow(Guid Id, string Carrier, string TrackingNumber, string? TrackingUrl, string Status, DateTime? EstimatedDelivery);
}

/// <summary>What a notification needs to know about its order: where it goes, and the template variables.</summary>
public sealed record NotificationFacts(string MerchantId, bool SmsEnabled, string? Email, string? Phone, IReadOnlyDictionary<string, object?> Model);
