using Dapper;
using Microsoft.Extensions.Options;
using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>
/// Waits until the suppliers have decided on every line: Accepted when all took their lines (the order is then placed),
/// Rejected as soon as one refused a line, so it can be rerouted while the others go on.
/// </summary>
public sealed class AwaitSupplierDecisionsActivity(StatusPublisher publisher, IOptions<FulfillmentOptions> options) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.AwaitSupplierDecisions",
        Category = OrderWorkflow.Category,
        DisplayName = "Await supplier decisions",
        Description = "Waits for the suppliers to accept or reject their lines (woken by the tracking poll). Publishes order.placed when all accepted.",
        Outcomes = ["Accepted", "Rejected"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => CheckAsync(context);

    public ValueTask<ActivityResult> ResumeAsync(ActivityContext context) => CheckAsync(context);

    private async ValueTask<ActivityResult> CheckAsync(ActivityContext context)
    {
        var orderId = OrderWorkflow.OrderId(context);
        var counts = await context.Connection.QuerySingleAsync<(long Rejected, long Undecided)>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE status = 'rejected'), count(*) FILTER (WHERE status IN ('new', 'routed', 'placed'))
            FROM fulfillment.order_lines WHERE order_id = @orderId
            """, new { orderId }, context.Transaction, cancellationToken: context.CancellationToken));
        if (counts.Rejected > 0)
        {
            return ActivityResult.Outcome("Rejected");
        }

        if (counts.Undecided > 0)
        {
            return OrderWorkflow.WaitForUpdate(context, orderId, options.Value.WaitFallbackSeconds);
        }

        await publisher.PublishStatusAsync(context.Connection, context.Transaction, orderId, OrderStatuses.Placed, null, context.CancellationToken);
        return ActivityResult.Outcome("Accepted");
    }
}
