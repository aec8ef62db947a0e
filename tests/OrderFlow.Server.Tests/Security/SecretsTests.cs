using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Demo;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Server.Tests.Support;
using OrderFlow.SupplierSimulator;
using OrderFlow.Testing;
using Xunit.Abstractions;
using static OrderFlow.Server.Tests.Security.AttackKit;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Secrets at rest and in logs: a full order runs through the server and the simulator with every log event captured
/// (Serilog at Verbose, JSON with all properties); no secret value and no ops password appears in it, every stored secret
/// is encrypted, and no API answer returns a secret after its creation.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class SecretsTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string IntakeSecret = "whsec_c2VjcmV0cy10ZXN0LWludGFrZS1zZWNyZXQtMTIzNDU2Nzg=";
    private const string StorefrontSecret = "whsec_c2VjcmV0cy10ZXN0LXN0b3JlZnJvbnQtc2VjcmV0LTk4NzY1";
    private const string ShopifySecret = "shpss_shopify-given-secret-0123456789";
    private readonly string _log = Path.Combine(Path.GetTempPath(), "orderflow-secrets-" + Guid.NewGuid().ToString("N") + ".json");
    private WebApplication _simulator = null!;
    private ServerFactory _server = null!;

    public async Task InitializeAsync()
    {
        _simulator = SimulatorApp.Create(["--fast", "--Simulator:Seed=7"]);
        _simulator.Urls.Add("http://127.0.0.1:0");
        await _simulator.StartAsync();
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Demo:Enabled"] = "true",
            ["OrderFlow:Demo:SimulatorBaseUrl"] = _simulator.BaseAddress(),
            ["OrderFlow:Demo:IntakeSecret"] = IntakeSecret,
            ["OrderFlow:Demo:StorefrontSecret"] = StorefrontSecret,
            ["OrderFlow:Mail:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "orderflow-secrets-mail"),
            ["OrderFlow:Fulfillment:TrackingPollSeconds"] = "1",
            ["Serilog:Using:0"] = "Serilog.Sinks.File",
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Hangfire"] = "Verbose",
            ["Serilog:MinimumLevel:Override:System.Net.Http.HttpClient"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Polly"] = "Verbose",
            ["Serilog:WriteTo:0:Name"] = "File",
            ["Serilog:WriteTo:0:Args:path"] = _log,
            ["Serilog:WriteTo:0:Args:formatter"] = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact",
        });
        _ = _server.Server;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _simulator.DisposeAsync();
        File.Delete(_log);
    }

    [Fact]
    public async Task FullOrderWithEveryLogCaptured_NoSecretOrPasswordLoggedStoredOrReturned()
    {
        var admin = _server.ClientAs("admin");
        var secrets = new List<string> { IntakeSecret, StorefrontSecret, ShopifySecret, "sim-key-acme", "sim-key-globex", "sim-token-parcelhub", ServerFactory.AdminPassword, ServerFactory.ViewerPassword };

        var created = await admin.PostAsJsonAsync("/api/merchants", new { id = "secret-shop", name = "Secret shop" });
        secrets.Add((string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!);
        var rotated = await admin.PostAsJsonAsync("/api/merchants/secret-shop/secrets", new { secret = ShopifySecret, overlapHours = 1 });
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var subscribed = await admin.PostAsJsonAsync("/api/merchants/secret-shop/subscriptions", new { url = _simulator.BaseAddress() + "/storefront/secret-shop/webhooks" });
        secrets.Add((string)(await subscribed.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!);
        await _server.CreateClient().PostAsJsonAsync("/api/auth/login", new { name = "viewer", password = ServerFactory.ViewerPassword });
        await _server.CreateClient().PostAsJsonAsync("/api/auth/login", new { name = "admin", password = ServerFactory.AdminPassword + "x" });

        var order = await _server.CreateClient().SendAsync(Standard("/webhooks/demo-shop/orders", IntakeSecret, OrderJson("secret-order-1")));
        Assert.Equal(HttpStatusCode.Accepted, order.StatusCode);
        var orderId = (string)(await order.Content.ReadFromJsonAsync<JsonObject>())!["orderId"]!;
        var shopify = await _server.CreateClient().SendAsync(BodySigned("/webhooks/secret-shop/shopify/orders", "X-Shopify-Hmac-Sha256", ShopifySecret, ShopifyJson(77)));
        Assert.Equal(HttpStatusCode.Accepted, shopify.StatusCode);
        var status = "";
        for (var i = 0; i < 240 && status != "delivered"; i++)
        {
            await Task.Delay(500);
            status = (string)(await admin.GetFromJsonAsync<JsonObject>($"/api/orders/{orderId}"))!["status"]!;
        }

        Assert.Equal("delivered", status);

        var answers = string.Join("\n", await Task.WhenAll(
            admin.GetStringAsync("/api/merchants"),
            admin.GetStringAsync("/api/merchants/secret-shop/subscriptions"),
            admin.GetStringAsync("/api/merchants/demo-shop/subscriptions"),
            admin.GetStringAsync($"/api/orders/{orderId}"),
            admin.GetStringAsync("/api/events?after=0&limit=500")));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var stored = new List<string>();
        foreach (var (table, _, column, _) in SecretsAtRest.Columns)
        {
            await using var command = new Npgsql.NpgsqlCommand($"SELECT {column} FROM {table} WHERE {column} IS NOT NULL", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        await _server.DisposeAsync();
        var log = await File.ReadAllTextAsync(_log);
        var found = secrets.Where(s => log.Contains(s, StringComparison.Ordinal) || log.Contains(s[(s.IndexOf('_') + 1)..], StringComparison.Ordinal)).ToList();
        var returned = secrets.Where(s => answers.Contains(s, StringComparison.Ordinal)).ToList();
        var report = $"""
            Secrets: {secrets.Count} secret values and passwords looked for in {log.Split('\n').Length} captured log events ({log.Length / 1024} KiB, Verbose, full order to delivered)
              found in the logs: {found.Count}{(found.Count > 0 ? " <-- " + string.Join(", ", found.Select(f => f[..6] + "…")) : "")}
              found in API answers after creation: {returned.Count}
            {string.Join("\n", found.SelectMany(f => log.Split('\n').Where(l => l.Contains(f[(f.IndexOf('_') + 1)..], StringComparison.Ordinal)).Take(2)
                .Select(l => "    " + l.Replace(f, "<SECRET>")[..Math.Min(400, l.Length)])))}
              stored secret values: {stored.Count}, encrypted (enc:v1): {stored.Count(s => s.StartsWith(AesGcmSecretProtector.Prefix, StringComparison.Ordinal))}
            """;
        output.WriteLine(report);
        SecurityReport.Write("secrets", report);
        // The merchant's routes (created, rotated, subscribed, its orders read) must be in the capture, or it caught nothing.
        Assert.True(log.Length > 10_000 && log.Contains("secret-shop", StringComparison.Ordinal), "The log capture did not work.");
        Assert.Empty(found);
        Assert.Empty(returned);
        Assert.True(stored.Count >= 8, $"only {stored.Count} stored secrets");
        Assert.All(stored, s => Assert.StartsWith(AesGcmSecretProtector.Prefix, s));
        Assert.DoesNotContain("whsec_", answers);
    }

    [Fact]
    public async Task StartUpPass_PlainTextRows_EncryptedAndStillUsable()
    {
        const string plain = "whsec_cGxhaW4tdGV4dC1zZWNyZXQtZnJvbS1iZWZvcmUtMTIzNDU=";
        await using (var merchant = db.DataSource.CreateCommand("INSERT INTO fulfillment.merchants (id, name) VALUES ('legacy-shop', 'Legacy') ON CONFLICT DO NOTHING"))
        {
            await merchant.ExecuteNonQueryAsync();
        }

        await using (var insert = db.DataSource.CreateCommand(
            "INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at) VALUES (gen_random_uuid(), 'legacy-shop', $1, now())"))
        {
            insert.Parameters.Add(new() { Value = plain });
            await insert.ExecuteNonQueryAsync();
        }

        var rewritten = await _server.Services.GetRequiredService<SecretsAtRest>().EncryptAllAsync(CancellationToken.None);
        await using var read = db.DataSource.CreateCommand("SELECT secret FROM fulfillment.merchant_secrets WHERE merchant_id = 'legacy-shop'");
        var stored = (string)(await read.ExecuteScalarAsync())!;
        await Task.Delay(TimeSpan.FromSeconds(5.5)); // the merchant directory's cache
        var response = await _server.CreateClient().SendAsync(Standard("/webhooks/legacy-shop/orders", plain, OrderJson("legacy-1")));

        Assert.True(rewritten >= 1);
        Assert.StartsWith(AesGcmSecretProtector.Prefix, stored);
        Assert.DoesNotContain(plain[6..], stored);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
