namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Ends a path. The instance completes when no path is left running or waiting.</summary>
public sealed class EndActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "End", Category = "Flow", DisplayName = "End", Description = "Ends this path.", Outcomes = [],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done());
}
