using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrderFlow.Fulfillment.Security;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per value; the purpose is the authenticated data. The key id (8 hex digits of the
/// key's SHA-256) in the stored value picks the key to decrypt with, so retired keys keep working until the start-up pass
/// has re-encrypted everything.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    public const string Prefix = "enc:v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public AesGcmSecretProtector(IOptions<SecurityOptions> options)
    {
        foreach (var text in options.Value.RetiredSecretsKeys.Append(options.Value.SecretsKey))
        {
            var key = Convert.FromBase64String(text.Trim());
            _keys[KeyId(key)] = key;
        }

        var current = Convert.FromBase64String(options.Value.SecretsKey.Trim());
        _current = (KeyId(current), current);
    }

    public string Protect(string plaintext, string purpose)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(purpose));
        return $"{Prefix}{_current.Id}:{Convert.ToBase64String(output)}";
    }

    public string Unprotect(string stored, string purpose)
    {
        if (!stored.StartsWith("enc:", StringComparison.Ordinal))
        {
            return stored;
        }

        var parts = stored.Split(':');
        if (parts.Length != 4 || parts[1] != "v1" || !_keys.TryGetValue(parts[2], out var key))
        {
            throw new CryptographicException("A stored secret is encrypted with a key this server does not have (set OrderFlow:Security:RetiredSecretsKeys).");
        }

        var data = Convert.FromBase64String(parts[3]);
        if (data.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("A stored secret is truncated.");
        }

        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, plain.Length), data.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }

    public bool IsCurrent(string stored) => stored.StartsWith($"{Prefix}{_current.Id}:", StringComparison.Ordinal);

    private static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];
}
