using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderFlow.Fulfillment.Intake.Formats;

/// <summary>Tolerant readers for storefront platforms' JSON, where numbers come as strings and absent values as null or "".</summary>
internal static partial class PlatformJson
{
    /// <summary>The body's root element, or the mapping error for a body that is not JSON.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out JsonElement root, out IntakeMapping? error)
    {
        try
        {
            root = JsonDocument.Parse(body).RootElement;
            error = null;
            return true;
        }
        catch (JsonException)
        {
            root = default;
            error = IntakeMapping.Invalid("$", "The body is not valid JSON.");
            return false;
        }
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => String(value) is { Length: > 0 } s ? s.Trim() : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A string value; one that is not valid UTF-8 or holds an escaped lone surrogate comes back as NUL, which validation refuses by field name.</summary>
    private static string String(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "\u0000";
        }
    }

    public static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray() : [];

    public static int? Int(JsonElement element, string name) =>
        Text(element, name) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public static decimal? Money(JsonElement element, string name) =>
        Text(element, name) is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static string? Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } s ? s : null;

    /// <summary>The phone in E.164 when it can be read as one ("+1-555-123-4567" → "+15551234567"); otherwise null, since it is optional.</summary>
    public static string? Phone(string? phone)
    {
        if (phone is null || !phone.TrimStart().StartsWith('+'))
        {
            return null;
        }

        var digits = "+" + NonDigits().Replace(phone, "");
        return E164().IsMatch(digits) ? digits : null;
    }

    public static IReadOnlyList<string> Tags(string? tags) =>
        tags?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(t => t.Length <= 50).Take(20).ToList() ?? [];

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NonDigits();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
