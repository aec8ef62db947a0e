namespace OrderFlow.Fulfillment.Demo;

/// <summary>
/// Seeds a demo merchant, its storefront subscription and two suppliers at the supplier simulator
/// (<c>OrderFlow:Demo</c>); off unless <see cref="Enabled"/>. The seed is idempotent and safe on several processes.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "OrderFlow:Demo";

    public bool Enabled { get; set; }

    /// <summary>Where the supplier simulator listens (its suppliers and its storefront).</summary>
    public string SimulatorBaseUrl { get; set; } = "http://127.0.0.1:5090";

    public string MerchantId { get; set; } = "demo-shop";

    /// <summary>Signs the demo storefront's order webhooks.</summary>
    public string IntakeSecret { get; set; } = "whsec_ZGVtby1tZXJjaGFudC1pbnRha2Utc2VjcmV0LTEyMzQ1Ng==";

    /// <summary>Signs our status webhooks to the demo storefront (the simulator verifies them with the same secret).</summary>
    public string StorefrontSecret { get; set; } = "whsec_ZGVtby1zdG9yZWZyb250LXdlYmhvb2stc2VjcmV0LTEyMzQ=";
}
