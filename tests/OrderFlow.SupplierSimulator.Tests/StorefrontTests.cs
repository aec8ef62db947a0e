using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class StorefrontTests
{
    private const string DefaultSecret = "whsec_ZGVtby1zdG9yZWZyb250LXdlYmhvb2stc2VjcmV0LTEyMzQ=";
    private const string OtherSecret = "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA==";

    private static string Event(string orderId, int sequence, string type = "order.shipped") =>
        $$$"""{"type":"{{{type}}}","timestamp":"2026-11-25T10:00:00Z","data":{"orderId":"{{{orderId}}}","sequence":{{{sequence}}},"status":"shipped"}}""";

    private static async Task<HttpResponseMessage> DeliverAsync(
        TestSimulator sim, string merchant, string body, string secret = DefaultSecret, string? sentBody = null, TimeSpan? skew = null, string id = "msg_1")
    {
        var timestamp = (sim.Time.GetUtcNow() + (skew ?? TimeSpan.Zero)).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/storefront/{merchant}/webhooks")
        {
            Content = new StringContent(sentBody ?? body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString());
        request.Headers.Add("webhook-signature", StandardWebhooks.Sign(secret, id, timestamp, body));
        return await sim.Http.SendAsync(request);
    }

    private static async Task<JsonArray> InboxAsync(TestSimulator sim, string merchant, string? orderId = null) =>
        (await sim.Http.GetFromJsonAsync<JsonObject>($"/storefront/{merchant}/webhooks" + (orderId is null ? "" : $"?orderId={orderId}")))!["items"]!.AsArray();

    [Fact]
    public async Task Webhook_ValidSignature_Returns204AndRecordsTheParsedEvent()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await DeliverAsync(sim, "demo-shop", Event("demo-1", 3));
        var item = Assert.Single(await InboxAsync(sim, "demo-shop"))!;

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True((bool)item["signatureValid"]!);
        Assert.Equal("order.shipped", (string)item["type"]!);
        Assert.Equal("demo-1", (string)item["orderId"]!);
        Assert.Equal(3, (int)item["sequence"]!);
        Assert.Equal("msg_1", (string)item["webhookId"]!);
        Assert.Equal(sim.Time.GetUtcNow().ToUnixTimeSeconds().ToString(), (string)item["webhookTimestamp"]!);
        Assert.Equal("shipped", (string)item["body"]!["data"]!["status"]!);
        Assert.Equal(sim.Time.GetUtcNow(), (DateTimeOffset)item["receivedAt"]!);
    }

    [Fact]
    public async Task Webhook_TamperedBody_Returns401AndRecordsInvalid()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await DeliverAsync(sim, "demo-shop", Event("demo-1", 3), sentBody: Event("demo-1", 4));
        var item = Assert.Single(await InboxAsync(sim, "demo-shop"))!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False((bool)item["signatureValid"]!);
        Assert.Equal(4, (int)item["sequence"]!);
    }

    [Fact]
    public async Task Webhook_WrongSecret_Returns401()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await DeliverAsync(sim, "demo-shop", Event("demo-1", 1), secret: OtherSecret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False((bool)Assert.Single(await InboxAsync(sim, "demo-shop"))!["signatureValid"]!);
    }

    [Theory]
    [InlineData(-6 * 60)]
    [InlineData(6 * 60)]
    public async Task Webhook_TimestampMoreThanFiveMinutesOff_Returns401(int skewSeconds)
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await DeliverAsync(sim, "demo-shop", Event("demo-1", 1), skew: TimeSpan.FromSeconds(skewSeconds));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_TimestampFourMinutesOld_Accepted()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await DeliverAsync(sim, "demo-shop", Event("demo-1", 1), skew: TimeSpan.FromMinutes(-4));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_MissingHeaders_Returns401()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Http.PostAsync("/storefront/demo-shop/webhooks", new StringContent(Event("demo-1", 1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_MerchantWithConfiguredSecret_VerifiesWithThatSecretOnly()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Storefronts:other-shop:Secret", OtherSecret));

        using var withOwn = await DeliverAsync(sim, "other-shop", Event("o-1", 1), secret: OtherSecret);
        using var withDefault = await DeliverAsync(sim, "other-shop", Event("o-1", 2), secret: DefaultSecret);

        Assert.Equal(HttpStatusCode.NoContent, withOwn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withDefault.StatusCode);
    }

    [Fact]
    public async Task Webhook_StorefrontFailureRateOne_Returns500ButRecords()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:StorefrontFailureRate", "1"));

        using var response = await DeliverAsync(sim, "demo-shop", Event("demo-1", 1));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(await InboxAsync(sim, "demo-shop"));
    }

    [Fact]
    public async Task Inbox_FilteredByOrderAndMerchant_ListsOnlyMatchingInArrivalOrder()
    {
        await using var sim = await TestSimulator.StartAsync();
        (await DeliverAsync(sim, "demo-shop", Event("demo-1", 1, "order.accepted"), id: "m1")).Dispose();
        (await DeliverAsync(sim, "demo-shop", Event("demo-2", 1), id: "m2")).Dispose();
        (await DeliverAsync(sim, "demo-shop", Event("demo-1", 2, "order.shipped"), id: "m3")).Dispose();
        (await DeliverAsync(sim, "other-shop", Event("demo-1", 9), id: "m4")).Dispose();

        var forOrder = await InboxAsync(sim, "demo-shop", "demo-1");
        var all = await InboxAsync(sim, "demo-shop");
        var none = await InboxAsync(sim, "unknown-shop");

        Assert.Equal(["m1", "m3"], forOrder.Select(i => (string)i!["webhookId"]!));
        Assert.Equal(["order.accepted", "order.shipped"], forOrder.Select(i => (string)i!["type"]!));
        Assert.Equal(3, all.Count);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Reset_AfterDeliveries_ClearsTheInbox()
    {
        await using var sim = await TestSimulator.StartAsync();
        (await DeliverAsync(sim, "demo-shop", Event("demo-1", 1))).Dispose();

        (await sim.Http.PostAsync("/admin/reset", null)).Dispose();

        Assert.Empty(await InboxAsync(sim, "demo-shop"));
    }
}
