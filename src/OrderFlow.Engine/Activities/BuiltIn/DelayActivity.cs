namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Waits a duration on a durable timer that survives restarts.</summary>
public sealed class DelayActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Delay", Category = "Timing", DisplayName = "Delay", Description = "Waits a number of seconds on a durable timer.",
        Inputs = [new InputDescriptor("seconds", "duration", "Seconds", Required: true)],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var seconds = context.GetInput<double?>("seconds") ?? throw new ActivityInputException(context.ActivityId, "seconds", "is required");
        if (seconds < 0)
        {
            throw new ActivityInputException(context.ActivityId, "seconds", "must not be negative");
        }

        return ValueTask.FromResult(ActivityResult.Wait("Delay", resumeAt: context.Clock.GetUtcNow().AddSeconds(seconds)));
    }
}
