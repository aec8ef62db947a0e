using System.Text.Json.Serialization;

namespace OrderFlow.Engine.Activities;

/// <summary>Describes an activity type: its inputs, outputs and outcomes, as served to the designer.</summary>
public sealed record ActivityDescriptor
{
    public required string Type { get; init; }
    public required string Category { get; init; }
    public required string DisplayName { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyList<InputDescriptor> Inputs { get; init; } = [];
    public IReadOnlyList<OutputDescriptor> Outputs { get; init; } = [];

    /// <summary>Fixed outcomes. Activities whose outcomes come from an input list them in <see cref="OutcomesFromInput"/> instead.</summary>
    public IReadOnlyList<string> Outcomes { get; init; } = [ActivityResult.DefaultOutcome];

    /// <summary>Name of an input (a list of strings, or of objects with a "name") whose entries are outcomes too.</summary>
    public string? OutcomesFromInput { get; init; }

    /// <summary>Retry policy used when the definition sets none.</summary>
    public RetryPolicy? DefaultRetry { get; init; }

    /// <summary>True for the Start activity: exactly one per definition.</summary>
    public bool IsStart { get; init; }

    [JsonIgnore]
    public Type? ImplementationType { get; init; }
}

/// <summary>An input an activity reads, with its type, default and whether it is required.</summary>
/// <param name="Type">One of: string, number, boolean, duration (seconds), json, string[], cases.</param>
public sealed record InputDescriptor(
    string Name,
    string Type,
    string DisplayName,
    bool Required = false,
    System.Text.Json.Nodes.JsonNode? Default = null,
    string Description = "",
    bool SupportsExpression = true,
    IReadOnlyList<string>? Options = null);

/// <summary>A value an activity writes to its output, readable by later expressions as <c>outputs.{activityId}.{name}</c>.</summary>
public sealed record OutputDescriptor(string Name, string Type, string Description = "");
