using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator;

/// <summary>Simulator settings, bound from <c>Simulator</c>.</summary>
internal sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>Seed for every random decision; null picks one at random.</summary>
    public int? Seed { get; set; }

    /// <summary>Short delays for demos (<c>--fast</c>): accept 0.2 s, ship 0.5 s, transit 2 s.</summary>
    public bool Fast { get; set; }

    /// <summary>Starting stock of every catalogue item.</summary>
    public int Stock { get; set; } = 1_000_000;

    /// <summary>Initial knob values; <see cref="Fast"/> overrides the three delays.</summary>
    public Knobs Knobs { get; set; } = new();

    /// <summary>Per supplier id (acme, globex): the API key; default <c>sim-key-{id}</c>.</summary>
    public Dictionary<string, SupplierAccountOptions> Suppliers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per merchant id: the webhook secret; default <see cref="DefaultStorefrontSecret"/>.</summary>
    public Dictionary<string, StorefrontAccountOptions> Storefronts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The bearer token the fake SMS provider expects (<c>Simulator:Sms:Token</c>).</summary>
    public SmsAccountOptions Sms { get; set; } = new();

    public const string DefaultStorefrontSecret = "whsec_ZGVtby1zdG9yZWZyb250LXdlYmhvb2stc2VjcmV0LTEyMzQ=";

    public string ApiKeyFor(string supplierId) =>
        Suppliers.TryGetValue(supplierId, out var s) && !string.IsNullOrEmpty(s.ApiKey) ? s.ApiKey : $"sim-key-{supplierId}";

    public string SecretFor(string merchantId) =>
        Storefronts.TryGetValue(merchantId, out var s) && !string.IsNullOrEmpty(s.Secret) ? s.Secret : DefaultStorefrontSecret;

    /// <summary>The knobs the app starts with: configured values, with <c>--fast</c> applied.</summary>
    public Knobs InitialKnobs()
    {
        var knobs = Knobs.Copy();
        knobs.Stock ??= Stock;
        if (Fast)
        {
            knobs.AcceptDelaySeconds = 0.2;
            knobs.ShipDelaySeconds = 0.5;
            knobs.TransitSeconds = 2;
        }

        return knobs;
    }

    public IReadOnlyList<string> Errors()
    {
        var errors = Knobs.Errors().Select(e => $"Knobs.{e.Field}: {e.Message}").ToList();
        if (Stock < 0)
        {
            errors.Add("Stock: must be 0 or more");
        }

        return errors;
    }
}
