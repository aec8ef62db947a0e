using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>The parcelhub flavour's wire contract: auth, catalogue, validation, idempotency and search.</summary>
public sealed class ParcelhubApiTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("sim-key-parcelhub")]
    public async Task ParcelhubCall_MissingOrWrongToken_Returns401WithBearerChallenge(string? token)
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim, token);

        using var response = await parcelhub.Http.GetAsync("products");
        var body = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid_token", (string)body["error"]!["code"]!);
    }

    [Fact]
    public async Task ParcelhubCall_ApiKeyHeaderInsteadOfBearer_Returns401()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim, token: null);
        parcelhub.Http.DefaultRequestHeaders.Add("X-Api-Key", ParcelhubClient.Token);

        using var response = await parcelhub.Http.GetAsync("products");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ParcelhubCall_ConfiguredToken_ReplacesDefault()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Suppliers:parcelhub:ApiKey", "ph-secret"));
        using var withDefault = new ParcelhubClient(sim);
        using var withConfigured = new ParcelhubClient(sim, "ph-secret");

        using var refused = await withDefault.Http.GetAsync("products");
        using var accepted = await withConfigured.Http.GetAsync("products");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task OrderFlowApi_ParcelhubAsSupplierId_Returns404()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier("parcelhub").GetAsync("catalog");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Products_PerPageTwo_PagedWithPricesInMinorUnits()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);

        var first = await parcelhub.Http.GetFromJsonAsync<JsonObject>("products?page=1&per_page=2");
        var last = await parcelhub.Http.GetFromJsonAsync<JsonObject>("products?page=3&per_page=2");

        Assert.Equal(2, first!["data"]!.AsArray().Count);
        Assert.Equal(2, (int)first["meta"]!["next_page"]!);
        Assert.Equal(5, (int)first["meta"]!["total"]!);
        var lastItems = last!["data"]!.AsArray();
        Assert.Single(lastItems);
        Assert.Null(last["meta"]!["next_page"]);
        var all = (await parcelhub.Http.GetFromJsonAsync<JsonObject>("products?per_page=50"))!["data"]!.AsArray();
        var lamp = all.Single(p => (string)p!["sku"]! == "LAMP-DESK")!;
        Assert.Equal(2400, (long)lamp["unit_price_minor"]!);
        Assert.Equal(450, (long)lamp["shipping_minor"]!);
        Assert.Equal(1_000_000, (int)lamp["stock_level"]!);
        Assert.Equal("Desk lamp", (string)lamp["title"]!);
    }

    [Fact]
    public async Task PlaceOrder_WithoutRequestId_Returns422NamingTheHeader()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);

        using var response = await parcelhub.PostAsync(ParcelhubClient.Order("OF-1", "DE", ("LAMP-DESK", 1)), requestId: null);
        var body = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("validation_failed", (string)body["error"]!["code"]!);
        Assert.NotNull(body["error"]!["fields"]!["X-Request-Id"]);
    }

    [Theory]
    [InlineData("qty", "items[0].qty")]
    [InlineData("country", "recipient.country_code")]
    [InlineData("address", "recipient.address_lines")]
    [InlineData("reference", "client_reference")]
    [InlineData("items", "items")]
    public async Task PlaceOrder_InvalidField_Returns422NamingSnakeCasePath(string breakWhat, string expectedField)
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var order = ParcelhubClient.Order("OF-1", "DE", ("LAMP-DESK", 1));
        switch (breakWhat)
        {
            case "qty": order["items"]![0]!["qty"] = 1000; break;
            case "country": order["recipient"]!["country_code"] = "de"; break;
            case "address": order["recipient"]!["address_lines"] = new JsonArray(); break;
            case "reference": order["client_reference"] = new string('x', 65); break;
            case "items": order["items"] = new JsonArray(); break;
        }

        using var response = await parcelhub.PostAsync(order, "req-1");
        var body = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(body["error"]!["fields"]![expectedField]);
        Assert.Empty((await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger"))!["placements"]!.AsArray());
    }

    [Fact]
    public async Task PlaceOrder_SameRequestIdTwice_SameOrderReplayedAndLedgerCountsBoth()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var order = ParcelhubClient.Order("OF-1", "DE", ("LAMP-DESK", 2));

        using var first = await parcelhub.PostAsync(order, "req-1");
        using var second = await parcelhub.PostAsync(order, "req-1");
        var created = await TestSimulator.ReadAsync(first);
        var replayed = await TestSimulator.ReadAsync(second);
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((string)created["id"]!, (string)replayed["id"]!);
        Assert.Equal("received", (string)created["state"]!);
        Assert.Equal("OF-1", (string)created["client_reference"]!);
        var placement = Assert.Single(ledger!["placements"]!.AsArray())!;
        Assert.Equal("parcelhub", (string)placement["supplierId"]!);
        Assert.Equal("req-1", (string)placement["idempotencyKey"]!);
        Assert.Equal(2, (int)placement["requests"]!);
    }

    [Fact]
    public async Task PlaceOrder_ReferenceUnderNewRequestId_Returns409NamingExistingOrder()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 1));

        using var response = await parcelhub.PostAsync(ParcelhubClient.Order("OF-1", "DE", ("LAMP-DESK", 1)), "req-other");
        var body = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("duplicate_client_reference", (string)body["error"]!["code"]!);
        Assert.Equal((string)placed["id"]!, (string)body["error"]!["existing_id"]!);
    }

    [Fact]
    public async Task Search_ByClientReference_FindsTheOrderOrNothing()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 1));

        var hit = await parcelhub.Http.GetFromJsonAsync<JsonObject>("purchase_orders?client_reference=OF-1");
        var miss = await parcelhub.Http.GetFromJsonAsync<JsonObject>("purchase_orders?client_reference=OF-2");

        Assert.Equal((string)placed["id"]!, (string)Assert.Single(hit!["data"]!.AsArray())!["id"]!);
        Assert.Empty(miss!["data"]!.AsArray());
    }

    [Fact]
    public async Task Search_ByIds_ReturnsKnownParcelhubOrdersOnly()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var first = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 1));
        var second = await parcelhub.PlaceAsync("OF-2", "DE", ("NOTEBOOK-A5", 1));
        var acme = await sim.PlaceAsync("OF-3", ("MUG-BLUE", 1));

        var found = await parcelhub.Http.GetFromJsonAsync<JsonObject>(
            $"purchase_orders?ids={first["id"]},parcelhub-424242,{acme["id"]},{second["id"]}");

        Assert.Equal([(string)first["id"]!, (string)second["id"]!], found!["data"]!.AsArray().Select(o => (string)o!["id"]!));
    }

    [Fact]
    public async Task Search_MoreThanHundredIds_Returns422NamingIds()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);

        using var response = await parcelhub.Http.GetAsync("purchase_orders?ids=" + string.Join(',', Enumerable.Range(1, 101).Select(i => $"parcelhub-{i:D6}")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await TestSimulator.ReadAsync(response))["error"]!["fields"]!["ids"]);
    }

    [Fact]
    public async Task Search_NeitherReferenceNorIds_Returns422()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);

        using var response = await parcelhub.Http.GetAsync("purchase_orders");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }
}
