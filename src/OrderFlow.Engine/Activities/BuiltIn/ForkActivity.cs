using System.Text.Json.Nodes;

namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Starts every named branch at once.</summary>
public sealed class ForkActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fork", Category = "Flow", DisplayName = "Fork", Description = "Starts every branch at once.",
        Inputs = [new InputDescriptor("branches", "string[]", "Branches", Required: true, SupportsExpression: false)],
        Outcomes = [],
        OutcomesFromInput = "branches",
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var branches = (context.GetInput("branches") as JsonArray ?? []).Select(b => b!.GetValue<string>()).ToArray();
        return ValueTask.FromResult(ActivityResult.Done(branches));
    }
}
