namespace OrderFlow.Fulfillment.Tracking;

/// <summary>What became of an inbound carrier webhook.</summary>
public enum CarrierWebhookOutcome
{
    Applied,
    Duplicate,
    UnknownParcel,
    Unauthorized,
    Invalid,
}
