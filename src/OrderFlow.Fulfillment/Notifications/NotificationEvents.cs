namespace OrderFlow.Fulfillment.Notifications;

/// <summary>The customer notification events (DOMAIN.md): one message per order and event, whatever the number of checkpoints.</summary>
public static class NotificationEvents
{
    public const string Shipped = "shipped";
    public const string OutForDelivery = "out_for_delivery";
    public const string Delivered = "delivered";
    public const string AttemptFailed = "attempt_failed";
    public const string AvailableForPickup = "available_for_pickup";
    public const string Exception = "exception";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Shipped, OutForDelivery, Delivered, AttemptFailed, AvailableForPickup, Exception, Cancelled];
}
