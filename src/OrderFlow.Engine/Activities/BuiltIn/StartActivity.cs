namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Where every instance begins.</summary>
public sealed class StartActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Start", Category = "Flow", DisplayName = "Start", Description = "Where the workflow begins.", IsStart = true,
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done());
}
