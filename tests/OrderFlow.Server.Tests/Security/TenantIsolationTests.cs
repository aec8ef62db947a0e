using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using Xunit.Abstractions;
using static OrderFlow.Server.Tests.Security.AttackKit;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Object-level authorization with real objects: an admin limited to merchant A tries to read and change merchant B's
/// orders, subscriptions, secrets, routing rules, notices and events, by B's routes and by B's ids under A's routes.
/// Every attempt answers 404 (or leaves B out of a list) and B's data is unchanged; an unscoped viewer sees both.
/// </summary>
public sealed class TenantIsolationTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string A = "tenant-a";
    private const string B = "tenant-b";
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Ops:Users:3:Name"] = "ops-a",
            ["OrderFlow:Ops:Users:3:Password"] = "ops-a-password-1",
            ["OrderFlow:Ops:Users:3:Role"] = "admin",
            ["OrderFlow:Ops:Users:3:Merchants:0"] = A,
        });
        _ = _server.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MerchantLimitedAdmin_OtherMerchantsObjects_NeitherReadNorChanged()
    {
        var admin = _server.ClientAs("admin");
        var secrets = new Dictionary<string, string>();
        foreach (var merchant in new[] { A, B })
        {
            var created = await admin.PostAsJsonAsync("/api/merchants", new { id = merchant, name = merchant });
            secrets[merchant] = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        }

        var orderA = await PlaceAsync(A, secrets[A], "a-1");
        var orderB = await PlaceAsync(B, secrets[B], "b-1");
        var subA = await SubscribeAsync(admin, A);
        var subB = await SubscribeAsync(admin, B);
        var rulesB = await admin.GetStringAsync($"/api/merchants/{B}/routing-rules");
        var opsA = _server.CreateClient();
        opsA.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops-a:ops-a-password-1")));
        var rows = new List<(string Attempt, HttpStatusCode Status, bool Ok)>();

        async Task Expect404(string attempt, HttpRequestMessage request)
        {
            var response = await opsA.SendAsync(request);
            rows.Add((attempt, response.StatusCode, response.StatusCode == HttpStatusCode.NotFound));
        }

        async Task ExpectHidden(string attempt, string path, string mustContain, string mustNotContain)
        {
            var response = await opsA.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            rows.Add((attempt, response.StatusCode, response.IsSuccessStatusCode && body.Contains(mustContain) && !body.Contains(mustNotContain)));
        }

        var json = (string s) => new StringContent(s, Encoding.UTF8, "application/json");
        await Expect404("read B's order by id", new(HttpMethod.Get, $"/api/orders/{orderB}"));
        await ExpectHidden("list orders (only A's)", "/api/orders", orderA.ToString(), orderB.ToString());
        await ExpectHidden("list orders filtered by B", $"/api/orders?merchant={B}", "\"items\":[]", orderB.ToString());
        await ExpectHidden("search B's order id", $"/api/orders?q={orderB}", "\"items\":[]", orderB.ToString());
        await ExpectHidden("order stats count A only", "/api/orders/stats", "\"total\":1", "\"total\":2");
        // The feed holds back events newer than the oldest transaction running in the cluster (so no position is ever
        // skipped), and other test classes run transactions meanwhile: wait until A's event shows, then check B's does not.
        await Poll.UntilAsync(async () => (await opsA.GetStringAsync("/api/events?after=0")).Contains(orderA.ToString()), "A's events show in the feed");
        await ExpectHidden("event feed (only A's)", "/api/events?after=0", orderA.ToString(), orderB.ToString());
        await Expect404("event feed of B", new(HttpMethod.Get, $"/api/events?merchant={B}"));
        await ExpectHidden("list merchants (only A)", "/api/merchants", $"\"{A}\"", $"\"{B}\"");
        await Expect404("rotate B's secret", new(HttpMethod.Post, $"/api/merchants/{B}/secrets") { Content = json("{}") });
        await Expect404("list B's subscriptions", new(HttpMethod.Get, $"/api/merchants/{B}/subscriptions"));
        await Expect404("read B's subscription", new(HttpMethod.Get, $"/api/merchants/{B}/subscriptions/{subB}"));
        await Expect404("read B's subscription under A", new(HttpMethod.Get, $"/api/merchants/{A}/subscriptions/{subB}"));
        await Expect404("change B's subscription URL", new(HttpMethod.Patch, $"/api/merchants/{B}/subscriptions/{subB}") { Content = json("""{"url":"http://127.0.0.1:6666/steal"}""") });
        await Expect404("change B's subscription under A", new(HttpMethod.Patch, $"/api/merchants/{A}/subscriptions/{subB}") { Content = json("""{"url":"http://127.0.0.1:6666/steal"}""") });
        await Expect404("delete B's subscription under A", new(HttpMethod.Delete, $"/api/merchants/{A}/subscriptions/{subB}"));
        await Expect404("delete B's subscription", new(HttpMethod.Delete, $"/api/merchants/{B}/subscriptions/{subB}"));
        await Expect404("B's delivery log under A", new(HttpMethod.Get, $"/api/merchants/{A}/subscriptions/{subB}/deliveries"));
        await Expect404("replay B's deliveries under A", new(HttpMethod.Post, $"/api/merchants/{A}/subscriptions/{subB}/replay") { Content = json($$"""{"since":"{{DateTimeOffset.UtcNow.AddHours(-1):O}}"}""") });
        await Expect404("subscribe for B", new(HttpMethod.Post, $"/api/merchants/{B}/subscriptions") { Content = json("""{"url":"http://127.0.0.1:6666/x"}""") });
        await Expect404("read B's routing rules", new(HttpMethod.Get, $"/api/merchants/{B}/routing-rules"));
        await Expect404("replace B's routing rules", new(HttpMethod.Put, $"/api/merchants/{B}/routing-rules") { Content = json("[]") });
        await Expect404("preview with B's rules", new(HttpMethod.Post, "/api/routing/preview") { Content = json($$"""{"merchantId":"{{B}}","order":{{OrderJson("p-1")}}}""") });
        await Expect404("read B's notices", new(HttpMethod.Get, $"/api/merchants/{B}/notices"));
        await Expect404("list B's templates", new(HttpMethod.Get, $"/api/merchants/{B}/templates"));
        await Expect404("read B's shipped e-mail", new(HttpMethod.Get, $"/api/merchants/{B}/templates/shipped/email"));
        await Expect404("replace B's shipped e-mail", new(HttpMethod.Put, $"/api/merchants/{B}/templates/shipped/email") { Content = json("""{"subject":"Pay again","text":"https://evil.example/pay"}""") });
        await Expect404("reset B's shipped e-mail", new(HttpMethod.Delete, $"/api/merchants/{B}/templates/shipped/email"));
        await Expect404("preview B's shipped e-mail", new(HttpMethod.Post, $"/api/merchants/{B}/templates/shipped/email/preview") { Content = json("{}") });
        await Expect404("read B's notification settings", new(HttpMethod.Get, $"/api/merchants/{B}/notification-settings"));
        await Expect404("turn on SMS for B", new(HttpMethod.Put, $"/api/merchants/{B}/notification-settings") { Content = json("""{"smsEnabled":true}""") });

        var ownSubscription = await opsA.GetAsync($"/api/merchants/{A}/subscriptions/{subA}");
        var ownOrder = await opsA.GetAsync($"/api/orders/{orderA}");
        var viewer = _server.ClientAs("viewer");
        var viewerSeesB = await viewer.GetAsync($"/api/orders/{orderB}");
        var bSubscription = await admin.GetFromJsonAsync<JsonObject>($"/api/merchants/{B}/subscriptions/{subB}");
        var rulesBAfter = await admin.GetStringAsync($"/api/merchants/{B}/routing-rules");
        var templateBAfter = await admin.GetFromJsonAsync<JsonObject>($"/api/merchants/{B}/templates/shipped/email");
        var settingsBAfter = await admin.GetFromJsonAsync<JsonObject>($"/api/merchants/{B}/notification-settings");

        var report = $"Tenant isolation (admin limited to {A} against {B}): {rows.Count} attempts, {rows.Count(r => !r.Ok)} deviations\n"
                     + string.Join("\n", rows.Select(r => $"  {r.Attempt,-40} {(int)r.Status}{(r.Ok ? "" : "   <-- DEVIATION")}"));
        output.WriteLine(report);
        SecurityReport.Write("tenant-isolation", report);
        Assert.True(rows.All(r => r.Ok), report);
        Assert.Equal(HttpStatusCode.OK, ownSubscription.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownOrder.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerSeesB.StatusCode);
        Assert.Equal("http://127.0.0.1:5999/b", (string)bSubscription!["url"]!);
        Assert.Equal(rulesB, rulesBAfter);
        Assert.True((bool)templateBAfter!["isDefault"]!);
        Assert.False((bool)settingsBAfter!["smsEnabled"]!);
    }

    private async Task<Guid> PlaceAsync(string merchant, string secret, string orderId)
    {
        var response = await _server.CreateClient().SendAsync(Standard($"/webhooks/{merchant}/orders", secret, OrderJson(orderId)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Stored before the attempts: a 404 for an order still in the inbox would pass for isolation.
        await InboxDrainedAsync(db.ConnectionString);
        return (Guid)(await response.Content.ReadFromJsonAsync<JsonObject>())!["orderId"]!;
    }

    private static async Task<Guid> SubscribeAsync(HttpClient admin, string merchant)
    {
        var response = await admin.PostAsJsonAsync($"/api/merchants/{merchant}/subscriptions", new { url = $"http://127.0.0.1:5999/{merchant[^1]}" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (Guid)(await response.Content.ReadFromJsonAsync<JsonObject>())!["subscription"]!["id"]!;
    }
}
