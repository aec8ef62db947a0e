using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class KnobsTests
{
    [Fact]
    public async Task Knobs_Defaults_MatchTheContract()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:SplitShipmentRate", "0.3"));

        var knobs = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/knobs");

        Assert.Equal(0, (int)knobs!["latencyMs"]!);
        Assert.Equal(0, (double)knobs["errorRate"]!);
        Assert.Equal(30, (double)knobs["stallSeconds"]!);
        Assert.Equal(2, (double)knobs["acceptDelaySeconds"]!);
        Assert.Equal(3, (double)knobs["shipDelaySeconds"]!);
        Assert.Equal(10, (double)knobs["transitSeconds"]!);
        Assert.Equal(0.3, (double)knobs["splitShipmentRate"]!);
        Assert.Empty(knobs["undeliverableCountries"]!.AsArray());
    }

    [Fact]
    public async Task Knobs_FastFlag_ShortensDelays()
    {
        await using var app = SimulatorApp.Create(["--fast", "--Serilog:MinimumLevel:Default=Warning"]);
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseAddress()) };

        var knobs = await http.GetFromJsonAsync<JsonObject>("/admin/knobs");

        Assert.Equal(0.2, (double)knobs!["acceptDelaySeconds"]!);
        Assert.Equal(0.5, (double)knobs["shipDelaySeconds"]!);
        Assert.Equal(2, (double)knobs["transitSeconds"]!);
        await app.StopAsync();
    }

    [Fact]
    public async Task PutKnobs_PartialJson_ChangesOnlyThoseFields()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Http.PutAsJsonAsync("/admin/knobs", new { errorRate = 0.25, undeliverableCountries = new[] { "FR" } });
        var knobs = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/knobs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0.25, (double)knobs!["errorRate"]!);
        Assert.Equal(["FR"], knobs["undeliverableCountries"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(2, (double)knobs["acceptDelaySeconds"]!);
    }

    [Theory]
    [InlineData("{\"errorRate\": 1.5}", "errorRate")]
    [InlineData("{\"transitSeconds\": -1}", "transitSeconds")]
    [InlineData("{\"noSuchKnob\": 1}", "noSuchKnob")]
    [InlineData("{\"latencyMs\": \"slow\"}", "latencyMs")]
    public async Task PutKnobs_InvalidValue_Returns400NamingTheKnobAndKeepsOldValues(string body, string field)
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Http.PutAsync("/admin/knobs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var knobs = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/knobs");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await TestSimulator.ReadAsync(response))["errors"]![field]);
        Assert.Equal(0, (double)knobs!["errorRate"]!);
        Assert.Equal(10, (double)knobs["transitSeconds"]!);
    }

    [Fact]
    public async Task SupplierCall_ErrorRateOne_Returns503AndStoresNothing()
    {
        await using var sim = await TestSimulator.StartAsync();
        await sim.SetKnobsAsync(new { errorRate = 1 });

        using var response = await sim.PostOrderAsync(TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1)), "k1");
        await sim.SetKnobsAsync(new { errorRate = 0 });
        var found = await sim.Supplier().GetFromJsonAsync<JsonObject>("orders?reference=OF-1");
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(found!["items"]!.AsArray());
        Assert.Empty(ledger!["placements"]!.AsArray());
    }

    [Fact]
    public async Task PlaceOrder_DropAfterCommitRateOne_ConnectionDroppedButOrderStoredAndFoundByReference()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:DropAfterCommitRate", "1"));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.PostOrderAsync(TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1)), "k1"));
        var found = await sim.Supplier().GetFromJsonAsync<JsonObject>("orders?reference=OF-1");
        using var retry = await sim.PostOrderAsync(TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1)), "k1");
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        var order = Assert.Single(found!["items"]!.AsArray())!;
        Assert.Equal("acme-000001", (string)order["id"]!);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var placement = Assert.Single(ledger!["placements"]!.AsArray())!;
        Assert.Equal(2, (int)placement["requests"]!);
    }

    [Fact]
    public async Task SupplierCall_StallRateOne_AnswersOnlyAfterStallSeconds()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:StallRate", "1"), ("Simulator:Knobs:StallSeconds", "30"));

        var call = sim.Supplier().GetAsync("catalog");
        await sim.Time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        sim.Advance(29.9);
        var answeredEarly = await Task.WhenAny(call, Task.Delay(200)) == call;
        sim.Advance(0.1);
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(answeredEarly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SupplierCall_Latency_DelaysTheAnswer()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Knobs:LatencyMs", "5000"));

        var call = sim.Supplier().GetAsync("catalog");
        await sim.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        sim.Advance(4.9);
        var answeredEarly = await Task.WhenAny(call, Task.Delay(200)) == call;
        sim.Advance(0.1);
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(answeredEarly);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ledger_SeveralPlacements_OneEntryPerOrderWithRequestCounts()
    {
        await using var sim = await TestSimulator.StartAsync();
        var order1 = TestSimulator.Order("OF-1", "DE", ("MUG-BLUE", 1));
        var order2 = TestSimulator.Order("OF-2", "DE", ("MUG-BLUE", 1));

        (await sim.PostOrderAsync(order1, "a")).Dispose();
        (await sim.PostOrderAsync(order1, "a")).Dispose();
        (await sim.PostOrderAsync(order1, "a")).Dispose();
        (await sim.PostOrderAsync(order2, "b")).Dispose();
        (await sim.PostOrderAsync(order2, "b", "globex")).Dispose();
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        var placements = ledger!["placements"]!.AsArray()
            .Select(p => ((string)p!["supplierId"]!, (string)p["orderId"]!, (string)p["reference"]!, (int)p["requests"]!));
        Assert.Equal([("acme", "acme-000001", "OF-1", 3), ("acme", "acme-000002", "OF-2", 1), ("globex", "globex-000001", "OF-2", 1)], placements);
    }

    [Fact]
    public async Task Reset_AfterOrders_ClearsOrdersLedgerAndRestoresStock()
    {
        await using var sim = await TestSimulator.StartAsync();
        var placed = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 10));
        sim.Advance(2);
        (await sim.GetOrderAsync((string)placed["id"]!)).ToString();

        using var reset = await sim.Http.PostAsync("/admin/reset", null);
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");
        using var gone = await sim.Supplier().GetAsync($"orders/{placed["id"]}");
        var catalog = await sim.Supplier().GetFromJsonAsync<JsonObject>("catalog");
        var again = await sim.PlaceAsync("OF-1", ("MUG-BLUE", 1));

        Assert.True(reset.IsSuccessStatusCode);
        Assert.Empty(ledger!["placements"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(1_000_000, (int)catalog!["items"]![0]!["available"]!);
        Assert.NotEqual((string)placed["id"]!, (string)again["id"]!);
    }
}
