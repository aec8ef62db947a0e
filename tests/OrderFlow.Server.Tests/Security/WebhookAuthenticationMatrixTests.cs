using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using Xunit.Abstractions;
using static OrderFlow.Server.Tests.Security.AttackKit;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Every signed entry point (Standard Webhooks single and batch, Shopify, WooCommerce, supplier callbacks, AfterShip) against
/// forged, altered, stale, cross-tenant, incomplete and replayed requests: each is refused (401, or for a replay the
/// documented duplicate answer) and no row of any table changes. A valid request per format proves the matrix can fail.
/// </summary>
public sealed class WebhookAuthenticationMatrixTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string AfterShipSecret = "aftership-secret-for-the-matrix";
    private const string SupplierSecretA = "whsec_c3VwcGxpZXItYS1jYWxsYmFjay1zZWNyZXQtMTIzNDU2";
    private const string SupplierSecretB = "whsec_c3VwcGxpZXItYi1jYWxsYmFjay1zZWNyZXQtNjU0MzIx";
    private ServerFactory _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?> { ["OrderFlow:CarrierWebhooks:AfterShipSecret"] = AfterShipSecret });
        _ = _server.Server;
        var protector = _server.Services.GetRequiredService<ISecretProtector>();
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO fulfillment.suppliers (id, name, base_url, api_key, callback_secret) VALUES
                ('sup-a', 'A', 'http://127.0.0.1:1/a', $1, $2), ('sup-b', 'B', 'http://127.0.0.1:1/b', $1, $3)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new() { Value = protector.Protect("key", SecretPurposes.SupplierApiKey) });
        command.Parameters.Add(new() { Value = protector.Protect(SupplierSecretA, SecretPurposes.SupplierCallbackSecret) });
        command.Parameters.Add(new() { Value = protector.Protect(SupplierSecretB, SecretPurposes.SupplierCallbackSecret) });
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SignedEndpoints_EveryNegativeCase_RefusedAndNothingWritten()
    {
        var (shopA, secretA) = await NewMerchantAsync("matrix-a");
        var (_, secretB) = await NewMerchantAsync("matrix-b");
        var client = _server.CreateClient();
        var rows = new List<Row>();

        async Task Check(string format, string attack, HttpRequestMessage request, HttpStatusCode expected, bool writes = false)
        {
            var before = await CountRowsAsync(db.ConnectionString);
            var response = await client.SendAsync(request);
            await InboxDrainedAsync(db.ConnectionString);
            var after = await CountRowsAsync(db.ConnectionString);
            var diff = Diff(before, after);
            rows.Add(new Row(format, attack, expected, response.StatusCode, diff, response.StatusCode == expected && (writes ? diff.Length > 0 : diff.Length == 0)));
        }

        var now = DateTimeOffset.UtcNow;
        var stale = now.AddMinutes(-5).AddSeconds(-30);
        var future = now.AddMinutes(5).AddSeconds(30);

        // Standard Webhooks, single order and batch, to /webhooks/{merchant}/...
        foreach (var (format, path, body) in new[]
                 {
                     ("standard", $"/webhooks/{shopA}/orders", (Func<string, string>)(id => OrderJson(id))),
                     ("standard batch", $"/webhooks/{shopA}/orders/batch", id => "{\"orders\":[" + OrderJson(id) + "]}"),
                 })
        {
            var order = "std-" + Guid.NewGuid().ToString("N")[..8];
            await Check(format, "bad signature", Standard(path, secretA, body(order), tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = "v1," + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), HttpStatusCode.Unauthorized);
            await Check(format, "one body byte changed", Standard(path, secretA, body(order), tamper: (_, b) => b[b.Length / 2] ^= 0x01), HttpStatusCode.Unauthorized);
            await Check(format, "timestamp 5.5 min old", Standard(path, secretA, body(order), at: stale), HttpStatusCode.Unauthorized);
            await Check(format, "timestamp 5.5 min ahead", Standard(path, secretA, body(order), at: future), HttpStatusCode.Unauthorized);
            await Check(format, "another merchant's secret", Standard(path, secretB, body(order)), HttpStatusCode.Unauthorized);
            await Check(format, "unknown merchant", Standard(path.Replace(shopA, "no-such-shop"), secretA, body(order)), HttpStatusCode.Unauthorized);
            foreach (var header in new[] { StandardWebhooks.IdHeader, StandardWebhooks.TimestampHeader, StandardWebhooks.SignatureHeader })
            {
                await Check(format, $"missing {header}", Standard(path, secretA, body(order), tamper: (h, _) => h.Remove(header)), HttpStatusCode.Unauthorized);
            }

            await Check(format, "prefix v1a", Standard(path, secretA, body(order), tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = "v1a," + h[StandardWebhooks.SignatureHeader]![3..]), HttpStatusCode.Unauthorized);
            await Check(format, "prefix v2", Standard(path, secretA, body(order), tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = "v2," + h[StandardWebhooks.SignatureHeader]![3..]), HttpStatusCode.Unauthorized);
            await Check(format, "signature without prefix", Standard(path, secretA, body(order), tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = h[StandardWebhooks.SignatureHeader]![3..]), HttpStatusCode.Unauthorized);
            await Check(format, "id changed after signing", Standard(path, secretA, body(order), tamper: (h, _) => h[StandardWebhooks.IdHeader] += "x"), HttpStatusCode.Unauthorized);
            await Check(format, "timestamp changed after signing", Standard(path, secretA, body(order), tamper: (h, _) => h[StandardWebhooks.TimestampHeader] = (long.Parse(h[StandardWebhooks.TimestampHeader]!) - 1).ToString()), HttpStatusCode.Unauthorized);

            var id = "msg_" + Guid.NewGuid().ToString("N");
            await Check(format, "valid (control)", Standard(path, secretA, body(order), id), format == "standard" ? HttpStatusCode.Accepted : HttpStatusCode.OK, writes: true);
            await Check(format, "replayed webhook-id, same body", Standard(path, secretA, body(order), id), HttpStatusCode.OK);
            if (format == "standard")
            {
                await Check(format, "replayed webhook-id, new order in body", Standard(path, secretA, body(order + "-other"), id), HttpStatusCode.OK);
            }
        }

        // Shopify and WooCommerce: base64 HMAC-SHA256 of the raw body, no timestamp; dedupe on the delivery id and the order id.
        foreach (var (format, path, header, idHeader, json) in new[]
                 {
                     ("shopify", $"/webhooks/{shopA}/shopify/orders", "X-Shopify-Hmac-Sha256", "X-Shopify-Event-Id", (Func<long, string>)ShopifyJson),
                     ("woocommerce", $"/webhooks/{shopA}/woocommerce/orders", "X-WC-Webhook-Signature", "X-WC-Webhook-Delivery-ID", WooJson),
                 })
        {
            var orderNumber = Random.Shared.NextInt64(1_000_000, 9_000_000);
            var body = json(orderNumber);
            Dictionary<string, string?> Delivery() => new() { [idHeader] = Guid.NewGuid().ToString() };
            await Check(format, "bad signature", BodySigned(path, header, secretA, body, Delivery(), (h, _) => h[header] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), HttpStatusCode.Unauthorized);
            await Check(format, "one body byte changed", BodySigned(path, header, secretA, body, Delivery(), (_, b) => b[b.Length / 2] ^= 0x01), HttpStatusCode.Unauthorized);
            await Check(format, "another merchant's secret", BodySigned(path, header, secretB, body, Delivery()), HttpStatusCode.Unauthorized);
            await Check(format, "unknown merchant", BodySigned(path.Replace(shopA, "no-such-shop"), header, secretA, body, Delivery()), HttpStatusCode.Unauthorized);
            await Check(format, $"missing {header}", BodySigned(path, header, secretA, body, Delivery(), (h, _) => h.Remove(header)), HttpStatusCode.Unauthorized);
            await Check(format, "hex instead of base64", BodySigned(path, header, secretA, body, Delivery(), (h, b) => h[header] = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretA), b))), HttpStatusCode.Unauthorized);
            await Check(format, "HMAC-SHA1 instead of SHA-256", BodySigned(path, header, secretA, body, Delivery(), (h, b) => h[header] = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretA), b))), HttpStatusCode.Unauthorized);
            await Check(format, "prefix sha256=", BodySigned(path, header, secretA, body, Delivery(), (h, _) => h[header] = "sha256=" + h[header]), HttpStatusCode.Unauthorized);
            var delivery = Delivery();
            await Check(format, "valid (control)", BodySigned(path, header, secretA, body, delivery), HttpStatusCode.Accepted, writes: true);
            await Check(format, "replayed delivery", BodySigned(path, header, secretA, body, delivery), HttpStatusCode.OK);
            await Check(format, "same order, new delivery id", BodySigned(path, header, secretA, body, Delivery()), HttpStatusCode.OK);
        }

        // Supplier callbacks: Standard Webhooks with the supplier's callback secret. The body only names an order, so a valid
        // callback for an order we do not track is 404 and writes nothing; a replay is the same harmless re-read.
        {
            const string format = "supplier callback";
            const string path = "/webhooks/suppliers/sup-a/events";
            const string body = "{\"supplierOrderId\":\"not-ours\"}";
            await Check(format, "bad signature", Standard(path, SupplierSecretA, body, tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = "v1," + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), HttpStatusCode.Unauthorized);
            await Check(format, "one body byte changed", Standard(path, SupplierSecretA, body, tamper: (_, b) => b[b.Length / 2] ^= 0x01), HttpStatusCode.Unauthorized);
            await Check(format, "timestamp 5.5 min old", Standard(path, SupplierSecretA, body, at: stale), HttpStatusCode.Unauthorized);
            await Check(format, "timestamp 5.5 min ahead", Standard(path, SupplierSecretA, body, at: future), HttpStatusCode.Unauthorized);
            await Check(format, "another supplier's secret", Standard(path, SupplierSecretB, body), HttpStatusCode.Unauthorized);
            await Check(format, "a merchant's secret", Standard(path, secretA, body), HttpStatusCode.Unauthorized);
            await Check(format, "unknown supplier", Standard("/webhooks/suppliers/nobody/events", SupplierSecretA, body), HttpStatusCode.Unauthorized);
            foreach (var header in new[] { StandardWebhooks.IdHeader, StandardWebhooks.TimestampHeader, StandardWebhooks.SignatureHeader })
            {
                await Check(format, $"missing {header}", Standard(path, SupplierSecretA, body, tamper: (h, _) => h.Remove(header)), HttpStatusCode.Unauthorized);
            }

            await Check(format, "prefix v1a", Standard(path, SupplierSecretA, body, tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = "v1a," + h[StandardWebhooks.SignatureHeader]![3..]), HttpStatusCode.Unauthorized);
            await Check(format, "prefix v2", Standard(path, SupplierSecretA, body, tamper: (h, _) => h[StandardWebhooks.SignatureHeader] = "v2," + h[StandardWebhooks.SignatureHeader]![3..]), HttpStatusCode.Unauthorized);
            var id = "msg_" + Guid.NewGuid().ToString("N");
            await Check(format, "valid (control), order not ours", Standard(path, SupplierSecretA, body, id), HttpStatusCode.NotFound);
            await Check(format, "replayed webhook-id", Standard(path, SupplierSecretA, body, id), HttpStatusCode.NotFound);
        }

        // AfterShip: base64 HMAC-SHA256 of the raw body with the configured secret; dedupe on event_id.
        {
            const string format = "aftership";
            const string path = "/webhooks/carriers/aftership";
            const string header = "aftership-hmac-sha256";
            var body = $$$"""{"event":"tracking_update","event_id":"{{{Guid.NewGuid()}}}","msg":{"tracking_number":"NOT-OURS-1","tag":"InTransit","checkpoints":[]}}""";
            await Check(format, "bad signature", BodySigned(path, header, AfterShipSecret, body, tamper: (h, _) => h[header] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), HttpStatusCode.Unauthorized);
            await Check(format, "one body byte changed", BodySigned(path, header, AfterShipSecret, body, tamper: (_, b) => b[b.Length / 2] ^= 0x01), HttpStatusCode.Unauthorized);
            await Check(format, "a merchant's secret", BodySigned(path, header, secretA, body), HttpStatusCode.Unauthorized);
            await Check(format, $"missing {header}", BodySigned(path, header, AfterShipSecret, body, tamper: (h, _) => h.Remove(header)), HttpStatusCode.Unauthorized);
            await Check(format, "hex instead of base64", BodySigned(path, header, AfterShipSecret, body, tamper: (h, b) => h[header] = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AfterShipSecret), b))), HttpStatusCode.Unauthorized);
            await Check(format, "HMAC-SHA1 instead of SHA-256", BodySigned(path, header, AfterShipSecret, body, tamper: (h, b) => h[header] = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AfterShipSecret), b))), HttpStatusCode.Unauthorized);
            await Check(format, "valid (control)", BodySigned(path, header, AfterShipSecret, body), HttpStatusCode.OK, writes: true);
            await Check(format, "replayed event_id", BodySigned(path, header, AfterShipSecret, body), HttpStatusCode.OK);
        }

        var report = Render("Webhook authentication matrix", rows);
        output.WriteLine(report);
        SecurityReport.Write("webhook-authentication-matrix", report);
        Assert.True(rows.All(r => r.Ok), report);
    }

    [Fact]
    public async Task Rotation_DuringOverlap_BothSecretsWorkThenOnlyTheNewOne()
    {
        var (shop, oldSecret) = await NewMerchantAsync("rotating");
        var admin = _server.ClientAs("admin");
        var client = _server.CreateClient();
        var path = $"/webhooks/{shop}/orders";

        var rotated = await admin.PostAsJsonAsync($"/api/merchants/{shop}/secrets", new { overlapHours = 2.0 / 3600 });
        var newSecret = (string)(await rotated.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!;
        var oldDuringOverlap = await client.SendAsync(Standard(path, oldSecret, OrderJson("rot-1")));
        var newDuringOverlap = await client.SendAsync(Standard(path, newSecret, OrderJson("rot-2")));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var before = await CountRowsAsync(db.ConnectionString);
        var oldAfter = await client.SendAsync(Standard(path, oldSecret, OrderJson("rot-3")));
        var unchanged = Diff(before, await CountRowsAsync(db.ConnectionString));
        var newAfter = await client.SendAsync(Standard(path, newSecret, OrderJson("rot-4")));

        var report = $"""
            Secret rotation (overlap 2 s)
              old secret during overlap   {(int)oldDuringOverlap.StatusCode}
              new secret during overlap   {(int)newDuringOverlap.StatusCode}
              old secret after overlap    {(int)oldAfter.StatusCode} (rows changed: {(unchanged.Length == 0 ? "none" : unchanged)})
              new secret after overlap    {(int)newAfter.StatusCode}
            """;
        output.WriteLine(report);
        SecurityReport.Write("webhook-secret-rotation", report);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, oldDuringOverlap.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, newDuringOverlap.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAfter.StatusCode);
        Assert.Equal("", unchanged);
        Assert.Equal(HttpStatusCode.Accepted, newAfter.StatusCode);
    }

    private async Task<(string Id, string Secret)> NewMerchantAsync(string prefix)
    {
        var id = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var response = await _server.ClientAs("admin").PostAsJsonAsync("/api/merchants", new { id, name = prefix });
        response.EnsureSuccessStatusCode();
        return (id, (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!);
    }

    private static string Render(string title, IReadOnlyList<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine($"{title}: {rows.Count} cases, {rows.Count(r => !r.Ok)} deviations");
        text.AppendLine($"  {"format",-18} {"attack",-42} {"want",4} {"got",4}  rows changed");
        foreach (var r in rows)
        {
            text.AppendLine($"  {r.Format,-18} {r.Attack,-42} {(int)r.Expected,4} {(int)r.Actual,4}  {(r.Diff.Length == 0 ? "none" : r.Diff)}{(r.Ok ? "" : "   <-- DEVIATION")}");
        }

        return text.ToString();
    }

    private sealed record Row(string Format, string Attack, HttpStatusCode Expected, HttpStatusCode Actual, string Diff, bool Ok);
}
