namespace OrderFlow.Fulfillment.Tracking;

/// <summary>Inbound carrier tracking webhooks, bound from <c>OrderFlow:CarrierWebhooks</c>.</summary>
public sealed class CarrierWebhookOptions
{
    public const string Section = "OrderFlow:CarrierWebhooks";

    /// <summary>The webhook secret from AfterShip's settings; webhooks are refused (401) while it is not set.</summary>
    public string? AfterShipSecret { get; set; }
}
