using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>The parcelhub flavour over the shared lifecycle: its states, decline codes, consignments, cancellation and knobs.</summary>
public sealed class ParcelhubLifecycleTests
{
    [Fact]
    public async Task PurchaseOrder_ClockPasses_ReceivedConfirmedDispatchedCompleted()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 1), ("NOTEBOOK-A5", 2));
        var id = (string)placed["id"]!;

        sim.Advance(2);
        var confirmed = await parcelhub.GetAsync(id);
        sim.Advance(3);
        var dispatched = await parcelhub.GetAsync(id);
        sim.Advance(10);
        var completed = await parcelhub.GetAsync(id);

        Assert.Equal("received", (string)placed["state"]!);
        Assert.Equal("confirmed", (string)confirmed["state"]!);
        Assert.All(confirmed["items"]!.AsArray(), i => Assert.Equal("confirmed", (string)i!["result"]!));
        Assert.Equal("dispatched", (string)dispatched["state"]!);
        Assert.Equal("completed", (string)completed["state"]!);
        var consignment = Assert.Single(completed["consignments"]!.AsArray())!;
        Assert.Equal(["1", "2"], consignment["item_refs"]!.AsArray().Select(r => (string)r!));
        Assert.False(string.IsNullOrEmpty((string)consignment["tracking_code"]!));
        Assert.Contains((string)consignment["courier"]!, new[] { "DHL", "DPD", "UPS" });
        Assert.EndsWith("/track/" + (string)consignment["tracking_code"]!, (string)consignment["tracking_link"]!);
        Assert.Equal(["MAN", "DEP", "OFD", "DLV"], consignment["checkpoints"]!.AsArray().Select(c => (string)c!["code"]!));
    }

    [Fact]
    public async Task PurchaseOrder_SkuNotListed_ThatItemDeclinedSkuNotListed()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 1), ("TEE-BLACK-M", 1));

        sim.Advance(2);
        var order = await parcelhub.GetAsync((string)placed["id"]!);

        Assert.Equal("confirmed", (string)order["state"]!);
        var items = order["items"]!.AsArray();
        Assert.Equal("confirmed", (string)items[0]!["result"]!);
        Assert.Equal("declined", (string)items[1]!["result"]!);
        Assert.Equal("SKU_NOT_LISTED", (string)items[1]!["decline_code"]!);
        Assert.Equal("SKU_NOT_LISTED", (string)order["decline"]!["code"]!);
    }

    [Fact]
    public async Task PurchaseOrder_UndeliverableCountry_DeclinedZoneNotServed()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        await sim.SetKnobsAsync(new { undeliverableCountries = new[] { "IT" } });
        var placed = await parcelhub.PlaceAsync("OF-1", "IT", ("LAMP-DESK", 1));

        sim.Advance(2);
        var order = await parcelhub.GetAsync((string)placed["id"]!);

        Assert.Equal("declined", (string)order["state"]!);
        Assert.Equal("ZONE_NOT_SERVED", (string)order["decline"]!["code"]!);
        Assert.Equal("ZONE_NOT_SERVED", (string)order["items"]![0]!["decline_code"]!);
    }

    [Fact]
    public async Task PurchaseOrder_MoreThanInStock_DeclinedNoStock()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        await sim.SetKnobsAsync(new { stock = 3 });
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 5));

        sim.Advance(2);
        var order = await parcelhub.GetAsync((string)placed["id"]!);

        Assert.Equal("declined", (string)order["state"]!);
        Assert.Equal("NO_STOCK", (string)order["items"]![0]!["decline_code"]!);
    }

    [Fact]
    public async Task Cancellation_ConfirmedOrder_VoidedNeverDispatchedStockBack()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 4));
        sim.Advance(2);

        using var response = await parcelhub.Http.PostAsync($"purchase_orders/{placed["id"]}/cancellation", null);
        var voided = await TestSimulator.ReadAsync(response);
        sim.Advance(60);
        var later = await parcelhub.GetAsync((string)placed["id"]!);
        var products = await parcelhub.Http.GetFromJsonAsync<JsonObject>("products?per_page=50");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("voided", (string)voided["state"]!);
        Assert.Equal("voided", (string)later["state"]!);
        Assert.Empty(later["consignments"]!.AsArray());
        Assert.Equal(1_000_000, (int)products!["data"]!.AsArray().Single(p => (string)p!["sku"]! == "LAMP-DESK")!["stock_level"]!);
    }

    [Fact]
    public async Task Cancellation_DispatchedOrder_Returns409NamingState()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        var placed = await parcelhub.PlaceAsync("OF-1", "DE", ("LAMP-DESK", 1));
        sim.Advance(2);
        sim.Advance(3);

        using var response = await parcelhub.Http.PostAsync($"purchase_orders/{placed["id"]}/cancellation", null);
        var body = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("not_cancellable", (string)body["error"]!["code"]!);
        Assert.Equal("dispatched", (string)body["error"]!["state"]!);
    }

    [Fact]
    public async Task Cancellation_UnknownOrder_Returns404()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);

        using var response = await parcelhub.Http.PostAsync("purchase_orders/parcelhub-424242/cancellation", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string)(await TestSimulator.ReadAsync(response))["error"]!["code"]!);
    }

    [Fact]
    public async Task ErrorRateKnob_ParcelhubCall_Returns503InParcelhubShape()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        await sim.SetKnobsAsync(new { errorRate = 1.0 });

        using var response = await parcelhub.Http.GetAsync("products");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", (string)(await TestSimulator.ReadAsync(response))["error"]!["code"]!);
    }

    [Fact]
    public async Task DropAfterCommitKnob_Placement_StoredThenReplayedUnderSameRequestId()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var parcelhub = new ParcelhubClient(sim);
        await sim.SetKnobsAsync(new { dropAfterCommitRate = 1.0 });
        var order = ParcelhubClient.Order("OF-1", "DE", ("LAMP-DESK", 1));

        await Assert.ThrowsAsync<HttpRequestException>(() => parcelhub.PostAsync(order, "req-1"));
        using var retry = await parcelhub.PostAsync(order, "req-1");
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var placement = Assert.Single(ledger!["placements"]!.AsArray())!;
        Assert.Equal("parcelhub", (string)placement["supplierId"]!);
        Assert.Equal(2, (int)placement["requests"]!);
    }
}
