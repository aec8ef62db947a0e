using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Fulfillment.Security;

/// <summary>Encryption of stored secrets, bound from <c>OrderFlow:Security</c>.</summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "OrderFlow:Security";

    /// <summary>
    /// The AES-256 key (base64 of 32 bytes) that encrypts merchant intake secrets, storefront subscription secrets and
    /// supplier credentials at rest. Required: <c>Demo</c> and <c>Testing</c> ship a fixed development key; production
    /// must set its own (e.g. <c>OrderFlow__Security__SecretsKey=$(openssl rand -base64 32)</c>).
    /// </summary>
    public string SecretsKey { get; set; } = "";

    /// <summary>Keys used before a key rotation: still decrypt, and every value under them is re-encrypted with <see cref="SecretsKey"/> at start.</summary>
    public List<string> RetiredSecretsKeys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsKey(SecretsKey))
        {
            yield return new ValidationResult(
                "OrderFlow:Security:SecretsKey must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`); it encrypts stored secrets.",
                [nameof(SecretsKey)]);
        }

        if (RetiredSecretsKeys.Any(k => !IsKey(k)))
        {
            yield return new ValidationResult("Every OrderFlow:Security:RetiredSecretsKeys entry must be base64 of 32 bytes.", [nameof(RetiredSecretsKeys)]);
        }
    }

    internal static bool IsKey(string? value)
    {
        var buffer = new byte[48];
        return value is not null && Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written == 32;
    }
}
