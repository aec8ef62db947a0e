namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>How OrderFlow authenticates to a supplier (<c>suppliers.auth_type</c>).</summary>
public static class SupplierAuthTypes
{
    /// <summary>The credentials in a header, <c>X-Api-Key</c> unless <c>auth_header</c> names another.</summary>
    public const string ApiKey = "api_key";
    public const string Bearer = "bearer";
    /// <summary>HTTP Basic; credentials <c>user:password</c>.</summary>
    public const string Basic = "basic";
    /// <summary>Each request signed with HMAC-SHA256; credentials <c>keyId:secret</c> (<see cref="HmacRequestSigner"/>).</summary>
    public const string Hmac = "hmac";

    public static readonly IReadOnlyList<string> All = [ApiKey, Bearer, Basic, Hmac];
}
