using System.Text.Json;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>How intake payloads are read: camelCase, strict numbers, bounded depth; errors mapped to the field at fault.</summary>
internal static class IntakeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = 16,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    /// <summary>"$.lines[0].quantity" → "lines[0].quantity"; the whole body when the path is unknown.</summary>
    public static string FieldOf(JsonException e) =>
        e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "$";

    public static string Describe(JsonException e) =>
        e.Path is { Length: > 2 } ? "This field has the wrong type or is malformed." : "The body is not valid JSON.";
}
