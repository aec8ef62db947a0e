namespace OrderFlow.Fulfillment.Tracking;

/// <summary>AfterShip's tracking tags mapped onto our taxonomy (its <c>InfoReceive</c> lacks the final d).</summary>
public static class AfterShipStatuses
{
    public static string Map(string? tag) => tag switch
    {
        "InfoReceive" => ParcelStatuses.InfoReceived,
        "InTransit" => ParcelStatuses.InTransit,
        "OutForDelivery" => ParcelStatuses.OutForDelivery,
        "AttemptFail" => ParcelStatuses.AttemptFail,
        "AvailableForPickup" => ParcelStatuses.AvailableForPickup,
        "Delivered" => ParcelStatuses.Delivered,
        "Exception" => ParcelStatuses.Exception,
        "Expired" => ParcelStatuses.Expired,
        _ => ParcelStatuses.Pending,
    };
}
