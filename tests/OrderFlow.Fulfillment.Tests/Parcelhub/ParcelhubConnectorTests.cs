using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Suppliers.Parcelhub;
using OrderFlow.SupplierSimulator;
using Refit;

namespace OrderFlow.Fulfillment.Tests.Parcelhub;

/// <summary>The parcelhub-v2 connector against the real simulator (fake clock, no database): each ISupplierConnector promise.</summary>
public sealed class ParcelhubConnectorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private WebApplication _simulator = null!;
    private HttpClient _admin = null!;
    private ISupplierConnector _connector = null!;

    public async Task InitializeAsync()
    {
        _simulator = SimulatorApp.Create(["--Simulator:Seed=3", "--Simulator:Knobs:SplitShipmentRate=0", "--Serilog:MinimumLevel:Default=Warning"],
            b => b.Services.AddSingleton<TimeProvider>(_time));
        _simulator.Urls.Add("http://127.0.0.1:0");
        await _simulator.StartAsync();
        _admin = new HttpClient { BaseAddress = new Uri(_simulator.BaseAddress()) };
        var http = new HttpClient { BaseAddress = new Uri($"{_simulator.BaseAddress()}/v2/parcelhub/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sim-token-parcelhub");
        _connector = new ParcelhubProtocol(NullLogger<ParcelhubProtocol>.Instance)
            .Create(new Supplier { Id = "parcelhub", Protocol = ParcelhubProtocol.ProtocolName, AuthType = "bearer" }, http);
    }

    [Fact]
    public async Task GetCatalog_Parcelhub_EveryProductInMajorUnits()
    {
        var items = await _connector.GetCatalogAsync(default);

        Assert.Equal(5, items.Count);
        var lamp = items.Single(i => i.Sku == "LAMP-DESK");
        Assert.Equal(24.00m, lamp.UnitPrice);
        Assert.Equal(4.50m, lamp.ShippingPrice);
        Assert.Equal("EUR", lamp.Currency);
        Assert.Equal("Desk lamp", lamp.Name);
    }

    [Fact]
    public async Task Place_SameKeyTwice_OneOrderAtTheSupplier()
    {
        var first = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "OF-1", default);
        var second = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "OF-1", default);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("pending", first.Status);
        Assert.Equal("OF-1", first.Reference);
        var placement = Assert.Single(await LedgerAsync());
        Assert.Equal(2, (int)placement!["requests"]!);
    }

    [Fact]
    public async Task Place_ReferenceAlreadyPlacedUnderOtherKey_RecoversExistingOrder()
    {
        var original = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "key-a", default);

        var recovered = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "key-b", default);

        Assert.Equal(original.Id, recovered.Id);
        Assert.Single(await LedgerAsync());
    }

    [Fact]
    public async Task Place_InvalidRequest_RefusedAsApiException4xx()
    {
        var request = Request("OF-1", ("LAMP-DESK", 1000));

        var e = await Assert.ThrowsAsync<ApiException>(() => _connector.PlaceAsync(request, "OF-1", default));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.StatusCode);
    }

    [Fact]
    public async Task FindByReference_KnownAndUnknown_OrderOrNull()
    {
        var placed = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "OF-1", default);

        var found = await _connector.FindByReferenceAsync("OF-1", default);
        var missing = await _connector.FindByReferenceAsync("OF-2", default);

        Assert.Equal(placed.Id, found?.Id);
        Assert.Null(missing);
    }

    [Fact]
    public async Task GetStatuses_MoreIdsThanOneQueryTakes_AllKnownOrdersReturned()
    {
        var placed = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            placed.Add((await _connector.PlaceAsync(Request($"OF-{i}", ("NOTEBOOK-A5", 1)), $"OF-{i}", default)).Id);
        }

        var ids = Enumerable.Range(1, 150).Select(i => $"parcelhub-9{i:D5}").Concat(placed).ToList();
        var statuses = await _connector.GetStatusesAsync(ids, default);

        Assert.Equal(placed.Order(), statuses.Select(s => s.Id).Order());
    }

    [Fact]
    public async Task GetStatuses_ClockPasses_StatesShipmentsAndEventsNormalized()
    {
        var placed = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1), ("TEE-BLACK-M", 1)), "OF-1", default);

        _time.Advance(TimeSpan.FromSeconds(2));
        var decided = (await _connector.GetStatusesAsync([placed.Id], default)).Single();
        _time.Advance(TimeSpan.FromSeconds(13));
        var delivered = (await _connector.GetStatusesAsync([placed.Id], default)).Single();

        Assert.Equal("accepted", decided.Status);
        Assert.Equal(["accepted", "rejected"], decided.Lines.Select(l => l.Status));
        Assert.Equal("ineligible_product", decided.Lines[1].RejectionReason);
        Assert.Equal("ineligible_product", decided.Rejection!.Reason);
        Assert.Equal("delivered", delivered.Status);
        var shipment = Assert.Single(delivered.Shipments!);
        Assert.Equal("Delivered", shipment.Status);
        Assert.Equal(["1"], shipment.LineRefs);
        Assert.Equal(["InfoReceived", "InTransit", "OutForDelivery", "Delivered"], shipment.Events!.Select(e => e.Status));
        Assert.False(string.IsNullOrEmpty(shipment.TrackingNumber));
    }

    [Fact]
    public async Task Cancel_PendingOrder_Cancelled()
    {
        var placed = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "OF-1", default);

        var cancelled = await _connector.CancelAsync(placed.Id, default);

        Assert.Equal("cancelled", cancelled.Status);
    }

    [Fact]
    public async Task Cancel_AlreadyShipped_ReturnsCurrentStateInsteadOfThrowing()
    {
        var placed = await _connector.PlaceAsync(Request("OF-1", ("LAMP-DESK", 1)), "OF-1", default);
        _time.Advance(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(3));

        var answer = await _connector.CancelAsync(placed.Id, default);

        Assert.Equal("shipped", answer.Status);
    }

    private static PlaceOrderRequest Request(string reference, params (string Sku, int Quantity)[] lines) => new(
        reference, "EUR",
        new ShipTo("Ada Lovelace", "Hauptstraße 1", "Hinterhaus", "Berlin", "10115", null, "DE", "ada@example.com", null),
        lines.Select((l, i) => new PlaceOrderLine($"{i + 1}", l.Sku, l.Quantity)).ToList());

    private async Task<JsonArray> LedgerAsync() => (await _admin.GetFromJsonAsync<JsonObject>("/admin/ledger"))!["placements"]!.AsArray();

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _simulator.DisposeAsync();
    }
}
