using System.Security.Cryptography;
using System.Text;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Intake.Formats;

/// <summary>The Shopify/WooCommerce scheme: base64 HMAC-SHA256 of the raw body with the shared secret's UTF-8 bytes.</summary>
internal static class BodyHmac
{
    public static WebhookVerification Verify(IReadOnlyList<string> secrets, string? header, ReadOnlySpan<byte> body, string headerName)
    {
        if (string.IsNullOrEmpty(header))
        {
            return WebhookVerification.Fail($"The {headerName} header is required.");
        }

        var candidate = new byte[header.Length];
        if (!Convert.TryFromBase64String(header.Trim(), candidate, out var written))
        {
            return WebhookVerification.Fail($"{headerName} is not base64.");
        }

        candidate = candidate[..written];
        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
            // Every secret is compared in full: timing does not reveal which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        }

        return matched ? WebhookVerification.Valid : WebhookVerification.Fail("The signature does not match.");
    }

    public static string Sign(string secret, ReadOnlySpan<byte> body) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
