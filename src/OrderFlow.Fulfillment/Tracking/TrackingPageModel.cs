namespace OrderFlow.Fulfillment.Tracking;

/// <summary>What the public tracking page shows of an order: nothing a customer does not already know.</summary>
public sealed record TrackingPageModel(string ShopName, string OrderNumber, string OrderStatus, DateTime OrderedAt,
    IReadOnlyList<TrackingPageParcel> Parcels, IReadOnlyList<TrackingPageItem> UnshippedItems);

/// <summary>A parcel on the tracking page, its checkpoints newest first.</summary>
public sealed record TrackingPageParcel(string Carrier, string TrackingNumber, string? TrackingUrl, string Status, DateTime? EstimatedDelivery,
    IReadOnlyList<TrackingPageItem> Items, IReadOnlyList<TrackingPageCheckpoint> Checkpoints);

public sealed record TrackingPageItem(string Name, int Quantity);

public sealed record TrackingPageCheckpoint(DateTime OccurredAt, string Status, string? Location, string? Message);
