namespace OrderFlow.Engine.Activities;

/// <summary>A unit of work in a flowchart. Implementations are resolved from DI once per burst.</summary>
public interface IActivity
{
    /// <summary>What the designer and the validator know about this activity.</summary>
    ActivityDescriptor Descriptor { get; }

    /// <summary>Runs the activity. Throwing applies the activity's retry policy.</summary>
    ValueTask<ActivityResult> ExecuteAsync(ActivityContext context);

    /// <summary>Continues after a bookmark this activity created was resumed; the payload is in <see cref="ActivityContext.ResumePayload"/>.</summary>
    ValueTask<ActivityResult> ResumeAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done());
}
