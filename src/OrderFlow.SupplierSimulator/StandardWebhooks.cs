using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.SupplierSimulator;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): <c>webhook-signature: v1,&lt;base64 HMAC-SHA256&gt;</c> over
/// <c>"{id}.{timestamp}.{body}"</c>, keyed with the base64 secret after <c>whsec_</c>.
/// </summary>
public static class StandardWebhooks
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>How far a timestamp may be from now, either way, before the message counts as replayed.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <c>webhook-signature</c> header value, e.g. <c>v1,K5oZfz…=</c>.</summary>
    public static string Sign(string secret, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(Hash(secret, id, timestamp.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(body)));

    public static string Sign(string secret, string id, DateTimeOffset timestamp, string body) =>
        Sign(secret, id, timestamp.ToUnixTimeSeconds(), body);

    /// <summary>
    /// True when one of the space-separated <c>v1,…</c> signatures matches and the timestamp is within
    /// <see cref="Tolerance"/> of <paramref name="now"/> (default: the system clock).
    /// </summary>
    public static bool Verify(string secret, string? id, string? timestamp, string body, string? signature, DateTimeOffset? now = null) =>
        Verify(secret, id, timestamp, Encoding.UTF8.GetBytes(body), signature, now ?? TimeProvider.System.GetUtcNow());

    /// <summary>As <see cref="Verify(string, string?, string?, string, string?, DateTimeOffset?)"/> over the raw body bytes.</summary>
    public static bool Verify(string secret, string? id, string? timestamp, byte[] body, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253402300799)
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        byte[] expected;
        try
        {
            expected = Hash(secret, id, timestamp!, body);
        }
        catch (FormatException)
        {
            return false;
        }

        var valid = false;
        foreach (var candidate in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!candidate.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }

            var given = new byte[expected.Length + 1];
            if (Convert.TryFromBase64String(candidate[3..], given, out var written) && written == expected.Length)
            {
                valid |= CryptographicOperations.FixedTimeEquals(given.AsSpan(0, written), expected);
            }
        }

        return valid;
    }

    private static byte[] Hash(string secret, string id, string timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content, prefix.Length);
        return HMACSHA256.HashData(key, content);
    }
}
