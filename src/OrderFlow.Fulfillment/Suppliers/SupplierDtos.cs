namespace OrderFlow.Fulfillment.Suppliers;

// The wire shapes of the "orderflow" supplier protocol (camelCase JSON).

public sealed record SupplierItems<T>(IReadOnlyList<T> Items);

public sealed record CatalogItem(string Sku, string? Name, int Available, decimal UnitPrice, decimal ShippingPrice, string Currency);

public sealed record PlaceOrderRequest(string Reference, string Currency, ShipTo ShipTo, IReadOnlyList<PlaceOrderLine> Lines);

public sealed record ShipTo(string Name, string Line1, string? Line2, string City, string PostalCode, string? Region, string Country, string Email, string? Phone);

public sealed record PlaceOrderLine(string LineRef, string Sku, int Quantity);

public sealed record StatusQuery(IReadOnlyList<string> Ids);

public sealed record StockQuery(IReadOnlyList<string> Skus);

public sealed record StockLevel(string Sku, int Available);

public sealed record SupplierOrderDto(
    string Id,
    string Reference,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    RejectionDto? Rejection,
    IReadOnlyList<SupplierLineDto> Lines,
    IReadOnlyList<ShipmentDto>? Shipments);

public sealed record RejectionDto(string Reason, string? Message, IReadOnlyList<string>? LineRefs);

public sealed record SupplierLineDto(string LineRef, string Sku, int Quantity, string Status, string? RejectionReason);

public sealed record ShipmentDto(
    string Id,
    string Carrier,
    string TrackingNumber,
    string? TrackingUrl,
    IReadOnlyList<string> LineRefs,
    string Status,
    DateTimeOffset? EstimatedDelivery,
    IReadOnlyList<TrackingEventDto>? Events);

public sealed record TrackingEventDto(string Id, string Status, DateTimeOffset OccurredAt, string? Location, string? Message);
