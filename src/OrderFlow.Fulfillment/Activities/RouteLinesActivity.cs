using System.Text.Json.Nodes;
using Dapper;
using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Routing;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>
/// Assigns every line that has no live supplier (new, or rejected by its supplier) to the preferred supplier with stock,
/// skipping suppliers that already rejected it, and splits the order into one supplier order per supplier.
/// </summary>
public sealed class RouteLinesActivity(LineRouter router, StatusPublisher publisher) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.RouteLines",
        Category = OrderWorkflow.Category,
        DisplayName = "Route lines",
        Description = "Chooses a supplier for each unassigned line (highest priority with stock, never one that rejected it) and creates the supplier orders.",
        Outputs = [new OutputDescriptor("routes", "json", "Line id → supplier id for the lines routed in this run."), new OutputDescriptor("unroutable", "json", "Lines no supplier can take.")],
        Outcomes = ["Routed", "Unroutable"],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orderId = OrderWorkflow.OrderId(context);
        var plan = await router.PlanAsync(context.Connection, context.Transaction, orderId, context.CancellationToken);
        if (plan.Unroutable.Count > 0)
        {
            context.SetOutput("unroutable", new JsonArray([.. plan.Unroutable.Select(l => JsonValue.Create(l))]));
            return ActivityResult.Outcome("Unroutable");
        }

        // The round makes the supplier reference (our idempotency key) the same if this burst runs again.
        var created = await router.ApplyAsync(context.Connection, context.Transaction, orderId, plan, context.ExecutionCount, context.Clock.GetUtcNow(), context.CancellationToken);
        var routes = new JsonObject();
        foreach (var (lineId, supplierId) in plan.Assignments)
        {
            routes[lineId] = supplierId;
        }

        context.SetOutput("routes", routes);
        if (created > 0)
        {
            var suppliers = new JsonArray([.. plan.Assignments.Values.Distinct().Select(s => JsonValue.Create(s))]);
            await publisher.PublishStatusAsync(context.Connection, context.Transaction, orderId, OrderStatuses.Routed, new JsonObject { ["suppliers"] = suppliers }, context.CancellationToken);
            context.Logger.LogRouted(orderId, plan.Assignments.Count, created);
        }

        return ActivityResult.Outcome("Routed");
    }
}
