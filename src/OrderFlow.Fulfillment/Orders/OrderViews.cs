using System.Text.Json.Nodes;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>Filters of the order list; every one optional.</summary>
public sealed record OrderFilter(string? Status, string? Merchant, string? Supplier, bool? Attention, string? Query, int? OlderThanMinutes, Guid? Cursor, int? Limit,
    IReadOnlyCollection<string>? Merchants = null);

/// <summary>A page of orders, newest first; pass <see cref="NextCursor"/> back as the cursor for the next page.</summary>
public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, Guid? NextCursor);

/// <summary>An order in a list.</summary>
public sealed record OrderSummary(Guid Id, string MerchantId, string MerchantOrderId, string Status, string? CustomerEmail, decimal Total, string Currency,
    int LineCount, DateTime CreatedAt, DateTime UpdatedAt, Guid? WorkflowInstanceId, bool NeedsAttention);

/// <summary>How many orders are in each status.</summary>
public sealed record OrderStats(long Total, IReadOnlyDictionary<string, long> ByStatus);

/// <summary>An order with everything that happened to it.</summary>
public sealed record OrderDetails(Guid Id, string MerchantId, string MerchantOrderId, string Status, string Currency, decimal Total,
    JsonNode? Customer, JsonNode? ShippingAddress, string[] Tags, Guid? WorkflowInstanceId, string TrackingPageUrl, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<OrderLineView> Lines, IReadOnlyList<SupplierOrderView> SupplierOrders, IReadOnlyList<ParcelView> Parcels,
    IReadOnlyList<StatusEventView> Events, IReadOnlyList<WebhookDeliveryView> Deliveries, IReadOnlyList<NotificationView> Notifications);

public sealed record OrderLineView
{
    public string LineId { get; init; } = "";
    public string Sku { get; init; } = "";
    public string? Name { get; init; }
    public int Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    public string Status { get; init; } = "";
    public string? SupplierId { get; init; }
    public string[] RejectedBy { get; init; } = [];
    public string? RejectionReason { get; init; }
}

public sealed record SupplierOrderView(Guid Id, string SupplierId, string Reference, string? SupplierOrderId, string Status, string? RejectionReason,
    string? RejectionMessage, DateTime? PlacedAt, DateTime UpdatedAt);

public sealed record ParcelView(Guid Id, string Carrier, string TrackingNumber, string? TrackingUrl, string Status, string[] LineIds,
    DateTime? EstimatedDelivery, DateTime? LastEventAt, IReadOnlyList<TrackingEventView> Events);

public sealed record TrackingEventView(Guid ParcelId, string EventId, string Status, DateTime OccurredAt, string? Location, string? Message);

public sealed record StatusEventView(string EventId, int Sequence, string Type, DateTime CreatedAt);

public sealed record WebhookDeliveryView(long Id, string EventId, int Sequence, string Url, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTime NextAttemptAt, DateTime? DeliveredAt);

/// <summary>
/// A customer notification: <see cref="Template"/> is the event (shipped, out_for_delivery, …), the recipient is masked,
/// status is queued, retrying (with <see cref="LastError"/> and <see cref="NextAttemptAt"/>), sent or failed.
/// </summary>
public sealed record NotificationView(Guid Id, string Channel, string Template, string Recipient, string? Subject, string Status, int Attempts, string? LastError,
    DateTime? SentAt, DateTime CreatedAt, DateTime? NextAttemptAt);
