using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>Moves the order to a status and sends <c>order.{status}</c> to the merchant's storefront (once per status).</summary>
public sealed class PublishStatusActivity(StatusPublisher publisher, OrderSnapshots snapshots) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.PublishStatus",
        Category = OrderWorkflow.Category,
        DisplayName = "Publish status",
        Description = "Sets the order's status and records the storefront webhook order.{status} (sent by the outbox, signed, with retries).",
        Inputs = [new InputDescriptor("status", "string", "Status", Required: true, SupportsExpression: false, Options: [.. OrderStatuses.Publishable])],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var status = context.GetRequiredString("status");
        if (!OrderStatuses.Publishable.Contains(status))
        {
            throw new ActivityInputException(context.ActivityId, "status", $"must be one of {string.Join(", ", OrderStatuses.Publishable)}");
        }

        var orderId = OrderWorkflow.OrderId(context);
        var data = await snapshots.ParcelsAsync(context.Connection, context.Transaction, orderId, context.CancellationToken);
        await publisher.PublishStatusAsync(context.Connection, context.Transaction, orderId, status, data, context.CancellationToken);
        return ActivityResult.Done();
    }
}
