using System.Text.Json.Serialization;

namespace OrderFlow.SupplierSimulator;

/// <summary>An order in OrderFlow's standard intake format. Property names are fixed, so any serializer settings give the wire format.</summary>
public sealed record DemoOrder(
    [property: JsonPropertyName("orderId")] string OrderId,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("customer")] DemoCustomer Customer,
    [property: JsonPropertyName("shippingAddress")] DemoAddress ShippingAddress,
    [property: JsonPropertyName("lines")] IReadOnlyList<DemoLine> Lines,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);
