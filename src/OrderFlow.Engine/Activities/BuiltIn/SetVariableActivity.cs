namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Sets an instance variable to a value or the result of an expression.</summary>
public sealed class SetVariableActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "SetVariable", Category = "Data", DisplayName = "Set variable", Description = "Sets an instance variable.",
        Inputs =
        [
            new InputDescriptor("name", "string", "Variable", Required: true, SupportsExpression: false),
            new InputDescriptor("value", "json", "Value", Required: true),
        ],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.Variables[context.GetRequiredString("name")] = context.GetInput("value");
        return ValueTask.FromResult(ActivityResult.Done());
    }
}
