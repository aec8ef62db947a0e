using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.SupplierSimulator;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>
/// Suppliers are untrusted: answers that are too large or invalid are refused before use (the order is retried, then
/// rerouted, never lost), and a supplier whose name starts resolving to a private address after it was saved is refused
/// at connect time. Real PostgreSQL, the real simulator, and a stub supplier on a loopback port for the hostile answers.
/// </summary>
public sealed class UntrustedSupplierTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly Dictionary<string, string?> RerouteAfterTwo = new() { ["OrderFlow:Fulfillment:PlacementAttemptsBeforeReroute"] = "2" };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Placement_AnswerOverSizeLimit_RetriedThenReroutedNothingStored(bool withContentLength)
    {
        await using var stub = await StubSupplier.StartAsync();
        var oversized = $$"""{"id":"stub-1","pad":"{{new string('a', 200_000)}}"}""";
        stub.Answer = http => StubSupplier.WriteJsonAsync(http, oversized, withContentLength);
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString,
            new Dictionary<string, string?>(RerouteAfterTwo) { ["OrderFlow:Fulfillment:MaxSupplierResponseBytes"] = "65536" });
        await world.ChangeSuppliersAsync($"UPDATE fulfillment.suppliers SET base_url = '{stub.Url}' WHERE id = 'acme'");

        var orderId = await world.SubmitAsync(SampleOrders.Valid($"U-SIZE-{withContentLength}", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered", tick: TimeSpan.FromSeconds(5));

        await AssertReroutedFromAcmeAsync(world, orderId, "more than 65536 bytes");
        Assert.True(stub.Requests >= 2, $"the stub saw {stub.Requests} requests");
    }

    [Theory]
    [InlineData("script-url", "trackingUrl is not an http or https URL")]
    [InlineData("negative-quantity", "quantity is not between")]
    [InlineData("other-reference", "another reference")]
    [InlineData("malformed-json", "could not be read")]
    [InlineData("null", "the answer is empty")]
    public async Task Placement_AnswerInvalid_RetriedThenReroutedNothingStored(string broken, string expected)
    {
        await using var stub = await StubSupplier.StartAsync();
        var orders = new FakeOrders(o => broken switch
        {
            "script-url" => Shipped(o, "javascript:alert(document.cookie)").ToJsonString(),
            "negative-quantity" => Set(o, ("lines", 0, "quantity"), -5).ToJsonString(),
            "other-reference" => Set(o, ("reference", -1, ""), "someone-else").ToJsonString(),
            "malformed-json" => o.ToJsonString()[..40],
            _ => "null",
        });
        stub.Answer = orders.AnswerAsync;
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, RerouteAfterTwo);
        await world.ChangeSuppliersAsync($"UPDATE fulfillment.suppliers SET base_url = '{stub.Url}' WHERE id = 'acme'");

        var orderId = await world.SubmitAsync(SampleOrders.Valid($"U-BAD-{broken}", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered", tick: TimeSpan.FromSeconds(5));

        await AssertReroutedFromAcmeAsync(world, orderId, expected);
        Assert.True(orders.Placements >= 1, "the stub was asked to place");
    }

    [Fact]
    public async Task TrackingSweep_ShipmentWithScriptUrl_LeftOutThenValidNewsApplied()
    {
        await using var stub = await StubSupplier.StartAsync();
        var render = (Func<JsonObject, string>)(o => o.ToJsonString());
        var orders = new FakeOrders(o => render(o));
        stub.Answer = orders.AnswerAsync;
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.ChangeSuppliersAsync($"UPDATE fulfillment.suppliers SET base_url = '{stub.Url}' WHERE id = 'acme'");
        var orderId = await world.SubmitAsync(SampleOrders.Valid("U-TRACK", ("MUG-BLUE", 1)));
        // A well-formed answer from the stub is taken: the stub speaks the protocol, so the refusals above are the checks'.
        await world.DriveUntilAsync(async () => await SupplierOrderAsync(world, orderId) == ("stub-1", "accepted"));

        render = o => Shipped(o, "javascript:alert(document.cookie)").ToJsonString();
        await world.SweepAsync();
        var afterBad = await SupplierOrderAsync(world, orderId);
        var parcelsAfterBad = await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @id", ("id", orderId));

        render = o => Shipped(o, "https://track.example/JD0001").ToJsonString();
        await world.SweepAsync();

        Assert.Equal(("stub-1", "accepted"), afterBad);
        Assert.Equal(0L, parcelsAfterBad);
        Assert.Equal(("stub-1", "shipped"), await SupplierOrderAsync(world, orderId));
        Assert.Equal("https://track.example/JD0001", await world.Host.ScalarAsync<string>("SELECT tracking_url FROM fulfillment.parcels WHERE order_id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task CatalogSync_SomeItemsInvalid_LeftOutTheRestSynced()
    {
        await using var stub = await StubSupplier.StartAsync();
        stub.Answer = http => StubSupplier.WriteJsonAsync(http, new JsonObject
        {
            ["items"] = new JsonArray(
                Item("MUG", 5, 4.5m, "EUR"),
                Item("NEGATIVE", -3, 4.5m, "EUR"),
                Item(new string('S', 300), 5, 4.5m, "EUR"),
                Item("MUG", 99, 0.01m, "EUR"),
                Item("PRICEY", 5, 1e12m, "EUR"),
                Item("EUROS", 5, 4.5m, "€€€"),
                Item("NUL\0SKU", 5, 4.5m, "EUR")),
        }.ToJsonString());
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var saved = await host.Services.GetRequiredService<SupplierAdmin>().CreateAsync(
            new SupplierRequest("stubco", "Stub Co", "orderflow", stub.Url, 50, true, null, null, null, "stub-key", null, null, null, null, null), default);
        Assert.Equal(200, saved.Status);

        await using (var connection = await host.DataSource.OpenConnectionAsync())
        {
            await host.Services.GetRequiredService<CatalogSyncJob>().SyncAsync(connection, "stubco", default);
        }

        Assert.Equal(["MUG"], await host.ScalarAsync<string[]>("SELECT array_agg(sku ORDER BY sku) FROM fulfillment.catalog WHERE supplier_id = 'stubco'") ?? []);
        Assert.Equal(5, await host.ScalarAsync<int>("SELECT available FROM fulfillment.catalog WHERE supplier_id = 'stubco'"));
    }

    [Fact]
    public async Task Placement_SupplierNameRebindsToLoopbackAfterSave_RefusedAtConnectNothingPlacedLineRerouted()
    {
        var resolver = new SwitchingResolver(IPAddress.Parse("93.184.216.34"));
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString,
            new Dictionary<string, string?>(RerouteAfterTwo) { ["OrderFlow:Fulfillment:AllowPrivateSupplierTargets"] = "false" },
            configure: services => services.AddSingleton<IHostResolver>(resolver), loadCatalogue: false);
        var port = new Uri(world.Simulator.BaseAddress()).Port;
        // Saved while acme.test resolves to a public address: accepted.
        var saved = await world.Host.Services.GetRequiredService<SupplierAdmin>().UpdateAsync("acme",
            new SupplierRequest("acme", "Acme Wholesale", "orderflow", $"http://acme.test:{port}/suppliers/acme", 10, true, null, null, null, null, null, null, null, null, null), default);
        Assert.Equal(200, saved.Status);
        // The catalogue cannot be synced (every simulator supplier is on loopback, so refused): acme, the preferred one, gets the SKU.
        await world.ChangeSuppliersAsync("""
            INSERT INTO fulfillment.catalog (supplier_id, sku, available, unit_price, currency, synced_at) VALUES ('acme', 'MUG-BLUE', 100, 1, 'EUR', now())
            ON CONFLICT (supplier_id, sku) DO UPDATE SET available = 100;
            """);

        // Then its DNS answer changes to the loopback address the simulator really listens on.
        resolver.Rebind(IPAddress.Loopback);
        var orderId = await world.SubmitAsync(SampleOrders.Valid("U-DNS", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.Host.ScalarAsync<string>(
            "SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'", ("id", orderId)) == "unreachable", tick: TimeSpan.FromSeconds(5));

        var references = await world.Host.ScalarAsync<string[]>("SELECT array_agg(reference) FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        Assert.DoesNotContain(await world.LedgerAsync(), p => references!.Contains(p!["reference"]!.GetValue<string>()));
        Assert.Contains("acme.test resolves to 127.0.0.1", await world.Host.ScalarAsync<string>(
            "SELECT rejection_message FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'", ("id", orderId)));
        // Rerouted, not lost (the next suppliers sit on loopback too, so they are refused in turn and the order is held for ops).
        Assert.Equal("acme", (await world.Host.ScalarAsync<string[]>("SELECT rejected_by FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)))![0]);
        var journal = await world.Host.Services.GetRequiredService<InstanceQueries>().GetJournalAsync(
            await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", orderId)));
        Assert.Contains(journal, e => e.ActivityId == "place" && e.Event == JournalEvents.RetryScheduled);
    }

    private static async Task AssertReroutedFromAcmeAsync(SimulatedWorld world, Guid orderId, string expectedProblem)
    {
        var acme = await world.Host.ScalarAsync<string>(
            "SELECT status || '|' || coalesce(supplier_order_id, '-') || '|' || coalesce(rejection_message, '') FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'",
            ("id", orderId));
        Assert.StartsWith("unreachable|-|", acme);
        Assert.Contains(expectedProblem, acme);
        Assert.Equal("globex", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal(0L, await world.Host.ScalarAsync<long>(
            "SELECT count(*) FROM fulfillment.parcels p JOIN fulfillment.supplier_orders so ON so.id = p.supplier_order_id WHERE so.order_id = @id AND so.supplier_id = 'acme'", ("id", orderId)));
    }

    private static async Task<(string?, string?)> SupplierOrderAsync(SimulatedWorld world, Guid orderId)
    {
        var row = await world.Host.ScalarAsync<string>(
            "SELECT coalesce(supplier_order_id, '') || '|' || status FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'", ("id", orderId));
        return row?.Split('|') is [var id, var status] ? (id, status) : (null, null);
    }

    private static JsonObject Item(string sku, int available, decimal price, string currency) =>
        new() { ["sku"] = sku, ["name"] = sku, ["available"] = available, ["unitPrice"] = price, ["shippingPrice"] = 0m, ["currency"] = currency };

    /// <summary>A copy of the order, shipped in one parcel whose tracking link is <paramref name="trackingUrl"/>.</summary>
    private static JsonObject Shipped(JsonObject order, string trackingUrl)
    {
        var copy = order.DeepClone().AsObject();
        copy["status"] = "shipped";
        copy["shipments"] = new JsonArray(new JsonObject
        {
            ["id"] = "shp-1", ["carrier"] = "DHL", ["trackingNumber"] = "JD0001", ["trackingUrl"] = trackingUrl, ["status"] = "InTransit",
            ["lineRefs"] = new JsonArray([.. copy["lines"]!.AsArray().Select(l => JsonValue.Create((string)l!["lineRef"]!))]),
            ["events"] = new JsonArray(),
        });
        return copy;
    }

    /// <summary>A copy of the order with one value replaced: a top-level field (index -1) or a field of one line.</summary>
    private static JsonObject Set(JsonObject order, (string Field, int Index, string Inner) at, JsonNode value)
    {
        var copy = order.DeepClone().AsObject();
        if (at.Index < 0)
        {
            copy[at.Field] = value;
        }
        else
        {
            copy[at.Field]![at.Index]![at.Inner] = value;
        }

        return copy;
    }

    /// <summary>
    /// The stub's "orderflow" protocol: POST /orders places (echoing reference and lines), GET /orders?reference= and
    /// POST /orders/status show the placed order. Every answer goes through <c>render</c>, which may break it.
    /// </summary>
    private sealed class FakeOrders(Func<JsonObject, string> render)
    {
        private JsonObject? placed;
        private int placements;

        public int Placements => Volatile.Read(ref placements);

        public async Task AnswerAsync(HttpContext http)
        {
            var path = http.Request.Path.Value ?? "";
            if (HttpMethods.IsPost(http.Request.Method) && path.EndsWith("/orders", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref placements);
                var request = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
                var now = DateTimeOffset.UtcNow;
                placed = new JsonObject
                {
                    ["id"] = "stub-1", ["reference"] = (string)request["reference"]!, ["status"] = "accepted", ["createdAt"] = now, ["updatedAt"] = now,
                    ["lines"] = new JsonArray([.. request["lines"]!.AsArray().Select(l => new JsonObject
                    {
                        ["lineRef"] = (string)l!["lineRef"]!, ["sku"] = (string)l["sku"]!, ["quantity"] = (int)l["quantity"]!, ["status"] = "accepted",
                    })]),
                    ["shipments"] = new JsonArray(),
                };
                await StubSupplier.WriteJsonAsync(http, render(placed));
            }
            else if (path.EndsWith("/orders", StringComparison.Ordinal) || path.EndsWith("/orders/status", StringComparison.Ordinal))
            {
                await StubSupplier.WriteJsonAsync(http, placed is null ? """{"items":[]}""" : $$"""{"items":[{{render(placed)}}]}""");
            }
            else
            {
                http.Response.StatusCode = 404;
            }
        }
    }
}
