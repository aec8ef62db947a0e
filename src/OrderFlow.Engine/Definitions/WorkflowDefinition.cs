using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OrderFlow.Engine.Definitions;

/// <summary>A flowchart: activities joined by connections from an activity's outcome to another activity.</summary>
public sealed record WorkflowDefinition
{
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>Set by the store; files and drafts leave it 0.</summary>
    public int Version { get; init; }
    /// <summary>Initial values of the instance variables; the start input is merged over them.</summary>
    public JsonObject Variables { get; init; } = [];
    public IReadOnlyList<ActivityNode> Activities { get; init; } = [];
    public IReadOnlyList<Connection> Connections { get; init; } = [];

    public ActivityNode? FindActivity(string id) => Activities.FirstOrDefault(a => a.Id == id);
}

/// <summary>One activity placed on the flowchart.</summary>
public sealed record ActivityNode
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string? Name { get; init; }
    /// <summary>Input values: JSON literals, or <c>{"$js": "expression"}</c>.</summary>
    public JsonObject Inputs { get; init; } = [];
    public Activities.RetryPolicy? Retry { get; init; }
    public Position Position { get; init; } = new(0, 0);
}

/// <summary>Where the designer draws an activity.</summary>
public sealed record Position(double X, double Y);

/// <summary>Follow <see cref="Outcome"/> of <see cref="Source"/> to <see cref="Target"/>.</summary>
public sealed record Connection(string Source, string Outcome, string Target);
