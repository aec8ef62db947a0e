namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Stops the path with an incident carrying a message, for ops to decide.</summary>
public sealed class FaultActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fault", Category = "Flow", DisplayName = "Fault", Description = "Raises an incident with a message.",
        Inputs = [new InputDescriptor("message", "string", "Message", Required: true)],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Halt(context.GetInput<string>("message") ?? "Fault"));
}
