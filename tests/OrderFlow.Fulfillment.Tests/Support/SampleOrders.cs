using System.Text.Json.Nodes;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>Intake payloads in OrderFlow's standard format, valid unless a test breaks them.</summary>
public static class SampleOrders
{
    public static JsonObject Valid(string orderId, params (string Sku, int Quantity)[] lines)
    {
        if (lines.Length == 0)
        {
            lines = [("MUG-BLUE", 2)];
        }

        var array = new JsonArray();
        for (var i = 0; i < lines.Length; i++)
        {
            array.Add(new JsonObject { ["lineId"] = $"{i + 1}", ["sku"] = lines[i].Sku, ["name"] = lines[i].Sku, ["quantity"] = lines[i].Quantity, ["unitPrice"] = 12.5 });
        }

        return new JsonObject
        {
            ["orderId"] = orderId,
            ["currency"] = "EUR",
            ["customer"] = new JsonObject { ["name"] = "Ada Lovelace", ["email"] = "ada@example.com", ["phone"] = "+4915112345678" },
            ["shippingAddress"] = new JsonObject
            {
                ["name"] = "Ada Lovelace", ["line1"] = "Hauptstraße 1", ["city"] = "Berlin", ["postalCode"] = "10115", ["country"] = "DE",
            },
            ["lines"] = array,
            ["tags"] = new JsonArray("test"),
        };
    }
}
