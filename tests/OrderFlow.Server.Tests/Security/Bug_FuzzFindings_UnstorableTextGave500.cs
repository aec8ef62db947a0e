using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Server.Tests.Security.AttackKit;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Regressions found by <see cref="IntakeFuzzTests"/>: a NUL or a lone surrogate in a stored field reached PostgreSQL
/// (22021 / 22P05) and invalid UTF-8 in a Shopify or WooCommerce string threw while mapping; each answered 500.
/// </summary>
public sealed class Bug_FuzzFindings_UnstorableTextGave500(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string AfterShipSecret = "aftership-regression-secret";
    private ServerFactory _server = null!;
    private readonly string _shop = "nul-" + Guid.NewGuid().ToString("N")[..8];
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?> { ["OrderFlow:CarrierWebhooks:AfterShipSecret"] = AfterShipSecret });
        var created = await _server.ClientAs("admin").PostAsJsonAsync("/api/merchants", new { id = _shop, name = "NUL" });
        _secret = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("\\u0000", "customer.name")]
    [InlineData("\\ud800", "customer.name")]
    [InlineData("line\\u001b[31mred", "customer.name")]
    public async Task StandardIntake_UnstorableTextInAField_400NamingTheField(string escaped, string field)
    {
        var body = OrderJson("nul-" + Guid.NewGuid().ToString("N")[..8]).Replace("\"Ada Lovelace\"", $"\"Ada{escaped}\"");

        var response = await _server.CreateClient().SendAsync(Standard($"/webhooks/{_shop}/orders", _secret, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
    }

    [Fact]
    public async Task ShopifyIntake_InvalidUtf8InAString_400NotAServerError()
    {
        var body = Encoding.UTF8.GetBytes(ShopifyJson(4242));
        var at = Array.IndexOf(body, (byte)'L');
        body[at] = 0xC3;
        body[at + 1] = 0x28;
        using var request = Request($"/webhooks/{_shop}/shopify/orders", body, new() { ["X-Shopify-Hmac-Sha256"] = BodyHmac(_secret, body) });

        var response = await _server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AfterShip_NulInTheTrackingNumber_400AndNothingRecorded()
    {
        var body = """{"event":"tracking_update","event_id":"nul-1","msg":{"tracking_number":"TRK\u0000","tag":"InTransit"}}""";

        var response = await _server.CreateClient().SendAsync(BodySigned("/webhooks/carriers/aftership", "aftership-hmac-sha256", AfterShipSecret, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0L, (await CountRowsAsync(db.ConnectionString))["fulfillment.carrier_webhook_events"]);
    }
}
