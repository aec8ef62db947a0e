using System.Text.Json.Nodes;
using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>
/// Puts the order in exception and raises an incident for a human. Ops resolve it by skipping with outcome Reroute
/// (after fixing stock or suppliers) or Cancel.
/// </summary>
public sealed class HoldForReviewActivity(StatusPublisher publisher) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.HoldForReview",
        Category = OrderWorkflow.Category,
        DisplayName = "Hold for review",
        Description = "Marks the order as an exception and waits for ops: skip the incident with Reroute or Cancel.",
        Inputs = [new InputDescriptor("reason", "string", "Reason", Default: "No supplier can fulfil every line.")],
        Outcomes = ["Reroute", "Cancel"],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orderId = OrderWorkflow.OrderId(context);
        var reason = context.GetInput<string>("reason") ?? "Held for review.";
        await publisher.PublishStatusAsync(context.Connection, context.Transaction, orderId, OrderStatuses.Exception, new JsonObject { ["reason"] = reason }, context.CancellationToken);
        context.Logger.LogHeld(orderId, reason);
        return ActivityResult.Halt($"{reason} Skip with outcome Reroute once stock or suppliers are fixed, or Cancel.");
    }
}
