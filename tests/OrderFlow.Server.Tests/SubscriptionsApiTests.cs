using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Server.Tests;

/// <summary>Storefront subscriptions and the event feed through the API, with roles, scoping and problem details.</summary>
public sealed class SubscriptionsApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Create_AsAdmin_SecretShownOnceAndNeverListed()
    {
        var merchant = await NewMerchant();
        var admin = fixture.Factory.ClientAs("admin");

        var created = await admin.PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions",
            new { url = "http://127.0.0.1:5999/hooks", eventTypes = new[] { "order.shipped", "order.delivered" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith("whsec_", (string)body["secret"]!);
        var listed = await admin.GetStringAsync($"/api/merchants/{merchant}/subscriptions");
        Assert.Contains((string)body["subscription"]!["id"]!, listed);
        Assert.DoesNotContain("whsec_", listed);
        Assert.DoesNotContain("secret", listed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_AsViewer_Forbidden()
    {
        var merchant = await NewMerchant();

        var response = await fixture.Factory.ClientAs("viewer").PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions", new { url = "http://127.0.0.1:5999/hooks" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Create_BadUrlAndUnknownEventType_ProblemNamesBothFields()
    {
        var merchant = await NewMerchant();

        var response = await fixture.Factory.ClientAs("admin").PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions",
            new { url = "ftp://example.com/x", eventTypes = new[] { "order.teleported" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("url"));
        Assert.True(errors.ContainsKey("eventTypes"));
    }

    [Fact]
    public async Task Create_UnknownMerchant_NotFound()
    {
        var response = await fixture.Factory.ClientAs("admin").PostAsJsonAsync("/api/merchants/no-such-shop/subscriptions", new { url = "http://127.0.0.1:5999/hooks" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Create_PrivateTargetWhenConfigurationForbids_RefusedNamingUrl()
    {
        var merchant = await NewMerchant();
        await using var strict = new ServerFactory(fixture.Database.ConnectionString, new Dictionary<string, string?> { ["OrderFlow:Fulfillment:AllowPrivateWebhookTargets"] = "false" });

        var response = await strict.ClientAs("admin").PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions", new { url = "http://169.254.169.254/latest/meta-data" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("link-local", (string)errors["url"]![0]!);
    }

    [Fact]
    public async Task Update_DisableThenEnable_ReasonSetThenCleared()
    {
        var merchant = await NewMerchant();
        var admin = fixture.Factory.ClientAs("admin");
        var id = await CreateAsync(admin, merchant);

        var disabled = await (await admin.PatchAsJsonAsync($"/api/merchants/{merchant}/subscriptions/{id}", new { enabled = false })).Content.ReadFromJsonAsync<JsonObject>();
        var enabled = await (await fixture.Factory.ClientAs("editor").PatchAsJsonAsync($"/api/merchants/{merchant}/subscriptions/{id}", new { enabled = true })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.False((bool)disabled!["enabled"]!);
        Assert.NotNull((string?)disabled["disabledReason"]);
        Assert.True((bool)enabled!["enabled"]!);
        Assert.Null((string?)enabled["disabledReason"]);
    }

    [Fact]
    public async Task Get_OtherMerchantsSubscription_NotFound()
    {
        var owner = await NewMerchant();
        var other = await NewMerchant();
        var admin = fixture.Factory.ClientAs("admin");
        var id = await CreateAsync(admin, owner);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/merchants/{other}/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/merchants/{other}/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/merchants/{owner}/subscriptions/{id}")).StatusCode);
    }

    [Fact]
    public async Task Delete_AsAdmin_GoneFromListAndGet()
    {
        var merchant = await NewMerchant();
        var admin = fixture.Factory.ClientAs("admin");
        var id = await CreateAsync(admin, merchant);

        var deleted = await admin.DeleteAsync($"/api/merchants/{merchant}/subscriptions/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/merchants/{merchant}/subscriptions/{id}")).StatusCode);
        Assert.DoesNotContain(id, await admin.GetStringAsync($"/api/merchants/{merchant}/subscriptions"));
    }

    [Fact]
    public async Task ReplaySince_TimeInFuture_ProblemNamesSince()
    {
        var merchant = await NewMerchant();
        var admin = fixture.Factory.ClientAs("admin");
        var id = await CreateAsync(admin, merchant);

        var response = await admin.PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions/{id}/replay", new { since = DateTimeOffset.UtcNow.AddDays(1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("since"));
    }

    [Fact]
    public async Task Deliveries_UnknownStatusFilter_ProblemNamesStatusAndTheStatusesAllowed()
    {
        var merchant = await NewMerchant();
        var viewer = fixture.Factory.ClientAs("viewer");
        var id = await CreateAsync(fixture.Factory.ClientAs("admin"), merchant);

        var response = await viewer.GetAsync($"/api/merchants/{merchant}/subscriptions/{id}/deliveries?status=sent");
        var ok = await viewer.GetAsync($"/api/merchants/{merchant}/subscriptions/{id}/deliveries?status=failed");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["status"]!.ToJsonString();
        Assert.Contains("pending, delivered, failed", errors);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Events_AfterCursor_OnlyLaterEventsOfTheMerchant()
    {
        var merchant = await NewMerchant();
        var (orderId, _) = await TrackedOrderSeed.InsertAsync(fixture.Database.ConnectionString, merchant);
        await InsertEventAsync(orderId, 1, "order.received");
        await InsertEventAsync(orderId, 2, "order.routed");
        var viewer = fixture.Factory.ClientAs("viewer");

        // The feed holds events back while an older transaction anywhere on the server still runs (other test classes'
        // bursts share it), so they may show a moment late: ask until they do.
        var first = await EventuallyAsync(viewer, $"/api/events?after=0&merchant={merchant}&limit=1", 1);
        var rest = await EventuallyAsync(viewer, $"/api/events?after={(long)first["nextCursor"]!}&merchant={merchant}", 1);

        Assert.Equal("order.received", (string)first["items"]![0]!["type"]!);
        var item = Assert.Single(rest["items"]!.AsArray());
        Assert.Equal("order.routed", (string)item!["type"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/events?after=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.ClientAs(null).GetAsync("/api/events")).StatusCode);
    }

    private static async Task<JsonObject> EventuallyAsync(HttpClient client, string url, int count)
    {
        for (var i = 0; ; i++)
        {
            var page = (await client.GetFromJsonAsync<JsonObject>(url))!;
            if (page["items"]!.AsArray().Count >= count || i == 100)
            {
                return page;
            }

            await Task.Delay(100);
        }
    }

    private async Task<string> NewMerchant()
    {
        var merchant = "shop-" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("INSERT INTO fulfillment.merchants (id, name) VALUES (@m, 'Shop')", connection);
        command.Parameters.AddWithValue("m", merchant);
        await command.ExecuteNonQueryAsync();
        return merchant;
    }

    private async Task InsertEventAsync(Guid orderId, int sequence, string type)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            INSERT INTO fulfillment.order_events (event_id, order_id, sequence, type, payload, created_at)
            VALUES (@id, @o, @s, @t, jsonb_build_object('type', @t), now())
            """, connection);
        command.Parameters.AddWithValue("id", $"evt_{orderId:N}_{sequence}");
        command.Parameters.AddWithValue("o", orderId);
        command.Parameters.AddWithValue("s", sequence);
        command.Parameters.AddWithValue("t", type);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> CreateAsync(HttpClient admin, string merchant)
    {
        var response = await admin.PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions", new { url = "http://127.0.0.1:5999/hooks" });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["subscription"]!["id"]!;
    }
}
