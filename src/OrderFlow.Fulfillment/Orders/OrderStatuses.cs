namespace OrderFlow.Fulfillment.Orders;

/// <summary>The stages of an order, as counted by the console and named in storefront events (<c>order.{status}</c>).</summary>
public static class OrderStatuses
{
    public const string Received = "received";
    public const string Routed = "routed";
    public const string Placed = "placed";
    public const string PartiallyShipped = "partially_shipped";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Exception = "exception";
    public const string Cancelled = "cancelled";

    /// <summary>Statuses a workflow may publish with the PublishStatus activity.</summary>
    public static readonly IReadOnlyList<string> Publishable = [Received, Routed, Placed, Shipped, Delivered, Exception, Cancelled];

    public static readonly IReadOnlyList<string> All = [Received, Routed, Placed, PartiallyShipped, Shipped, Delivered, Exception, Cancelled];

    public static bool IsTerminal(string status) => status is Delivered or Cancelled;
}
