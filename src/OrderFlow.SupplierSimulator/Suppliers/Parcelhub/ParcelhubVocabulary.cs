namespace OrderFlow.SupplierSimulator.Suppliers.Parcelhub;

/// <summary>Parcelhub's words for what the shared order book decides: order states, item results, decline codes, checkpoint codes.</summary>
internal static class ParcelhubVocabulary
{
    public static string State(string status) => status switch
    {
        OrderStatus.Pending => "received",
        OrderStatus.Accepted => "confirmed",
        OrderStatus.Rejected => "declined",
        OrderStatus.Shipped => "dispatched",
        OrderStatus.Delivered => "completed",
        OrderStatus.Cancelled => "voided",
        _ => status,
    };

    public static string ItemResult(string status) => status switch
    {
        OrderStatus.Accepted => "confirmed",
        OrderStatus.Rejected => "declined",
        _ => "pending",
    };

    public static string? DeclineCode(string? reason) => reason switch
    {
        null => null,
        RejectionReason.OutOfStock => "NO_STOCK",
        RejectionReason.IneligibleProduct => "SKU_NOT_LISTED",
        RejectionReason.BadAddress => "ADDRESS_INVALID",
        RejectionReason.Undeliverable => "ZONE_NOT_SERVED",
        _ => "REFUSED",
    };

    /// <summary>Carrier scan codes: manifested, departed a hub, out for delivery, delivered.</summary>
    public static string CheckpointCode(string status) => status switch
    {
        ShipmentStatus.InfoReceived => "MAN",
        ShipmentStatus.InTransit => "DEP",
        ShipmentStatus.OutForDelivery => "OFD",
        ShipmentStatus.Delivered => "DLV",
        _ => "UNK",
    };
}
