using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>
/// The Standard Webhooks scheme: HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c> with the key in a <c>whsec_</c> secret,
/// sent as <c>webhook-signature: v1,&lt;base64&gt;</c> (several signatures space-separated during key rotation).
/// </summary>
public static class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a timestamp may be from now, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>A new random secret of 32 bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>True when <paramref name="secret"/> is <c>whsec_</c> and base64 of 24 to 64 bytes.</summary>
    public static bool IsValidSecret(string? secret) => TryDecodeKey(secret, out var key) && key.Length is >= 24 and <= 64;

    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        if (!TryDecodeKey(secret, out var key))
        {
            throw new ArgumentException("The secret is not a whsec_ secret.", nameof(secret));
        }

        return "v1," + Convert.ToBase64String(Compute(key, id, timestamp, body));
    }

    /// <summary>Verifies the headers against the body with any of the secrets (rotation overlap); constant-time comparison.</summary>
    public static WebhookVerification Verify(IEnumerable<string> secrets, string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return WebhookVerification.Fail("The webhook-id, webhook-timestamp and webhook-signature headers are required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerification.Fail("webhook-timestamp is not a Unix time in seconds.");
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - sent).Duration() > Tolerance)
        {
            return WebhookVerification.Fail("webhook-timestamp is more than 5 minutes away from the server's time.");
        }

        var candidates = new List<byte[]>();
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("v1,", StringComparison.Ordinal) && TryFromBase64(part.AsSpan(3), out var bytes))
            {
                candidates.Add(bytes);
            }
        }

        if (candidates.Count == 0)
        {
            return WebhookVerification.Fail("webhook-signature carries no v1 signature.");
        }

        var matched = false;
        foreach (var secret in secrets)
        {
            if (!TryDecodeKey(secret, out var key))
            {
                continue;
            }

            var expected = Compute(key, id, seconds, body);
            foreach (var candidate in candidates)
            {
                // Every comparison runs to the end: no early exit reveals which part matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched ? WebhookVerification.Valid : WebhookVerification.Fail("The signature does not match.");
    }

    private static byte[] Compute(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryDecodeKey(string? secret, out byte[] key)
    {
        key = [];
        return secret is not null && secret.StartsWith(SecretPrefix, StringComparison.Ordinal) && TryFromBase64(secret.AsSpan(SecretPrefix.Length), out key);
    }

    private static bool TryFromBase64(ReadOnlySpan<char> text, out byte[] bytes)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}

/// <summary>The result of verifying a signed webhook.</summary>
public sealed record WebhookVerification(bool IsValid, string? Problem)
{
    public static WebhookVerification Valid { get; } = new(true, null);

    public static WebhookVerification Fail(string problem) => new(false, problem);
}
