namespace OrderFlow.SupplierSimulator;

/// <summary>
/// One simulated supplier's credentials, bound from <c>Simulator:Suppliers:{id}</c>. With <see cref="HmacSecret"/> set, an
/// orderflow supplier expects HMAC-signed requests (<c>X-Key-Id</c>, <c>X-Timestamp</c>, <c>X-Signature</c>) instead of <c>X-Api-Key</c>.
/// </summary>
internal sealed class SupplierAccountOptions
{
    public string? ApiKey { get; set; }

    /// <summary>The key id expected in <c>X-Key-Id</c> (default <c>sim-hmac-{id}</c>) when <see cref="HmacSecret"/> is set.</summary>
    public string? HmacKeyId { get; set; }

    /// <summary>The shared secret requests are signed with; null: API key authentication.</summary>
    public string? HmacSecret { get; set; }
}
