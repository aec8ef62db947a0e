using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Extensions;

namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>
/// Checks an HMAC-signed supplier request as a real supplier would: the key id, a timestamp within five minutes, and
/// <c>X-Signature: v1=</c> base64 HMAC-SHA256 over <c>v1\n{METHOD}\n{path and query}\n{timestamp}\n{hex SHA-256 of the body}</c>.
/// </summary>
internal static class HmacVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>Null when the request is signed correctly, else what is wrong. The body stays readable for the endpoint.</summary>
    public static async Task<string?> VerifyAsync(HttpRequest request, string keyId, string secret, DateTimeOffset now)
    {
        if (request.Headers["X-Key-Id"].ToString() != keyId)
        {
            return "X-Key-Id is missing or unknown.";
        }

        if (!long.TryParse(request.Headers["X-Timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || (now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > Tolerance)
        {
            return "X-Timestamp is missing or more than five minutes off.";
        }

        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        var canonical = string.Join('\n', "v1", request.Method.ToUpperInvariant(),
            UriHelper.BuildRelative(request.PathBase, request.Path, request.QueryString), timestamp.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray())));
        var expected = "v1=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers["X-Signature"].ToString()), Encoding.UTF8.GetBytes(expected))
            ? null
            : "X-Signature does not match the request.";
    }
}
