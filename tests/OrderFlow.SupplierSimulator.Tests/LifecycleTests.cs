using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class LifecycleTests
{
    private static string Status(JsonObject order) => (string)order["status"]!;

    [Fact]
    public async Task Order_BeforeAcceptDelay_StaysPending()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        sim.Advance(1.9);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("pending", Status(order));
        Assert.Equal("pending", (string)order["lines"]![0]!["status"]!);
    }

    [Fact]
    public async Task Order_AfterAcceptDelay_AcceptedAndStockDecremented()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 2), ("POSTER-A2", 3));

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);
        var catalog = await sim.Supplier().GetFromJsonAsync<JsonObject>("catalog");

        Assert.Equal("accepted", Status(order));
        Assert.All(order["lines"]!.AsArray(), l => Assert.Equal("accepted", (string)l!["status"]!));
        Assert.Null(order["rejection"]);
        Assert.Empty(order["shipments"]!.AsArray());
        var available = catalog!["items"]!.AsArray().ToDictionary(i => (string)i!["sku"]!, i => (int)i!["available"]!);
        Assert.Equal(999_998, available["MUG-BLUE"]);
        Assert.Equal(999_997, available["POSTER-A2"]);
        Assert.Equal(1_000_000, available["MUG-RED"]);
    }

    [Fact]
    public async Task Order_WithSkuTheSupplierDoesNotStock_RejectsThatLineIneligible()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1), ("CAP-GREEN", 1));

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("accepted", Status(order));
        Assert.Equal("accepted", (string)order["lines"]![0]!["status"]!);
        Assert.Equal("rejected", (string)order["lines"]![1]!["status"]!);
        Assert.Equal("ineligible_product", (string)order["lines"]![1]!["rejectionReason"]!);
        Assert.Equal("ineligible_product", (string)order["rejection"]!["reason"]!);
        Assert.Equal(["2"], order["rejection"]!["lineRefs"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task Order_AllLinesIneligible_Rejected()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("BOTTLE-STEEL", 1));

        sim.Advance(2);
        sim.Advance(60);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("rejected", Status(order));
        Assert.Empty(order["shipments"]!.AsArray());
    }

    [Fact]
    public async Task Order_QuantityAboveStock_RejectsLineOutOfStockAndKeepsStock()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Stock", "5"));
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 6), ("MUG-RED", 5));

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);
        var catalog = await sim.Supplier().GetFromJsonAsync<JsonObject>("catalog");

        Assert.Equal("accepted", Status(order));
        Assert.Equal("out_of_stock", (string)order["lines"]![0]!["rejectionReason"]!);
        Assert.Equal("accepted", (string)order["lines"]![1]!["status"]!);
        Assert.Equal(["1"], order["rejection"]!["lineRefs"]!.AsArray().Select(r => (string)r!));
        var available = catalog!["items"]!.AsArray().ToDictionary(i => (string)i!["sku"]!, i => (int)i!["available"]!);
        Assert.Equal(5, available["MUG-BLUE"]);
        Assert.Equal(0, available["MUG-RED"]);
    }

    [Fact]
    public async Task Order_StockKnobLowered_LaterOrderRejectedOutOfStock()
    {
        await using var sim = await TestSimulator.StartAsync();
        await sim.SetKnobsAsync(new { stock = 1 });
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 2));

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("rejected", Status(order));
        Assert.Equal("out_of_stock", (string)order["rejection"]!["reason"]!);
    }

    [Fact]
    public async Task Order_StockOutRateOne_RejectsEveryLineOutOfStock()
    {
        await using var sim = await TestSimulator.StartAsync();
        await sim.SetKnobsAsync(new { stockOutRate = 1 });
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1), ("MUG-RED", 1));

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("rejected", Status(order));
        Assert.All(order["lines"]!.AsArray(), l => Assert.Equal("out_of_stock", (string)l!["rejectionReason"]!));
    }

    [Fact]
    public async Task Order_ToUndeliverableCountry_WholeOrderRejectedUndeliverable()
    {
        await using var sim = await TestSimulator.StartAsync();
        await sim.SetKnobsAsync(new { undeliverableCountries = new[] { "IT" } });
        using var response = await sim.PostOrderAsync(TestSimulator.Order("OF-1", "IT", ("MUG-BLUE", 1), ("MUG-RED", 1)), "k1");
        var placed = await TestSimulator.ReadAsync(response);

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("rejected", Status(order));
        Assert.Equal("undeliverable", (string)order["rejection"]!["reason"]!);
        Assert.Equal(["1", "2"], order["rejection"]!["lineRefs"]!.AsArray().Select(r => (string)r!));
        Assert.All(order["lines"]!.AsArray(), l => Assert.Equal("undeliverable", (string)l!["rejectionReason"]!));
    }

    [Fact]
    public async Task Order_RejectRateOne_RejectedOther()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:RejectRate", "1"));
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        sim.Advance(2);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Equal("rejected", Status(order));
        Assert.Equal("other", (string)order["rejection"]!["reason"]!);
    }

    [Fact]
    public async Task Order_OverTime_GoesThroughEveryStatusToDeliveredWithStableEventIds()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1), ("TEE-BLACK-M", 1));
        var id = (string)placed["id"]!;
        var seen = new List<(string Order, string? Shipment)>();
        var eventIds = new List<string[]>();

        async Task Observe()
        {
            var order = await sim.GetOrderAsync(id);
            var shipment = order["shipments"]!.AsArray().SingleOrDefault();
            seen.Add((Status(order), (string?)shipment?["status"]));
            eventIds.Add(shipment?["events"]!.AsArray().Select(e => (string)e!["id"]!).ToArray() ?? []);
        }

        await Observe();
        sim.Advance(2);
        await Observe();
        sim.Advance(3);
        await Observe();
        sim.Advance(3.4);
        await Observe();
        sim.Advance(3.4);
        await Observe();
        sim.Advance(3.4);
        await Observe();
        await Observe();

        Assert.Equal(
            [
                ("pending", null), ("accepted", null), ("shipped", "InfoReceived"), ("shipped", "InTransit"),
                ("shipped", "OutForDelivery"), ("delivered", "Delivered"), ("delivered", "Delivered"),
            ],
            seen);
        Assert.Equal([0, 0, 1, 2, 3, 4, 4], eventIds.Select(e => e.Length));
        for (var i = 3; i < eventIds.Count; i++)
        {
            Assert.Equal(eventIds[i - 1], eventIds[i][..eventIds[i - 1].Length]);
        }

        Assert.Equal(4, eventIds[^1].Distinct().Count());
    }

    [Fact]
    public async Task Shipment_Delivered_HasCarrierTrackingAndEventsWithLocations()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        sim.Advance(2);
        sim.Advance(3 + 10);
        using var response = await sim.Supplier().GetAsync($"orders/{placed["id"]}/shipments");
        var shipment = Assert.Single((await TestSimulator.ReadAsync(response))["items"]!.AsArray())!;
        var events = shipment["events"]!.AsArray();

        Assert.StartsWith("shp-", (string)shipment["id"]!);
        Assert.Contains((string)shipment["carrier"]!, new[] { "DHL", "DPD", "UPS" });
        Assert.EndsWith("/track/" + (string)shipment["trackingNumber"]!, (string)shipment["trackingUrl"]!);
        Assert.Equal(["1"], shipment["lineRefs"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["InfoReceived", "InTransit", "OutForDelivery", "Delivered"], events.Select(e => (string)e!["status"]!));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty((string)e!["location"]!)));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty((string)e!["message"]!)));
        Assert.Equal("Berlin, DE", (string)events[^1]!["location"]!);
        Assert.Equal((DateTimeOffset)shipment["estimatedDelivery"]!, (DateTimeOffset)events[^1]!["occurredAt"]!);
        using var tracking = await sim.Http.GetAsync(new Uri((string)shipment["trackingUrl"]!).PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.OK, tracking.StatusCode);
    }

    [Fact]
    public async Task Order_SplitShipmentRateOne_ShipsTwoParcelsCoveringAllAcceptedLines()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:SplitShipmentRate", "1"));
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1), ("MUG-RED", 1), ("POSTER-A2", 1), ("CAP-GREEN", 1));

        sim.Advance(2);
        sim.Advance(3);
        var shipped = await sim.GetOrderAsync((string)placed["id"]!);
        sim.Advance(10);
        var delivered = await sim.GetOrderAsync((string)placed["id"]!);

        var shipments = shipped["shipments"]!.AsArray();
        Assert.Equal("shipped", Status(shipped));
        Assert.Equal(2, shipments.Count);
        var refs = shipments.SelectMany(s => s!["lineRefs"]!.AsArray().Select(r => (string)r!)).ToList();
        Assert.Equal(["1", "2", "3"], refs.Order());
        Assert.All(shipments, s => Assert.NotEmpty(s!["lineRefs"]!.AsArray()));
        Assert.NotEqual((string)shipments[0]!["id"]!, (string)shipments[1]!["id"]!);
        Assert.Equal("delivered", Status(delivered));
    }

    [Fact]
    public async Task Order_SingleAcceptedLineWithSplitRateOne_ShipsOneParcel()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:SplitShipmentRate", "1"));
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1), ("CAP-GREEN", 1));

        sim.Advance(2);
        sim.Advance(3);
        var order = await sim.GetOrderAsync((string)placed["id"]!);

        Assert.Single(order["shipments"]!.AsArray());
    }
}
