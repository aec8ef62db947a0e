using System.Text.RegularExpressions;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>Checks a supplier's settings field by field; each error names the field (camelCase, as in the JSON).</summary>
public static partial class SupplierRequestValidator
{
    /// <param name="currentAuthType">The stored auth type when changing a supplier, null when creating one.</param>
    public static Dictionary<string, string[]> Validate(SupplierRequest r, string? currentAuthType, SupplierClients clients)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        var creating = currentAuthType is null;

        if (!IdPattern().IsMatch(r.Id ?? ""))
        {
            Add("id", "Use 2 to 50 lower-case letters, digits and dashes, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > 200)
        {
            Add("name", "Give a name of 1 to 200 characters.");
        }

        var protocol = r.Protocol is null ? null : clients.Protocol(r.Protocol);
        if (protocol is null)
        {
            Add("protocol", $"Use a protocol this server speaks: {string.Join(", ", clients.Protocols.Order(StringComparer.Ordinal))}.");
        }

        if (!Uri.TryCreate(r.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(url.UserInfo)
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            Add("baseUrl", "Give an absolute http or https URL without credentials, query or fragment, e.g. https://supplier.example/api.");
        }

        if (r.Priority is < 0 or > 10_000)
        {
            Add("priority", "Use 0 to 10000 (lower is preferred).");
        }

        if (r.OrderFee is < 0 or > 10_000)
        {
            Add("orderFee", "Use 0 to 10000.");
        }

        var authType = r.AuthType ?? currentAuthType ?? SupplierAuthTypes.ApiKey;
        if (!SupplierAuthTypes.All.Contains(authType))
        {
            Add("authType", $"Use one of: {string.Join(", ", SupplierAuthTypes.All)}.");
        }

        if (!string.IsNullOrWhiteSpace(r.AuthHeader) && (authType != SupplierAuthTypes.ApiKey || !HeaderPattern().IsMatch(r.AuthHeader)))
        {
            Add("authHeader", "Only for authType api_key: a header name of letters, digits and dashes, e.g. X-Api-Key.");
        }

        ValidateCredentials(r.Credentials, authType, creating || (r.AuthType is not null && r.AuthType != currentAuthType), Add);

        if (!string.IsNullOrEmpty(r.CallbackSecret) && !StandardWebhooks.IsValidSecret(r.CallbackSecret))
        {
            Add("callbackSecret", "Give a Standard Webhooks secret: whsec_ and base64 of 24 to 64 bytes (or an empty string to remove it).");
        }

        if (r.TimeoutSeconds is < 1 or > 120)
        {
            Add("timeoutSeconds", "Use 1 to 120 seconds, or leave it out for the server's default.");
        }

        if (r.RateLimitPerSecond is { } rate && (rate <= 0 || rate > 10_000 || double.IsNaN(rate)))
        {
            Add("rateLimitPerSecond", "Use more than 0 and at most 10000 requests per second, or leave it out for no limit.");
        }

        if (r.RateLimitBurst is { } burst && (burst is < 1 or > 10_000 || r.RateLimitPerSecond is null))
        {
            Add("rateLimitBurst", "Use 1 to 10000, together with rateLimitPerSecond.");
        }

        if (r.LiveStockCheck == true && protocol is { CanCheckStock: false })
        {
            Add("liveStockCheck", $"Protocol '{protocol.Name}' cannot confirm stock live.");
        }

        return errors;
    }

    private static void ValidateCredentials(string? credentials, string authType, bool required, Action<string, string> add)
    {
        if (credentials is null)
        {
            if (required)
            {
                add("credentials", "Give the credentials (required when creating a supplier or changing its authType).");
            }

            return;
        }

        if (credentials.Length is < 1 or > 2_000 || credentials.Any(char.IsControl))
        {
            add("credentials", "Give 1 to 2000 printable characters.");
        }
        else if (authType == SupplierAuthTypes.Basic && credentials.IndexOf(':', StringComparison.Ordinal) < 1)
        {
            add("credentials", "For basic, give user:password.");
        }
        else if (authType == SupplierAuthTypes.Hmac && (!HmacRequestSigner.TryParse(credentials, out _, out var secret) || secret.Length < 16))
        {
            add("credentials", "For hmac, give keyId:secret with a secret of at least 16 characters.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,100}$")]
    private static partial Regex HeaderPattern();
}
