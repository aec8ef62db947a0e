using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator.Storefront;

/// <summary>A merchant's storefront receiving OrderFlow's status webhooks, and an inbox tests can read.</summary>
internal static class StorefrontApi
{
    public static void MapStorefrontApi(this WebApplication app)
    {
        app.MapPost("/storefront/{merchantId}/webhooks", ReceiveAsync);
        app.MapGet("/storefront/{merchantId}/webhooks", (string merchantId, string? orderId, StorefrontInbox inbox) =>
            Results.Ok(new { items = inbox.List(merchantId, orderId) }));
    }

    private static async Task<IResult> ReceiveAsync(
        string merchantId, HttpContext http, StorefrontInbox inbox, IOptions<SimulatorOptions> options, KnobStore knobs,
        RandomSource random, TimeProvider time, ILogger<StorefrontInbox> log)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var headers = http.Request.Headers;
        string? id = headers[StandardWebhooks.IdHeader], timestamp = headers[StandardWebhooks.TimestampHeader];
        var now = time.GetUtcNow();
        var valid = StandardWebhooks.Verify(options.Value.SecretFor(merchantId), id, timestamp, body,
            headers[StandardWebhooks.SignatureHeader], now);
        var status = !valid ? StatusCodes.Status401Unauthorized
            : random.Chance(knobs.Current.StorefrontFailureRate) ? StatusCodes.Status500InternalServerError
            : StatusCodes.Status204NoContent;

        var (json, type, orderId, sequence) = Parse(body);
        inbox.Add(merchantId, new WebhookDelivery(now, id, timestamp, valid, type, orderId, sequence, json, status));
        log.LogInformation("Storefront {MerchantId} got {Type} for {OrderId} (sequence {Sequence}, webhook {WebhookId}): {Status}",
            merchantId, type, orderId, sequence, id, status);

        return status switch
        {
            StatusCodes.Status401Unauthorized => ApiResults.Problem(status, "Invalid signature",
                "The Standard Webhooks signature or timestamp did not verify."),
            StatusCodes.Status500InternalServerError => ApiResults.Problem(status, "Storefront failure",
                "Simulated failure (knob storefrontFailureRate)."),
            _ => Results.NoContent(),
        };
    }

    /// <summary>Reads type, data.orderId and data.sequence; anything missing or malformed is simply null.</summary>
    private static (JsonElement? Json, string? Type, string? OrderId, long? Sequence) Parse(byte[] body)
    {
        try
        {
            var json = JsonSerializer.Deserialize<JsonElement>(body);
            if (json.ValueKind != JsonValueKind.Object)
            {
                return (json, null, null, null);
            }

            string? type = json.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? orderId = null;
            long? sequence = null;
            if (json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                orderId = data.TryGetProperty("orderId", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
                sequence = data.TryGetProperty("sequence", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
            }

            return (json, type, orderId, sequence);
        }
        catch (JsonException)
        {
            return (null, null, null, null);
        }
    }
}
