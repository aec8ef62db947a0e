using Dapper;
using Microsoft.Extensions.Options;
using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>Waits until every line of the order has shipped, or has been delivered (input "until").</summary>
public sealed class WaitForParcelsActivity(PartialShipments partialShipments, IOptions<FulfillmentOptions> options) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.WaitForParcels",
        Category = OrderWorkflow.Category,
        DisplayName = "Wait for parcels",
        Description = "Waits until every line is in a parcel (until = shipped) or every parcel is delivered (until = delivered). Woken by tracking updates.",
        Inputs = [new InputDescriptor("until", "string", "Until", Required: true, Default: "delivered", SupportsExpression: false, Options: ["shipped", "delivered"])],
        Outcomes = ["Done"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => CheckAsync(context);

    public ValueTask<ActivityResult> ResumeAsync(ActivityContext context) => CheckAsync(context);

    private async ValueTask<ActivityResult> CheckAsync(ActivityContext context)
    {
        var until = context.GetInput<string>("until") ?? "delivered";
        if (until is not ("shipped" or "delivered"))
        {
            throw new ActivityInputException(context.ActivityId, "until", "must be 'shipped' or 'delivered'");
        }

        var orderId = OrderWorkflow.OrderId(context);
        var waitingFor = await context.Connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM fulfillment.order_lines
            WHERE order_id = @orderId AND status <> 'cancelled'
              AND NOT (status = 'delivered' OR (@until = 'shipped' AND status = 'shipped'))
            """, new { orderId, until }, context.Transaction, cancellationToken: context.CancellationToken));
        if (waitingFor == 0)
        {
            return ActivityResult.Done();
        }

        if (until == "shipped")
        {
            // Parcels the sweep saw before the order was placed: the order is partially shipped from now on.
            await partialShipments.PublishIfPartialAsync(context.Connection, context.Transaction, orderId, context.CancellationToken);
        }

        return OrderWorkflow.WaitForUpdate(context, orderId, options.Value.WaitFallbackSeconds);
    }
}
