namespace OrderFlow.SupplierSimulator.Suppliers;

// The supplier API's JSON shapes (camelCase on the wire), as in contracts/simulator.md.

internal static class OrderStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";
}

internal static class ShipmentStatus
{
    public const string InfoReceived = "InfoReceived";
    public const string InTransit = "InTransit";
    public const string OutForDelivery = "OutForDelivery";
    public const string Delivered = "Delivered";

    public static readonly string[] Sequence = [InfoReceived, InTransit, OutForDelivery, Delivered];
}

internal static class RejectionReason
{
    public const string OutOfStock = "out_of_stock";
    public const string IneligibleProduct = "ineligible_product";
    public const string BadAddress = "bad_address";
    public const string Undeliverable = "undeliverable";
    public const string Other = "other";
}

internal sealed record PlaceOrderRequest(string? Reference, string? Currency, ShipToDto? ShipTo, List<PlaceOrderLine?>? Lines);

internal sealed record ShipToDto(
    string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Region, string? Country, string? Email, string? Phone);

internal sealed record PlaceOrderLine(string? LineRef, string? Sku, int Quantity);

internal sealed record StatusQuery(List<string>? Ids);

internal sealed record ItemsDto<T>(IReadOnlyList<T> Items);

internal sealed record StockQuery(List<string?>? Skus);

/// <summary>Live stock of one SKU; SKUs the supplier does not list are left out of the answer.</summary>
internal sealed record StockLevelDto(string Sku, int Available);

internal sealed record CatalogItemDto(string Sku, string Name, int Available, decimal UnitPrice, decimal ShippingPrice, string Currency);

internal sealed record SupplierOrderDto(
    string Id,
    string Reference,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    RejectionDto? Rejection,
    IReadOnlyList<OrderLineDto> Lines,
    IReadOnlyList<ShipmentDto> Shipments);

internal sealed record RejectionDto(string Reason, string Message, IReadOnlyList<string> LineRefs);

internal sealed record OrderLineDto(string LineRef, string Sku, int Quantity, string Status, string? RejectionReason);

internal sealed record ShipmentDto(
    string Id,
    string Carrier,
    string TrackingNumber,
    string TrackingUrl,
    IReadOnlyList<string> LineRefs,
    string Status,
    DateTimeOffset EstimatedDelivery,
    IReadOnlyList<TrackingEventDto> Events);

internal sealed record TrackingEventDto(string Id, string Status, DateTimeOffset OccurredAt, string Location, string Message);

internal sealed record LedgerEntryDto(string SupplierId, string OrderId, string Reference, string IdempotencyKey, int Requests, DateTimeOffset CreatedAt);
