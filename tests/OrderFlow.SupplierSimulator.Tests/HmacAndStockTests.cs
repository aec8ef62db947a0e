using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>An orderflow supplier account configured for HMAC-signed requests, and the live stock endpoint.</summary>
public sealed class HmacAndStockTests
{
    private const string Secret = "acme-hmac-secret-0123456789";
    private static readonly (string, string)[] HmacAccount =
        [("Simulator:Suppliers:acme:HmacKeyId", "acme-key"), ("Simulator:Suppliers:acme:HmacSecret", Secret)];

    private static HttpRequestMessage Signed(HttpMethod method, string pathAndQuery, string? body, long timestamp, string secret = Secret, string keyId = "acme-key")
    {
        var bytes = Encoding.UTF8.GetBytes(body ?? "");
        var canonical = $"v1\n{method.Method}\n{pathAndQuery}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToHexStringLower(SHA256.HashData(bytes))}";
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } };
        }

        request.Headers.Add("X-Key-Id", keyId);
        request.Headers.Add("X-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Signature", "v1=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical))));
        return request;
    }

    [Fact]
    public async Task SignedPlacement_RightSecret_Created()
    {
        await using var sim = await TestSimulator.StartAsync(HmacAccount);
        var body = TestSimulator.Order("H-1", "DE", ("MUG-BLUE", 1)).ToJsonString();
        using var request = Signed(HttpMethod.Post, "/suppliers/acme/orders", body, sim.Time.GetUtcNow().ToUnixTimeSeconds());
        request.Headers.Add("Idempotency-Key", "H-1");

        using var response = await sim.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task SignedQuery_SignatureCoversQueryString_Ok()
    {
        await using var sim = await TestSimulator.StartAsync(HmacAccount);

        using var response = await sim.Http.SendAsync(Signed(HttpMethod.Get, "/suppliers/acme/orders?reference=H-9", null, sim.Time.GetUtcNow().ToUnixTimeSeconds()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string> Tampering => ["wrong secret", "body changed", "stale timestamp", "unknown key", "api key only"];

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task SignedPlacement_Tampered_401AndNothingPlaced(string tampering)
    {
        await using var sim = await TestSimulator.StartAsync(HmacAccount);
        var body = TestSimulator.Order("H-2", "DE", ("MUG-BLUE", 1)).ToJsonString();
        var now = sim.Time.GetUtcNow().ToUnixTimeSeconds();
        using var request = tampering switch
        {
            "wrong secret" => Signed(HttpMethod.Post, "/suppliers/acme/orders", body, now, secret: "another-secret-0123456789"),
            "stale timestamp" => Signed(HttpMethod.Post, "/suppliers/acme/orders", body, now - 600),
            "unknown key" => Signed(HttpMethod.Post, "/suppliers/acme/orders", body, now, keyId: "other-key"),
            _ => Signed(HttpMethod.Post, "/suppliers/acme/orders", body, now),
        };
        if (tampering == "body changed")
        {
            request.Content = new StringContent(body.Replace("\"quantity\":1", "\"quantity\":9"), Encoding.UTF8, "application/json");
        }

        if (tampering == "api key only")
        {
            request.Headers.Remove("X-Signature");
            request.Headers.Add("X-Api-Key", "sim-key-acme");
        }

        request.Headers.Add("Idempotency-Key", "H-2");

        using var response = await sim.Http.SendAsync(request);
        var ledger = await sim.Http.GetFromJsonAsync<JsonObject>("/admin/ledger");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(ledger!["placements"]!.AsArray());
    }

    [Fact]
    public async Task Stock_AfterAdminSetsOneItem_ReportsLiveLevelsAndLeavesUnlistedOut()
    {
        await using var sim = await TestSimulator.StartAsync(("Simulator:Stock", "40"));
        using var set = await sim.Http.PutAsJsonAsync("/admin/stock/acme/MUG-BLUE", new { available = 3 });

        using var response = await sim.Supplier("acme").PostAsJsonAsync("stock", new { skus = new[] { "MUG-BLUE", "MUG-RED", "CAP-GREEN" } });
        var items = (await TestSimulator.ReadAsync(response))["items"]!.AsArray();

        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["MUG-BLUE:3", "MUG-RED:40"], items.Select(i => $"{i!["sku"]}:{i["available"]}"));
    }

    [Fact]
    public async Task Stock_WithoutSkus_400NamingSkus()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Supplier("acme").PostAsJsonAsync("stock", new { });
        var problem = await TestSimulator.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem["errors"]!["skus"]);
    }

    [Fact]
    public async Task AdminStock_UnlistedItem_404()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Http.PutAsJsonAsync("/admin/stock/acme/CAP-GREEN", new { available = 3 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
