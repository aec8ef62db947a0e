using System.Text.Json.Serialization;

namespace OrderFlow.SupplierSimulator;

/// <summary>Where a <see cref="DemoOrder"/> goes.</summary>
public sealed record DemoAddress(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("line1")] string Line1,
    [property: JsonPropertyName("line2")] string? Line2,
    [property: JsonPropertyName("city")] string City,
    [property: JsonPropertyName("postalCode")] string PostalCode,
    [property: JsonPropertyName("region")] string? Region,
    [property: JsonPropertyName("country")] string Country);
