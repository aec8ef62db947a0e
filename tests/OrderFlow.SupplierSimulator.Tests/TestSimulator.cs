using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>The real simulator on a free port with a fake clock, and helpers to talk to it over HTTP.</summary>
public sealed class TestSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<(string, string), HttpClient> _clients = [];

    private TestSimulator(WebApplication app, WatchedTimeProvider time)
    {
        _app = app;
        Time = time;
        Http = new HttpClient { BaseAddress = new Uri(app.BaseAddress()) };
    }

    public WatchedTimeProvider Time { get; }

    /// <summary>No API key: for the admin and storefront endpoints and for auth tests.</summary>
    public HttpClient Http { get; }

    public string BaseAddress => Http.BaseAddress!.ToString().TrimEnd('/');

    /// <summary>Starts the simulator with a fixed seed and no split shipments unless <paramref name="settings"/> say otherwise.</summary>
    public static async Task<TestSimulator> StartAsync(params (string Key, string Value)[] settings)
    {
        var time = new WatchedTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var app = SimulatorApp.Create([], b =>
        {
            b.Configuration["Simulator:Seed"] = "7";
            b.Configuration["Simulator:Knobs:SplitShipmentRate"] = "0";
            b.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
            foreach (var (key, value) in settings)
            {
                b.Configuration[key] = value;
            }

            b.Services.AddSingleton<TimeProvider>(time);
        });
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        return new TestSimulator(app, time);
    }

    public HttpClient Supplier(string supplierId = "acme", string? apiKey = null)
    {
        var key = apiKey ?? $"sim-key-{supplierId}";
        if (!_clients.TryGetValue((supplierId, key), out var client))
        {
            client = new HttpClient { BaseAddress = new Uri($"{BaseAddress}/suppliers/{supplierId}/") };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            _clients[(supplierId, key)] = client;
        }

        return client;
    }

    public static JsonObject Order(string reference, string country = "DE", params (string Sku, int Quantity)[] lines) => new()
    {
        ["reference"] = reference,
        ["currency"] = "EUR",
        ["shipTo"] = new JsonObject
        {
            ["name"] = "Ada Lovelace", ["line1"] = "Hauptstraße 1", ["line2"] = null, ["city"] = "Berlin", ["postalCode"] = "10115",
            ["region"] = null, ["country"] = country, ["email"] = "ada@example.com", ["phone"] = null,
        },
        ["lines"] = new JsonArray(lines.Select((l, i) => (JsonNode)new JsonObject
        {
            ["lineRef"] = (i + 1).ToString(), ["sku"] = l.Sku, ["quantity"] = l.Quantity,
        }).ToArray()),
    };

    public async Task<HttpResponseMessage> PostOrderAsync(JsonObject order, string? idempotencyKey, string supplierId = "acme")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(order) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Supplier(supplierId).SendAsync(request);
    }

    /// <summary>Places an order that must be created (201) and returns it.</summary>
    public async Task<JsonObject> PlaceAsync(string reference, params (string Sku, int Quantity)[] lines)
    {
        using var response = await PostOrderAsync(Order(reference, "DE", lines), $"key-{reference}");
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await ReadAsync(response);
    }

    public async Task<JsonObject> GetOrderAsync(string orderId, string supplierId = "acme")
    {
        using var response = await Supplier(supplierId).GetAsync($"orders/{orderId}");
        response.EnsureSuccessStatusCode();
        return await ReadAsync(response);
    }

    public async Task SetKnobsAsync(object knobs)
    {
        using var response = await Http.PutAsJsonAsync("/admin/knobs", knobs);
        response.EnsureSuccessStatusCode();
    }

    public void Advance(double seconds) => Time.Advance(TimeSpan.FromSeconds(seconds));

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
