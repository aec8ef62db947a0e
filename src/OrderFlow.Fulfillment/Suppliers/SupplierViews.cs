namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// A supplier to create or change. <see cref="Credentials"/> are the API key, bearer token, <c>user:password</c> (basic)
/// or <c>keyId:secret</c> (hmac); required when creating, kept when left out of a change. <see cref="CallbackSecret"/> is
/// the <c>whsec_</c> secret the supplier signs its callbacks with (left out: kept; empty: removed, polling only).
/// </summary>
public sealed record SupplierRequest(
    string? Id,
    string? Name,
    string? Protocol,
    string? BaseUrl,
    int? Priority,
    bool? Active,
    decimal? OrderFee,
    string? AuthType,
    string? AuthHeader,
    string? Credentials,
    string? CallbackSecret,
    int? TimeoutSeconds,
    double? RateLimitPerSecond,
    int? RateLimitBurst,
    bool? LiveStockCheck);

/// <summary>A supplier as the API shows it: never its credentials or callback secret, only whether they are set.</summary>
public sealed record SupplierView(
    string Id,
    string Name,
    string Protocol,
    string BaseUrl,
    int Priority,
    bool Active,
    decimal OrderFee,
    string AuthType,
    string? AuthHeader,
    bool HasCredentials,
    bool HasCallbackSecret,
    int? TimeoutSeconds,
    double? RateLimitPerSecond,
    int? RateLimitBurst,
    bool LiveStockCheck,
    bool StockCheckSupported,
    DateTime CreatedAt);

/// <summary>A protocol this server speaks, and whether its suppliers can confirm stock live.</summary>
public sealed record SupplierProtocolView(string Name, bool LiveStockCheck);

/// <summary>The outcome of saving a supplier: the saved view, field errors, not found or conflict.</summary>
public sealed record SupplierSaveResult(SupplierView? Value, Dictionary<string, string[]>? Errors, string? Error, int Status)
{
    public static SupplierSaveResult Ok(SupplierView value) => new(value, null, null, 200);
    public static SupplierSaveResult Invalid(Dictionary<string, string[]> errors) => new(null, errors, null, 400);
    public static SupplierSaveResult NotFound(string error) => new(null, null, error, 404);
    public static SupplierSaveResult Conflict(string error) => new(null, null, error, 409);
}
