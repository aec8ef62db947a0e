using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

public sealed class RoutingApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task SeedAsync()
    {
        await using var command = server.Database.DataSource.CreateCommand("""
            INSERT INTO fulfillment.merchants (id, name) VALUES ('route-shop', 'Route shop') ON CONFLICT DO NOTHING;
            INSERT INTO fulfillment.suppliers (id, name, base_url, api_key, priority) VALUES
                ('near', 'Near', 'http://127.0.0.1:9/near', 'k', 10), ('cheap', 'Cheap', 'http://127.0.0.1:9/cheap', 'k', 20) ON CONFLICT DO NOTHING;
            INSERT INTO fulfillment.catalog (supplier_id, sku, available, unit_price, shipping_price, currency, synced_at) VALUES
                ('near', 'LAMP', 10, 20, 6, 'EUR', now()), ('cheap', 'LAMP', 10, 21, 1, 'EUR', now()) ON CONFLICT DO NOTHING;
            """);
        await command.ExecuteNonQueryAsync();
    }

    private static JsonObject Order() => new()
    {
        ["orderId"] = "P-1", ["currency"] = "EUR",
        ["customer"] = new JsonObject { ["name"] = "Ada", ["email"] = "ada@example.com" },
        ["shippingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "x 1", ["city"] = "Berlin", ["postalCode"] = "10115", ["country"] = "DE" },
        ["lines"] = new JsonArray(new JsonObject { ["lineId"] = "1", ["sku"] = "LAMP", ["quantity"] = 1, ["unitPrice"] = 40 }),
    };

    [Fact]
    public async Task ReplaceRules_InvalidStrategy_400NamingTheField()
    {
        await SeedAsync();
        var rules = new JsonArray(new JsonObject { ["name"] = "bad", ["strategy"] = new JsonObject { ["type"] = "cheapest" } });

        var response = await server.Factory.ClientAs("editor").PutAsJsonAsync("/api/merchants/route-shop/routing-rules", rules);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]!["rules[0].strategy.type"]);
    }

    [Fact]
    public async Task Preview_LowestLandedCostRule_ChoosesCheaperDeliveredPriceAndPlacesNothing()
    {
        await SeedAsync();
        var editor = server.Factory.ClientAs("editor");
        var before = await editor.PostAsJsonAsync("/api/routing/preview", new JsonObject { ["merchantId"] = "route-shop", ["order"] = Order() });
        var rules = new JsonArray(new JsonObject { ["name"] = "cheapest delivered", ["strategy"] = new JsonObject { ["type"] = "lowest_landed_cost" } });
        var saved = await editor.PutAsJsonAsync("/api/merchants/route-shop/routing-rules", rules);
        var after = await editor.PostAsJsonAsync("/api/routing/preview", new JsonObject { ["merchantId"] = "route-shop", ["order"] = Order() });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var priority = await before.Content.ReadFromJsonAsync<JsonObject>();
        var cheapest = await after.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("near", priority!["assignments"]!["1"]!.GetValue<string>());
        Assert.Equal("cheap", cheapest!["assignments"]!["1"]!.GetValue<string>());
        Assert.Equal(22m, cheapest["total"]!.GetValue<decimal>());
        Assert.Equal("cheapest delivered", cheapest["rule"]!.GetValue<string>());
        await using var count = server.Database.DataSource.CreateCommand("SELECT count(*) FROM fulfillment.orders WHERE merchant_id = 'route-shop'");
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task ReplaceRules_Viewer_Forbidden()
    {
        var response = await server.Factory.ClientAs("viewer").PutAsJsonAsync("/api/merchants/route-shop/routing-rules", new JsonArray());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
