using OrderFlow.Engine.Activities;

namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>Places an order at the fake supplier under the activity's idempotency key (an effect outside the database).</summary>
public sealed class SimPlaceActivity(SimSupplier supplier) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Sim.Place", Category = "Simulation", DisplayName = "Place at the fake supplier",
        Outputs = [new OutputDescriptor("supplierOrderId", "string", "The supplier's order id.")],
        DefaultRetry = new RetryPolicy { MaxAttempts = 4, InitialDelaySeconds = 5, Jitter = 0 },
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var order = supplier.Place(context.IdempotencyKey, context.InstanceId, context.Clock.GetUtcNow());
        context.SetOutput("supplierOrderId", order.Id);
        return ValueTask.FromResult(ActivityResult.Done());
    }
}
