namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>
/// One supplier order as the simulator remembers it: the request plus the decisions taken so far.
/// Only facts are stored (when it was decided, when it shipped); statuses are derived from the clock on read.
/// Mutated only under <see cref="SupplierOrderBook"/>'s lock.
/// </summary>
internal sealed class StoredOrder(string id, string supplierId, string reference, string idempotencyKey, ShipToDto shipTo,
    IReadOnlyList<StoredLine> lines, DateTimeOffset createdAt)
{
    public string Id { get; } = id;
    public string SupplierId { get; } = supplierId;
    public string Reference { get; } = reference;
    public string IdempotencyKey { get; } = idempotencyKey;
    public ShipToDto ShipTo { get; } = shipTo;
    public IReadOnlyList<StoredLine> Lines { get; } = lines;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>POSTs that carried this order's idempotency key.</summary>
    public int Requests { get; set; } = 1;

    public DateTimeOffset? DecidedAt { get; set; }
    public RejectionDto? Rejection { get; set; }
    public DateTimeOffset? ShippedAt { get; set; }
    public List<StoredShipment> Shipments { get; } = [];
    public DateTimeOffset? CancelledAt { get; set; }

    public bool IsSettled => CancelledAt is not null || ShippedAt is not null
        || (DecidedAt is not null && Lines.All(l => l.Status == OrderStatus.Rejected));
}

internal sealed class StoredLine(string lineRef, string sku, int quantity)
{
    public string LineRef { get; } = lineRef;
    public string Sku { get; } = sku;
    public int Quantity { get; } = quantity;
    public string Status { get; set; } = OrderStatus.Pending;
    public string? RejectionReason { get; set; }
}

/// <summary>A parcel with its whole tracking history fixed at hand-over; events become visible as the clock passes them.</summary>
internal sealed record StoredShipment(
    string Id, string Carrier, string TrackingNumber, IReadOnlyList<string> LineRefs, IReadOnlyList<TrackingEventDto> Events)
{
    public DateTimeOffset DeliveredAt => Events[^1].OccurredAt;
}
