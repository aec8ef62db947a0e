using System.Text.Json.Nodes;
using Dapper;
using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Routing;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>
/// Assigns every line that has no live supplier (new, or rejected by its supplier) to the preferred supplier with stock,
/// skipping suppliers that already rejected it, confirms the stock live where the supplier offers it (nothing is placed
/// here, so a changed plan never means a second placement), and splits the order into one supplier order per supplier.
/// </summary>
public sealed class RouteLinesActivity(LineRouter router, StatusPublisher publisher) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.RouteLines",
        Category = OrderWorkflow.Category,
        DisplayName = "Route lines",
        Description = "Chooses a supplier for each unassigned line by the merchant's routing rules (default: highest priority with stock; never one that rejected the line), confirms stock live with suppliers that offer it, and creates the supplier orders. Unroutable holds for review; Cancel when the matching rule says so.",
        Outputs =
        [
            new OutputDescriptor("routes", "json", "Line id → supplier id for the lines routed in this run."),
            new OutputDescriptor("unroutable", "json", "Lines no supplier can take."),
            new OutputDescriptor("rule", "string", "The routing rule that decided."),
            new OutputDescriptor("landedCost", "number", "Items + shipping + fees of the supplier orders created."),
        ],
        Outcomes = ["Routed", "Unroutable", "Cancel"],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orderId = OrderWorkflow.OrderId(context);
        var plan = await router.PlanAsync(context.Connection, context.Transaction, orderId, context.CancellationToken);
        if (plan.Unroutable.Count > 0)
        {
            context.SetOutput("unroutable", new JsonArray([.. plan.Unroutable.Select(l => JsonValue.Create(l))]));
            context.SetOutput("rule", plan.Rule);
            return ActivityResult.Outcome(plan.Fallback == Routing.RoutingFallbacks.Cancel ? "Cancel" : "Unroutable");
        }

        // The round makes the supplier reference (our idempotency key) the same if this burst runs again.
        var created = await router.ApplyAsync(context.Connection, context.Transaction, orderId, plan, context.ExecutionCount, context.Clock.GetUtcNow(), context.CancellationToken);
        var routes = new JsonObject();
        foreach (var (lineId, supplierId) in plan.Assignments)
        {
            routes[lineId] = supplierId;
        }

        context.SetOutput("routes", routes);
        context.SetOutput("rule", plan.Rule);
        context.SetOutput("landedCost", plan.Total);
        if (created > 0)
        {
            var suppliers = new JsonArray([.. plan.Assignments.Values.Distinct().Select(s => JsonValue.Create(s))]);
            await publisher.PublishStatusAsync(context.Connection, context.Transaction, orderId, OrderStatuses.Routed, new JsonObject { ["suppliers"] = suppliers }, context.CancellationToken);
            context.Logger.LogRouted(orderId, plan.Assignments.Count, created);
        }

        return ActivityResult.Outcome("Routed");
    }
}
