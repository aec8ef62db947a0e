namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Waits for a named event with a correlation key; the event's payload becomes the output "payload".</summary>
public sealed class WaitForEventActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "WaitForEvent", Category = "Events", DisplayName = "Wait for event",
        Description = "Waits until an event with this name and correlation key is published; TimedOut after the optional timeout.",
        Inputs =
        [
            new InputDescriptor("eventName", "string", "Event name", Required: true),
            new InputDescriptor("correlationKey", "string", "Correlation key", Required: true),
            new InputDescriptor("timeoutSeconds", "duration", "Timeout (seconds)"),
        ],
        Outputs = [new OutputDescriptor("payload", "json", "The event's payload.")],
        Outcomes = ["Done", "TimedOut"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var timeout = context.GetInput<double?>("timeoutSeconds");
        return ValueTask.FromResult(ActivityResult.Wait(
            context.GetRequiredString("eventName"),
            context.GetRequiredString("correlationKey"),
            timeout is { } s ? context.Clock.GetUtcNow().AddSeconds(s) : null));
    }

    public ValueTask<ActivityResult> ResumeAsync(ActivityContext context)
    {
        if (context.ResumePayload is null && context.GetInput<double?>("timeoutSeconds") is not null)
        {
            return ValueTask.FromResult(ActivityResult.Outcome("TimedOut"));
        }

        context.SetOutput("payload", context.ResumePayload?.DeepClone());
        return ValueTask.FromResult(ActivityResult.Done());
    }
}
