using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>Cancels the order: supplier orders not yet shipped are cancelled at the supplier, storefront and customer told.</summary>
public sealed class CancelOrderActivity(OrderCancellation cancellation) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.CancelOrder",
        Category = OrderWorkflow.Category,
        DisplayName = "Cancel order",
        Description = "Cancels unshipped supplier orders at their suppliers, publishes order.cancelled and tells the customer.",
        Inputs = [new InputDescriptor("reason", "string", "Reason", Default: "Cancelled by the workflow.")],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        await cancellation.CancelAsync(context.Connection, context.Transaction, OrderWorkflow.OrderId(context),
            context.GetInput<string>("reason") ?? "Cancelled by the workflow.", context.CancellationToken);
        return ActivityResult.Done();
    }
}
