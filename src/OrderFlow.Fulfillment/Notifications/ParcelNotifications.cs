using OrderFlow.Fulfillment.Tracking;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>
/// Which customer message a parcel's status change sends. Shipped and delivered are order-level and sent by the workflow;
/// the rest follow the parcel. Checkpoints that do not change the normalized status send nothing.
/// </summary>
public static class ParcelNotifications
{
    public static string? TemplateFor(string parcelStatus) => parcelStatus switch
    {
        ParcelStatuses.OutForDelivery => "out_for_delivery",
        ParcelStatuses.AttemptFail => "attempt_failed",
        ParcelStatuses.AvailableForPickup => "available_for_pickup",
        ParcelStatuses.Exception => "exception",
        _ => null,
    };
}
