using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// The "hmac" supplier credentials: every request carries <c>X-Key-Id</c>, <c>X-Timestamp</c> (Unix seconds) and
/// <c>X-Signature: v1=</c> base64 HMAC-SHA256, keyed with the secret's UTF-8 bytes, over the canonical string
/// <c>v1\n{METHOD}\n{path and query as sent}\n{timestamp}\n{lower-case hex SHA-256 of the body}</c> (the hash of
/// nothing when there is no body). The supplier recomputes it and refuses stale timestamps, so a captured request cannot
/// be replayed later nor its body changed. Credentials are stored as <c>keyId:secret</c>.
/// </summary>
public static class HmacRequestSigner
{
    public const string KeyIdHeader = "X-Key-Id";
    public const string TimestampHeader = "X-Timestamp";
    public const string SignatureHeader = "X-Signature";

    public static string CanonicalString(string method, string pathAndQuery, long timestamp, ReadOnlySpan<byte> body) =>
        string.Join('\n', "v1", method.ToUpperInvariant(), pathAndQuery, timestamp.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(SHA256.HashData(body)));

    public static string Signature(string secret, string canonical) =>
        "v1=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Splits stored credentials into key id and secret; false when they are not <c>keyId:secret</c>.</summary>
    public static bool TryParse(string credentials, out string keyId, out string secret)
    {
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        (keyId, secret) = colon > 0 ? (credentials[..colon], credentials[(colon + 1)..]) : ("", "");
        return keyId.Length > 0 && secret.Length > 0;
    }

    /// <summary>Sets the three headers on <paramref name="request"/> (replacing earlier ones, as a retry re-sends the same message).</summary>
    public static async Task SignAsync(HttpRequestMessage request, string credentials, DateTimeOffset now, CancellationToken ct)
    {
        if (!TryParse(credentials, out var keyId, out var secret))
        {
            throw new InvalidOperationException("HMAC supplier credentials must be 'keyId:secret'.");
        }

        // Reading buffers the content, so what is hashed is exactly what is then sent.
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct);
        var timestamp = now.ToUnixTimeSeconds();
        var canonical = CanonicalString(request.Method.Method, request.RequestUri!.PathAndQuery, timestamp, body);
        foreach (var header in new[] { KeyIdHeader, TimestampHeader, SignatureHeader })
        {
            request.Headers.Remove(header);
        }

        request.Headers.Add(KeyIdHeader, keyId);
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Signature(secret, canonical));
    }
}
