using System.Text.Json.Serialization;

namespace OrderFlow.SupplierSimulator;

/// <summary>The buyer of a <see cref="DemoOrder"/>.</summary>
public sealed record DemoCustomer(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("phone")] string? Phone);
