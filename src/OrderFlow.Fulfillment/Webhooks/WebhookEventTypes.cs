namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>The status events a storefront can subscribe to.</summary>
public static class WebhookEventTypes
{
    public static readonly IReadOnlyList<string> All =
    [
        "order.received", "order.routed", "order.placed", "order.partially_shipped", "order.shipped", "shipment.updated",
        "order.delivered", "order.exception", "order.cancelled",
    ];
}
