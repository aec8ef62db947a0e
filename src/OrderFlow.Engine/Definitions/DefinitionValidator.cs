using System.Text.Json.Nodes;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Expressions;

namespace OrderFlow.Engine.Definitions;

/// <summary>Checks a definition against the registered activity descriptors. The designer calls the same code through the API.</summary>
public sealed class DefinitionValidator(ActivityRegistry registry)
{
    public IReadOnlyList<ValidationError> Validate(WorkflowDefinition definition)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(definition.Id))
        {
            errors.Add(new("id", "A definition needs an id."));
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var starts = 0;
        for (var i = 0; i < definition.Activities.Count; i++)
        {
            var activity = definition.Activities[i];
            var path = $"activities[{i}]";
            if (string.IsNullOrWhiteSpace(activity.Id))
            {
                errors.Add(new($"{path}.id", "An activity needs an id."));
            }
            else if (!ids.Add(activity.Id))
            {
                errors.Add(new($"{path}.id", $"Activity id '{activity.Id}' is used twice."));
            }

            if (registry.Find(activity.Type) is not { } descriptor)
            {
                errors.Add(new($"{path}.type", $"Unknown activity type '{activity.Type}'."));
                continue;
            }

            starts += descriptor.IsStart ? 1 : 0;
            ValidateInputs(activity, descriptor, path, errors);
        }

        if (starts != 1)
        {
            errors.Add(new("activities", $"A definition needs exactly one Start activity; it has {starts}."));
        }

        for (var i = 0; i < definition.Connections.Count; i++)
        {
            ValidateConnection(definition, definition.Connections[i], $"connections[{i}]", errors);
        }

        return errors;
    }

    private static void ValidateInputs(ActivityNode activity, ActivityDescriptor descriptor, string path, List<ValidationError> errors)
    {
        foreach (var input in descriptor.Inputs)
        {
            var value = activity.Inputs[input.Name];
            if (value is null)
            {
                if (input.Required && input.Default is null)
                {
                    errors.Add(new($"{path}.inputs.{input.Name}", $"'{input.DisplayName}' is required."));
                }

                continue;
            }

            if (ExpressionEvaluator.TryGetScript(value, out var script))
            {
                if (!input.SupportsExpression)
                {
                    errors.Add(new($"{path}.inputs.{input.Name}", $"'{input.DisplayName}' does not take an expression."));
                }
                else if (ExpressionEvaluator.CheckSyntax(script) is { } syntaxError)
                {
                    errors.Add(new($"{path}.inputs.{input.Name}", $"Expression does not parse: {syntaxError}"));
                }

                continue;
            }

            if (TypeProblem(input, value) is { } problem)
            {
                errors.Add(new($"{path}.inputs.{input.Name}", problem));
            }
        }

        foreach (var (name, _) in activity.Inputs)
        {
            if (descriptor.Inputs.All(i => i.Name != name))
            {
                errors.Add(new($"{path}.inputs.{name}", $"'{descriptor.DisplayName}' has no input '{name}'."));
            }
        }
    }

    private static string? TypeProblem(InputDescriptor input, JsonNode value)
    {
        var kind = value.GetValueKind();
        var ok = input.Type switch
        {
            "string" => kind == System.Text.Json.JsonValueKind.String,
            "number" or "duration" => kind == System.Text.Json.JsonValueKind.Number,
            "boolean" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "string[]" => value is JsonArray a && a.All(x => x?.GetValueKind() == System.Text.Json.JsonValueKind.String),
            "cases" => value is JsonArray c && c.All(x => x is JsonObject o && o["name"] is JsonValue),
            _ => true,
        };
        if (!ok)
        {
            return $"'{input.DisplayName}' must be a {input.Type}.";
        }

        if (input.Options is { Count: > 0 } options && kind == System.Text.Json.JsonValueKind.String && !options.Contains(value.GetValue<string>()))
        {
            return $"'{input.DisplayName}' must be one of: {string.Join(", ", options)}.";
        }

        return null;
    }

    private void ValidateConnection(WorkflowDefinition definition, Connection connection, string path, List<ValidationError> errors)
    {
        var source = definition.FindActivity(connection.Source);
        if (source is null)
        {
            errors.Add(new($"{path}.source", $"No activity '{connection.Source}'."));
        }
        else if (registry.Find(source.Type) is { } descriptor && !ActivityRegistry.OutcomesOf(descriptor, source.Inputs).Contains(connection.Outcome))
        {
            errors.Add(new($"{path}.outcome", $"'{source.Id}' has no outcome '{connection.Outcome}'."));
        }

        if (definition.FindActivity(connection.Target) is null)
        {
            errors.Add(new($"{path}.target", $"No activity '{connection.Target}'."));
        }
    }
}
