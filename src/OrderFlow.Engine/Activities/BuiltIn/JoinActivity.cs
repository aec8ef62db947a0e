namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Waits for every inbound branch (WaitAll) or continues on the first (WaitAny). The runner counts the arrivals.</summary>
public sealed class JoinActivity : IActivity
{
    public const string TypeName = "Join";

    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = TypeName, Category = "Flow", DisplayName = "Join", Description = "Continues when every inbound branch arrived (or the first, with WaitAny).",
        Inputs = [new InputDescriptor("mode", "string", "Mode", Default: "WaitAll", SupportsExpression: false, Options: ["WaitAll", "WaitAny"])],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done());
}
