namespace OrderFlow.Fulfillment.Security;

/// <summary>
/// Encrypts secrets that OrderFlow must be able to use again (HMAC keys, supplier credentials) before they are stored, and
/// decrypts them when read. A purpose names the column a value belongs to, so a value copied into another column fails.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The stored form of <paramref name="plaintext"/>: <c>enc:v1:&lt;key id&gt;:&lt;base64&gt;</c>.</summary>
    string Protect(string plaintext, string purpose);

    /// <summary>
    /// The plain value of <paramref name="stored"/>. A value without the <c>enc:</c> prefix is a legacy or hand-inserted
    /// plain value and is returned as it is (the start-up pass encrypts it); one that fails to decrypt throws.
    /// </summary>
    string Unprotect(string stored, string purpose);

    /// <summary>True when <paramref name="stored"/> is encrypted with the current key (nothing to re-encrypt).</summary>
    bool IsCurrent(string stored);
}
