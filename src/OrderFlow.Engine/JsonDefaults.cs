using System.Text.Json;

namespace OrderFlow.Engine;

/// <summary>The JSON settings used for definitions, state and journal payloads.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };
}
