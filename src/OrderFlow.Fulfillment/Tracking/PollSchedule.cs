namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// When the tracking sweep next asks a supplier about one of its orders: at once while a cancellation is to be carried,
/// often while a parcel is out for delivery (or a delivery attempt failed), and otherwise from a floor (awaiting a
/// decision, in transit) that stretches to a quarter of the time since the order's news last changed, up to a ceiling,
/// so a parcel that sits costs ever fewer calls.
/// </summary>
public static class PollSchedule
{
    public static TimeSpan Interval(string supplierOrderStatus, IEnumerable<string> parcelStatuses, TimeSpan sinceChange, FulfillmentOptions options)
    {
        if (supplierOrderStatus == "cancel_requested")
        {
            return TimeSpan.Zero;
        }

        if (parcelStatuses.Any(s => s is ParcelStatuses.OutForDelivery or ParcelStatuses.AttemptFail))
        {
            return TimeSpan.FromSeconds(options.PollOutForDeliverySeconds);
        }

        var floor = TimeSpan.FromSeconds(supplierOrderStatus == "pending" ? options.PollPendingSeconds : options.PollInTransitSeconds);
        var ceiling = TimeSpan.FromSeconds(Math.Max(options.PollIdleMaxSeconds, floor.TotalSeconds));
        var stretched = sinceChange / 4;
        return stretched < floor ? floor : stretched > ceiling ? ceiling : stretched;
    }
}
