using System.Text.Json.Nodes;
using OrderFlow.Engine.Expressions;

namespace OrderFlow.Engine.Activities.BuiltIn;

/// <summary>Follows the first case whose condition holds, or Default.</summary>
public sealed class SwitchActivity : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Switch", Category = "Flow", DisplayName = "Switch", Description = "Follows the first case whose condition holds, else Default.",
        Inputs = [new InputDescriptor("cases", "cases", "Cases", Required: true, SupportsExpression: false,
            Description: "A list of { \"name\": outcome, \"condition\": value or {\"$js\": ...} }.")],
        Outcomes = ["Default"],
        OutcomesFromInput = "cases",
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var evaluator = (ExpressionEvaluator)context.Services.GetService(typeof(ExpressionEvaluator))!;
        foreach (var item in context.GetInput("cases") as JsonArray ?? [])
        {
            if (item is not JsonObject c || c["name"]?.GetValue<string>() is not { } name)
            {
                continue;
            }

            var condition = c["condition"];
            var value = condition is not null && ExpressionEvaluator.TryGetScript(condition, out var script)
                ? evaluator.Evaluate(script, context.Variables, context.Outputs, context.ResumePayload)
                : condition;
            if (IfActivity.Truthy(value))
            {
                return ValueTask.FromResult(ActivityResult.Outcome(name));
            }
        }

        return ValueTask.FromResult(ActivityResult.Outcome("Default"));
    }
}
