using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Server.Tests.Security.AttackKit;

namespace OrderFlow.Server.Tests.Security;

/// <summary>Fields OrderFlow decides (status, totals, sequence, ids, owner, secrets) cannot be set through intake or ops payloads.</summary>
public sealed class MassAssignmentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Intake_StatusTotalSequenceIdsAndSupplierInPayload_Ignored()
    {
        var admin = fixture.Factory.ClientAs("admin");
        var shop = "mass-" + Guid.NewGuid().ToString("N")[..6];
        var secret = (string)(await (await admin.PostAsJsonAsync("/api/merchants", new { id = shop, name = "Mass" })).Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        var forcedId = Guid.NewGuid();
        var body = OrderJson("mass-1", extra: $$"""
            "id":"{{forcedId}}","status":"delivered","total":0.01,"sequence":99,"lastSequence":99,"workflowInstanceId":"{{Guid.NewGuid()}}",
            "trackingToken":"chosen-token","merchantId":"someone-else",
            """).Replace("\"unitPrice\":12.5}", "\"unitPrice\":12.5,\"status\":\"shipped\",\"supplierId\":\"acme\",\"supplierOrderId\":\"x\"}");

        var response = await fixture.Factory.CreateClient().SendAsync(Standard($"/webhooks/{shop}/orders", secret, body));
        var orderId = (Guid)(await response.Content.ReadFromJsonAsync<JsonObject>())!["orderId"]!;
        await InboxDrainedAsync(fixture.Database.ConnectionString);
        var order = (await admin.GetFromJsonAsync<JsonObject>($"/api/orders/{orderId}"))!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotEqual(forcedId, orderId);
        Assert.Equal(shop, (string)order["merchantId"]!);
        Assert.NotEqual("delivered", (string)order["status"]!);
        Assert.Equal(12.5m, (decimal)order["total"]!);
        Assert.DoesNotContain("chosen-token", (string)order["trackingPageUrl"]!);
        Assert.NotEqual("shipped", (string)order["lines"]![0]!["status"]!);
        Assert.All(order["events"]!.AsArray(), e => Assert.True((int)e!["sequence"]! < 50));
    }

    [Fact]
    public async Task Ops_OwnerIdSecretAndStateInPayloads_Ignored()
    {
        var admin = fixture.Factory.ClientAs("admin");
        var shop = "mass-" + Guid.NewGuid().ToString("N")[..6];
        var chosen = "whsec_Y2hvc2VuLWJ5LXRoZS1jYWxsZXItMDEyMzQ1Njc4OWFiY2Q=";
        var createdMerchant = (await (await admin.PostAsJsonAsync("/api/merchants", new { id = shop, name = "Mass", secret = chosen, createdAt = "2000-01-01T00:00:00Z" }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        var created = await admin.PostAsJsonAsync($"/api/merchants/{shop}/subscriptions",
            new { url = "http://127.0.0.1:5999/a", id = Guid.Empty, merchantId = "someone-else", secret = chosen, failingSince = "2000-01-01T00:00:00Z", disabledReason = "x" });
        var subscription = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)subscription["subscription"]!["id"]!;
        var patched = await admin.PatchAsJsonAsync($"/api/merchants/{shop}/subscriptions/{id}", new { merchantId = "someone-else", id = Guid.Empty, secret = chosen, description = "changed" });
        var view = (await patched.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.NotEqual(chosen, (string)createdMerchant["secret"]!);
        Assert.NotEqual(chosen, (string)subscription["secret"]!);
        Assert.NotEqual(Guid.Empty.ToString(), id);
        Assert.Equal(shop, (string)subscription["subscription"]!["merchantId"]!);
        Assert.Null(subscription["subscription"]!["failingSince"]);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(shop, (string)view["merchantId"]!);
        Assert.Equal(id, (string)view["id"]!);
        Assert.Equal("changed", (string)view["description"]!);
        Assert.Contains((await admin.GetFromJsonAsync<JsonArray>("/api/merchants"))!, m => (string)m!["id"]! == shop && ((DateTime)m["createdAt"]!).Year > 2000);
    }
}
