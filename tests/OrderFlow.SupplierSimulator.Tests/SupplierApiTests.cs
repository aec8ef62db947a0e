using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class SupplierApiTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("sim-key-globex")]
    public async Task SupplierCall_MissingOrWrongApiKey_Returns401Problem(string? apiKey)
    {
        await using var sim = await TestSimulator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/suppliers/acme/catalog");
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        using var response = await sim.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SupplierCall_ConfiguredApiKey_ReplacesDefault()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Suppliers:acme:ApiKey", "secret-acme"));

        using var withDefault = await sim.Supplier("acme").GetAsync("catalog");
        using var withConfigured = await sim.Supplier("acme", "secret-acme").GetAsync("catalog");

        Assert.Equal(HttpStatusCode.Unauthorized, withDefault.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withConfigured.StatusCode);
    }

    [Fact]
    public async Task SupplierCall_UnknownSupplier_Returns404()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier("initech").GetAsync("catalog");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Catalog_Globex_ListsItsFiveItemsWithPrices()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier("globex").GetAsync("catalog");
        var items = (await TestSimulator.ReadAsync(response))["items"]!.AsArray();

        Assert.Equal(["MUG-BLUE", "TEE-BLACK-M", "CAP-GREEN", "POSTER-A2", "BOTTLE-STEEL"], items.Select(i => (string)i!["sku"]!));
        var cap = items.Single(i => (string)i!["sku"]! == "CAP-GREEN")!;
        Assert.Equal(11.00m, (decimal)cap["unitPrice"]!);
        Assert.Equal(2.90m, (decimal)cap["shippingPrice"]!);
        Assert.Equal("EUR", (string)cap["currency"]!);
        Assert.Equal(1_000_000, (int)cap["available"]!);
    }

    [Fact]
    public async Task PlaceOrder_WithoutIdempotencyKey_Returns400NamingTheHeader()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.PostOrderAsync(TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1)), idempotencyKey: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestSimulator.ReadAsync(response))["errors"]!["Idempotency-Key"]);
    }

    [Theory]
    [InlineData("quantity", "lines[0].quantity")]
    [InlineData("country", "shipTo.country")]
    [InlineData("currency", "currency")]
    [InlineData("lines", "lines")]
    [InlineData("sku", "lines[0].sku")]
    public async Task PlaceOrder_InvalidField_Returns400NamingTheField(string breakWhat, string expectedField)
    {
        await using var sim = await TestSimulator.StartAsync();
        var order = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1));
        switch (breakWhat)
        {
            case "quantity":
                order["lines"]![0]!["quantity"] = 0;
                break;
            case "country":
                order["shipTo"]!["country"] = "Germany";
                break;
            case "currency":
                order["currency"] = "USD";
                break;
            case "lines":
                order["lines"] = new JsonArray();
                break;
            case "sku":
                order["lines"]![0]!["sku"] = "";
                break;
        }

        using var response = await sim.PostOrderAsync(order, "k1");
        var problem = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(problem["errors"]![expectedField]);
        Assert.Contains(expectedField, (string)problem["detail"]!);
    }

    [Fact]
    public async Task PlaceOrder_MissingReference_Returns400NamingReference()
    {
        await using var sim = await TestSimulator.StartAsync();
        var order = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1));
        order.Remove("reference");

        using var response = await sim.PostOrderAsync(order, "k1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestSimulator.ReadAsync(response))["errors"]!["reference"]);
    }

    [Fact]
    public async Task PlaceOrder_MalformedJson_Returns400()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = new StringContent("{\"reference\": ", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "k1");

        using var response = await sim.Supplier().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PlaceOrder_SameKeyTwice_ReturnsSameOrderWith200AndCountsBothRequests()
    {
        await using var sim = await TestSimulator.StartAsync();
        var order = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 2));

        using var first = await sim.PostOrderAsync(order, "key-1");
        using var second = await sim.PostOrderAsync(order, "key-1");
        var created = await TestSimulator.ReadAsync(first);
        var replayed = await TestSimulator.ReadAsync(second);
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("acme-000001", (string)created["id"]!);
        Assert.Equal((string)created["id"]!, (string)replayed["id"]!);
        Assert.Equal("pending", (string)created["status"]!);
        var placement = Assert.Single(ledger!["placements"]!.AsArray())!;
        Assert.Equal("acme", (string)placement["supplierId"]!);
        Assert.Equal("OF-1", (string)placement["reference"]!);
        Assert.Equal("key-1", (string)placement["idempotencyKey"]!);
        Assert.Equal(2, (int)placement["requests"]!);
    }

    [Fact]
    public async Task PlaceOrder_SameKeyConcurrently_CreatesExactlyOneOrder()
    {
        await using var sim = await TestSimulator.StartAsync();
        var order = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => sim.PostOrderAsync(order, "key-1")));
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(20, (int)Assert.Single(ledger!["placements"]!.AsArray())!["requests"]!);
    }

    [Fact]
    public async Task PlaceOrder_SameReferenceDifferentKey_Returns409WithExistingOrderId()
    {
        await using var sim = await TestSimulator.StartAsync();
        var order = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 2));

        using var first = await sim.PostOrderAsync(order, "key-1");
        using var second = await sim.PostOrderAsync(order, "key-2");
        var problem = await TestSimulator.ReadAsync(second);
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal((string)(await TestSimulator.ReadAsync(first))["id"]!, (string)problem["existingOrderId"]!);
        Assert.Single(ledger!["placements"]!.AsArray());
    }

    [Fact]
    public async Task PlaceOrder_SameReferenceAtTwoSuppliers_CreatesTwoOrders()
    {
        await using var sim = await TestSimulator.StartAsync();
        var order = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1));

        using var acme = await sim.PostOrderAsync(order, "key-1", "acme");
        using var globex = await sim.PostOrderAsync(order, "key-1", "globex");

        Assert.Equal(HttpStatusCode.Created, acme.StatusCode);
        Assert.Equal(HttpStatusCode.Created, globex.StatusCode);
        Assert.Equal("globex-000001", (string)(await TestSimulator.ReadAsync(globex))["id"]!);
    }

    [Fact]
    public async Task FindByReference_KnownAndUnknown_ReturnsOneOrNoItems()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-7", ("MUG-RED", 1));

        var found = await sim.Supplier().GetFromJsonAsync<JsonObject>("orders?reference=OF-7");
        var missing = await sim.Supplier().GetFromJsonAsync<JsonObject>("orders?reference=OF-8");
        var otherSupplier = await sim.Supplier("globex").GetFromJsonAsync<JsonObject>("orders?reference=OF-7");

        Assert.Equal((string)placed["id"]!, (string)Assert.Single(found!["items"]!.AsArray())!["id"]!);
        Assert.Empty(missing!["items"]!.AsArray());
        Assert.Empty(otherSupplier!["items"]!.AsArray());
    }

    [Fact]
    public async Task GetOrder_UnknownOrOtherSuppliersId_Returns404()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        using var unknown = await sim.Supplier().GetAsync("orders/acme-999999");
        using var wrongSupplier = await sim.Supplier("globex").GetAsync($"orders/{placed["id"]}");
        using var shipments = await sim.Supplier().GetAsync("orders/acme-999999/shipments");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongSupplier.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, shipments.StatusCode);
    }
}
