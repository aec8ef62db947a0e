using System.Text.Json.Serialization;

namespace OrderFlow.SupplierSimulator;

/// <summary>One line of a <see cref="DemoOrder"/>, at the storefront's retail price.</summary>
public sealed record DemoLine(
    [property: JsonPropertyName("lineId")] string LineId,
    [property: JsonPropertyName("sku")] string Sku,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("unitPrice")] decimal UnitPrice);
