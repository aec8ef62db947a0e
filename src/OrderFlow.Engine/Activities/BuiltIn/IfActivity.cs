namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Follows True or False depending on a condition.</summary>
public sealed class IfActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "If", Category = "Flow", DisplayName = "If", Description = "Follows True or False depending on a condition.",
        Inputs = [new InputDescriptor("condition", "boolean", "Condition", Required: true, Description: "e.g. {\"$js\": \"variables.total > 100\"}")],
        Outcomes = ["True", "False"],
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Outcome(Truthy(context.GetInput("condition")) ? "True" : "False"));

    internal static bool Truthy(System.Text.Json.Nodes.JsonNode? node) => node?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.Number => node.GetValue<double>() != 0,
        System.Text.Json.JsonValueKind.String => node.GetValue<string>().Length > 0,
        System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array => true,
        _ => false,
    };
}
