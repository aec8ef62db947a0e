using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

public sealed class WorkflowsApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static JsonObject Definition(string id, JsonNode condition) => new()
    {
        ["id"] = id,
        ["name"] = "API test",
        ["activities"] = new JsonArray(
            new JsonObject { ["id"] = "start", ["type"] = "Start" },
            new JsonObject { ["id"] = "check", ["type"] = "If", ["inputs"] = new JsonObject { ["condition"] = condition } },
            new JsonObject { ["id"] = "end", ["type"] = "End" }),
        ["connections"] = new JsonArray(
            new JsonObject { ["source"] = "start", ["outcome"] = "Done", ["target"] = "check" },
            new JsonObject { ["source"] = "check", ["outcome"] = "True", ["target"] = "end" }),
    };

    [Fact]
    public async Task ActivityDescriptors_Viewer_ListsBuiltInsWithInputsAndOutcomes()
    {
        var factory = server.Factory;

        var descriptors = await factory.ClientAs("viewer").GetFromJsonAsync<JsonArray>("/api/activity-descriptors");

        var ifDescriptor = descriptors!.Single(d => d!["type"]!.GetValue<string>() == "If")!;
        Assert.Equal(["True", "False"], ifDescriptor["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("condition", ifDescriptor["inputs"]![0]!["name"]!.GetValue<string>());
        Assert.Contains(descriptors!, d => d!["type"]!.GetValue<string>() == "Fulfillment.PlaceSupplierOrders");
    }

    [Fact]
    public async Task Publish_InvalidThenFixed_400WithFieldThenNewVersion()
    {
        var factory = server.Factory;
        var editor = factory.ClientAs("editor");

        var invalid = await editor.PostAsJsonAsync("/api/workflow-definitions/api-test/publish", Definition("api-test", new JsonObject { ["$js"] = "variables.x >" }));
        var problem = await invalid.Content.ReadFromJsonAsync<JsonObject>();
        var valid = await editor.PostAsJsonAsync("/api/workflow-definitions/api-test/publish", Definition("api-test", new JsonObject { ["$js"] = "variables.x > 1" }));
        var versions = await editor.GetFromJsonAsync<JsonArray>("/api/workflow-definitions/api-test/versions");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull(problem!["errors"]!["activities[1].inputs.condition"]);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Single(versions!);
    }

    [Fact]
    public async Task Validate_DraftWithError_ReturnsErrorsWithoutSaving()
    {
        var factory = server.Factory;

        var response = await factory.ClientAs("viewer").PostAsJsonAsync("/api/workflow-definitions/validate", Definition("draft-only", JsonValue.Create("yes")!));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.False(body!["isValid"]!.GetValue<bool>());
        Assert.Equal("activities[1].inputs.condition", body["errors"]![0]!["path"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "GET", "/api/activity-descriptors", HttpStatusCode.Unauthorized)]
    [InlineData("nobody", "GET", "/api/activity-descriptors", HttpStatusCode.Unauthorized)]
    [InlineData("viewer", "GET", "/api/workflow-definitions", HttpStatusCode.OK)]
    [InlineData("viewer", "POST", "/api/workflow-definitions/api-auth/publish", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "PUT", "/api/workflow-definitions/api-auth/draft", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "POST", "/api/incidents/00000000-0000-0000-0000-000000000001/retry", HttpStatusCode.Forbidden)]
    [InlineData("editor", "POST", "/api/incidents/00000000-0000-0000-0000-000000000001/retry", HttpStatusCode.NotFound)]
    [InlineData("viewer", "GET", "/api/orders/stats", HttpStatusCode.OK)]
    [InlineData("viewer", "GET", "/api/supplier-health", HttpStatusCode.OK)]
    [InlineData(null, "GET", "/api/supplier-health", HttpStatusCode.Unauthorized)]
    [InlineData("viewer", "PATCH", "/api/merchants/demo-shop/subscriptions/00000000-0000-0000-0000-000000000001", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "DELETE", "/api/merchants/demo-shop/subscriptions/00000000-0000-0000-0000-000000000001", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "POST", "/api/merchants/demo-shop/subscriptions/00000000-0000-0000-0000-000000000001/replay", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "POST", "/api/merchants/demo-shop/subscriptions/00000000-0000-0000-0000-000000000001/deliveries/1/replay", HttpStatusCode.Forbidden)]
    [InlineData("editor", "POST", "/api/merchants/demo-shop/subscriptions/00000000-0000-0000-0000-000000000001/deliveries/1/replay", HttpStatusCode.NotFound)]
    [InlineData(null, "GET", "/api/orders/stats", HttpStatusCode.Unauthorized)]
    [InlineData("editor", "GET", "/hangfire", HttpStatusCode.Forbidden)]
    [InlineData("admin", "GET", "/hangfire", HttpStatusCode.OK)]
    [InlineData(null, "GET", "/api/docs", HttpStatusCode.Found)]
    [InlineData(null, "GET", "/api/docs/", HttpStatusCode.OK)]
    [InlineData(null, "GET", "/api/orders", HttpStatusCode.Unauthorized)]
    [InlineData("viewer", "GET", "/api/orders", HttpStatusCode.OK)]
    [InlineData(null, "POST", "/webhooks/demo-shop/orders", HttpStatusCode.Unauthorized)]
    [InlineData(null, "GET", "/api/openapi/v1.json", HttpStatusCode.OK)]
    [InlineData(null, "GET", "/health", HttpStatusCode.OK)]
    public async Task Endpoint_ByRole_AnswersIntendedStatus(string? user, string method, string path, HttpStatusCode expected)
    {
        var factory = server.Factory;
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = JsonContent.Create(Definition("api-auth", JsonValue.Create(true)!));
        }

        var response = await factory.ClientAs(user).SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
