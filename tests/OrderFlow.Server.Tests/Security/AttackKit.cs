using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Server.Tests.Security;

/// <summary>What the attack matrices need: signed requests in every intake format, and row counts of every table intake can write.</summary>
public static class AttackKit
{
    public static string OrderJson(string orderId, int lines = 1, string extra = "") =>
        "{" + extra + $$"""
        "orderId":"{{orderId}}","currency":"EUR",
        "customer":{"name":"Ada Lovelace","email":"ada@example.com"},
        "shippingAddress":{"name":"Ada Lovelace","line1":"Hauptstrasse 1","city":"Berlin","postalCode":"10115","country":"DE"},
        "lines":[{{string.Join(",", Enumerable.Range(1, lines).Select(i => $$"""{"lineId":"{{i}}","sku":"MUG-BLUE","name":"Mug","quantity":1,"unitPrice":12.5}"""))}}]}
        """;

    public static string ShopifyJson(long id) => $$"""
        {"id":{{id}},"email":"ada@example.com","created_at":"2026-01-01T10:00:00+01:00","currency":"EUR",
         "customer":{"first_name":"Ada","last_name":"Lovelace"},
         "shipping_address":{"first_name":"Ada","last_name":"Lovelace","address1":"Hauptstrasse 1","city":"Berlin","zip":"10115","country_code":"DE"},
         "line_items":[{"id":1,"sku":"MUG-BLUE","name":"Mug","quantity":1,"price":"12.50"}]}
        """;

    public static string WooJson(long id) => $$"""
        {"id":{{id}},"currency":"EUR","date_created_gmt":"2026-01-01T09:00:00",
         "billing":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"},
         "shipping":{"first_name":"Ada","last_name":"Lovelace","address_1":"Hauptstrasse 1","city":"Berlin","postcode":"10115","country":"DE"},
         "line_items":[{"id":1,"sku":"MUG-BLUE","name":"Mug","quantity":1,"price":12.5}]}
        """;

    /// <summary>A Standard Webhooks request; <paramref name="tamper"/> may change headers or body after signing.</summary>
    public static HttpRequestMessage Standard(string path, string secret, string body, string? id = null, DateTimeOffset? at = null,
        Action<Dictionary<string, string?>, byte[]>? tamper = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var headers = new Dictionary<string, string?>
        {
            [StandardWebhooks.IdHeader] = id,
            [StandardWebhooks.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture),
            [StandardWebhooks.SignatureHeader] = StandardWebhooks.Sign(secret, id, timestamp, bytes),
        };
        tamper?.Invoke(headers, bytes);
        return Request(path, bytes, headers);
    }

    /// <summary>A body-HMAC request (Shopify, WooCommerce, AfterShip): base64 HMAC-SHA256 of the raw body in <paramref name="header"/>.</summary>
    public static HttpRequestMessage BodySigned(string path, string header, string secret, string body, Dictionary<string, string?>? more = null,
        Action<Dictionary<string, string?>, byte[]>? tamper = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string?>(more ?? []) { [header] = BodyHmac(secret, bytes) };
        tamper?.Invoke(headers, bytes);
        return Request(path, bytes, headers);
    }

    public static string BodyHmac(string secret, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static HttpRequestMessage Request(string path, byte[] body, Dictionary<string, string?> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>
    /// Rows of what a webhook can create: orders and their lines, intake and carrier dedupe records, received events,
    /// parcels, checkpoints and workflow instances. (Workflows of accepted orders keep writing journals and events in the
    /// background; those tables are left out so that the counts move only when a request wrote something.)
    /// </summary>
    /// <summary>
    /// Waits until every acknowledged order is stored: intake answers 202 once an order is durable in the inbox, and the
    /// materializer stores it moments later.
    /// </summary>
    public static async Task InboxDrainedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM fulfillment.intake_events WHERE payload IS NOT NULL", connection);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((long)(await command.ExecuteScalarAsync())! > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Acknowledged orders were not stored within 15 s.");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<Dictionary<string, long>> CountRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT 'fulfillment.orders', count(*) FROM fulfillment.orders
            UNION ALL SELECT 'fulfillment.order_lines', count(*) FROM fulfillment.order_lines
            UNION ALL SELECT 'fulfillment.intake_events', count(*) FROM fulfillment.intake_events
            UNION ALL SELECT 'fulfillment.order_events(order.received)', count(*) FROM fulfillment.order_events WHERE type = 'order.received'
            UNION ALL SELECT 'fulfillment.carrier_webhook_events', count(*) FROM fulfillment.carrier_webhook_events
            UNION ALL SELECT 'fulfillment.parcels', count(*) FROM fulfillment.parcels
            UNION ALL SELECT 'fulfillment.tracking_events', count(*) FROM fulfillment.tracking_events
            UNION ALL SELECT 'fulfillment.merchant_secrets', count(*) FROM fulfillment.merchant_secrets
            UNION ALL SELECT 'engine.workflow_instances', count(*) FROM engine.workflow_instances
            """, connection);
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>"orders +1, order_lines +1" or "" when nothing changed.</summary>
    public static string Diff(Dictionary<string, long> before, Dictionary<string, long> after) =>
        string.Join(", ", after.Where(kv => before.GetValueOrDefault(kv.Key) != kv.Value)
            .Select(kv => $"{kv.Key} {kv.Value - before.GetValueOrDefault(kv.Key):+#;-#}"));
}
