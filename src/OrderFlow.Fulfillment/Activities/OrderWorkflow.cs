using OrderFlow.Engine.Activities;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>What the drop-ship activities share: the order an instance is for, and the bookmark that wakes it.</summary>
public static class OrderWorkflow
{
    public const string Category = "Drop-ship";

    /// <summary>Bookmark name resumed (with the order id as key) whenever a supplier or carrier changes something of the order.</summary>
    public const string UpdatedBookmark = "order-update";

    public static Guid OrderId(ActivityContext context) =>
        context.Variables["orderId"]?.GetValue<string>() is { } text && Guid.TryParse(text, out var id)
            ? id
            : throw new ActivityInputException(context.ActivityId, "orderId", "is missing from the instance variables (start the workflow with {\"orderId\": \"…\"})");

    /// <summary>Waits for the next change of the order, re-checking by timer in case a wake-up was missed.</summary>
    public static ActivityResult WaitForUpdate(ActivityContext context, Guid orderId, int fallbackSeconds) =>
        ActivityResult.Wait(UpdatedBookmark, orderId.ToString(), context.Clock.GetUtcNow().AddSeconds(fallbackSeconds));
}
