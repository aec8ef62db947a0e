using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>Talks to the simulator's parcelhub flavour the way its clients would: bearer token, snake_case bodies, X-Request-Id.</summary>
internal sealed class ParcelhubClient : IDisposable
{
    public const string Token = "sim-token-parcelhub";

    public ParcelhubClient(TestSimulator sim, string? token = Token)
    {
        Http = new HttpClient { BaseAddress = new Uri($"{sim.BaseAddress}/v2/parcelhub/") };
        if (token is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Http { get; }

    public static JsonObject Order(string reference, string country = "DE", params (string Sku, int Qty)[] items) => new()
    {
        ["client_reference"] = reference,
        ["currency"] = "EUR",
        ["recipient"] = new JsonObject
        {
            ["full_name"] = "Ada Lovelace", ["address_lines"] = new JsonArray("Hauptstraße 1", "Hinterhaus"), ["town"] = "Berlin",
            ["postcode"] = "10115", ["state"] = null, ["country_code"] = country, ["email"] = "ada@example.com", ["phone"] = null,
        },
        ["items"] = new JsonArray(items.Select((item, i) => (JsonNode)new JsonObject
        {
            ["item_ref"] = (i + 1).ToString(), ["sku"] = item.Sku, ["qty"] = item.Qty,
        }).ToArray()),
    };

    public async Task<HttpResponseMessage> PostAsync(JsonObject order, string? requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "purchase_orders") { Content = JsonContent.Create(order) };
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Places a purchase order that must be created (201) and returns it.</summary>
    public async Task<JsonObject> PlaceAsync(string reference, string country = "DE", params (string Sku, int Qty)[] items)
    {
        using var response = await PostAsync(Order(reference, country, items), $"req-{reference}");
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await TestSimulator.ReadAsync(response);
    }

    public async Task<JsonObject> GetAsync(string id)
    {
        using var response = await Http.GetAsync($"purchase_orders/{id}");
        response.EnsureSuccessStatusCode();
        return await TestSimulator.ReadAsync(response);
    }

    public void Dispose() => Http.Dispose();
}
