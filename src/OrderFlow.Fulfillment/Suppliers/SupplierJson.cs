using System.Text.Json;
using Refit;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>JSON settings shared by the supplier protocols' Refit clients.</summary>
public static class SupplierJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static RefitSettings Refit { get; } = new(new SystemTextJsonContentSerializer(Options));
}
