using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Notifications;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>Sends the customer the message for a status change (once per order and message).</summary>
public sealed class NotifyCustomerActivity(CustomerNotifier notifier) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.NotifyCustomer",
        Category = OrderWorkflow.Category,
        DisplayName = "Notify customer",
        Description = "Records the customer e-mail (and SMS, where enabled) for this event (sent by the outbox after commit; never twice for the same order and message).",
        Inputs = [new InputDescriptor("template", "string", "Message", Required: true, SupportsExpression: false, Options: [.. NotificationEvents.All])],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var template = context.GetRequiredString("template");
        if (!NotificationEvents.All.Contains(template))
        {
            throw new ActivityInputException(context.ActivityId, "template", $"must be one of {string.Join(", ", NotificationEvents.All)}");
        }

        await notifier.RecordAsync(context.Connection, context.Transaction, OrderWorkflow.OrderId(context), template, context.CancellationToken);
        return ActivityResult.Done();
    }
}
