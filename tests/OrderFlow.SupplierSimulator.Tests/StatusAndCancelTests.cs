using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class StatusAndCancelTests
{
    [Fact]
    public async Task StatusQuery_MixedIds_ReturnsKnownOrdersOfThisSupplierOnly()
    {
        await using var sim = await TestSimulator.StartAsync();
        var first = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));
        var second = await sim.PlaceAsync("OF-2", ("MUG-RED", 1));
        using var globexResponse = await sim.PostOrderAsync(TestSimulator.Order("OF-3", "DE", ("CAP-GREEN", 1)), "k3", "globex");
        var globex = await TestSimulator.ReadAsync(globexResponse);

        sim.Advance(2);
        using var response = await sim.Supplier().PostAsJsonAsync("orders/status",
            new { ids = new[] { (string)first["id"]!, "acme-424242", (string)globex["id"]!, (string)second["id"]! } });
        var items = (await TestSimulator.ReadAsync(response))["items"]!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([(string)first["id"]!, (string)second["id"]!], items.Select(i => (string)i!["id"]!));
        Assert.All(items, i => Assert.Equal("accepted", (string)i!["status"]!));
    }

    [Fact]
    public async Task StatusQuery_FiveHundredIds_Accepted()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier().PostAsJsonAsync("orders/status", new { ids = Enumerable.Range(1, 500).Select(i => $"acme-{i:D6}") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StatusQuery_MoreThanFiveHundredIds_Returns400NamingIds()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier().PostAsJsonAsync("orders/status", new { ids = Enumerable.Range(1, 501).Select(i => $"acme-{i:D6}") });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestSimulator.ReadAsync(response))["errors"]!["ids"]);
    }

    [Fact]
    public async Task StatusQuery_WithoutIds_Returns400()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier().PostAsJsonAsync("orders/status", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_PendingOrder_CancelledAndNeverProgresses()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        using var response = await sim.Supplier().PostAsync($"orders/{placed["id"]}/cancel", null);
        var cancelled = await TestSimulator.ReadAsync(response);
        sim.Advance(60);
        var later = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (string)cancelled["status"]!);
        Assert.Equal("cancelled", (string)later["status"]!);
        Assert.Empty(later["shipments"]!.AsArray());
    }

    [Fact]
    public async Task Cancel_AcceptedOrder_CancelledAndStockRestored()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 4));
        sim.Advance(2);
        Assert.Equal("accepted", (string)(await sim.GetOrderAsync((string)placed["id"]!))["status"]!);

        using var response = await sim.Supplier().PostAsync($"orders/{placed["id"]}/cancel", null);
        sim.Advance(60);
        var later = await sim.GetOrderAsync((string)placed["id"]!);
        var catalog = await sim.Supplier().GetFromJsonAsync<JsonObject>("catalog");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (string)later["status"]!);
        Assert.Empty(later["shipments"]!.AsArray());
        Assert.Equal(1_000_000, (int)catalog!["items"]!.AsArray().Single(i => (string)i!["sku"]! == "MUG-BLUE")!["available"]!);
    }

    [Fact]
    public async Task Cancel_AlreadyCancelled_IdempotentOk()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        using var first = await sim.Supplier().PostAsync($"orders/{placed["id"]}/cancel", null);
        sim.Advance(1);
        using var second = await sim.Supplier().PostAsync($"orders/{placed["id"]}/cancel", null);
        var a = await TestSimulator.ReadAsync(first);
        var b = await TestSimulator.ReadAsync(second);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("cancelled", (string)b["status"]!);
        Assert.Equal((string)a["updatedAt"]!, (string)b["updatedAt"]!);
    }

    [Theory]
    [InlineData(5, "shipped")]
    [InlineData(15, "delivered")]
    public async Task Cancel_ShippedOrDelivered_Returns409(double seconds, string status)
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));
        sim.Advance(2);
        sim.Advance(seconds - 2);

        using var response = await sim.Supplier().PostAsync($"orders/{placed["id"]}/cancel", null);
        var problem = await TestSimulator.ReadAsync(response);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(status, (string)problem["orderStatus"]!);
        Assert.Equal(status, (string)order["status"]!);
    }

    [Fact]
    public async Task Cancel_UnknownOrder_Returns404()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier().PostAsync("orders/acme-123456/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
