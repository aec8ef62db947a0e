namespace OrderFlow.SupplierSimulator.Admin;

/// <summary>
/// How fast and how badly the simulated suppliers and storefront behave. Settable from
/// <c>Simulator:Knobs</c> at start and through <c>PUT /admin/knobs</c>; a published instance is never mutated.
/// </summary>
internal sealed class Knobs
{
    /// <summary>Added to every supplier API call.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Share of supplier API calls answered 503 before doing anything.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Share of new order placements stored and then answered with an aborted connection.</summary>
    public double DropAfterCommitRate { get; set; }

    /// <summary>Share of supplier API calls that wait <see cref="StallSeconds"/> before answering.</summary>
    public double StallRate { get; set; }

    public double StallSeconds { get; set; } = 30;

    /// <summary>Share of lines rejected out_of_stock whatever the stock.</summary>
    public double StockOutRate { get; set; }

    /// <summary>Share of orders rejected with reason <c>other</c>.</summary>
    public double RejectRate { get; set; }

    /// <summary>Destination countries (ISO 3166 alpha-2) whose orders are rejected undeliverable.</summary>
    public List<string> UndeliverableCountries { get; set; } = [];

    public double AcceptDelaySeconds { get; set; } = 2;

    public double ShipDelaySeconds { get; set; } = 3;

    /// <summary>From InfoReceived to Delivered; the four events are spread evenly over it.</summary>
    public double TransitSeconds { get; set; } = 10;

    /// <summary>Chance that an order with two or more accepted lines ships in two parcels.</summary>
    public double SplitShipmentRate { get; set; } = 0.3;

    /// <summary>Share of storefront webhook deliveries answered 500.</summary>
    public double StorefrontFailureRate { get; set; }

    /// <summary>Share of messages posted to the fake SMS provider answered 503 (and not recorded).</summary>
    public double SmsFailureRate { get; set; }

    /// <summary>Stock of every catalogue item; setting it refills every item to this level, and reset restores it. Null: <c>Simulator:Stock</c>.</summary>
    public int? Stock { get; set; }

    public Knobs Copy()
    {
        var copy = (Knobs)MemberwiseClone();
        copy.UndeliverableCountries = [.. UndeliverableCountries];
        return copy;
    }

    public bool IsUndeliverable(string country) =>
        UndeliverableCountries.Any(c => string.Equals(c, country, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<(string Field, string Message)> Errors()
    {
        foreach (var (field, rate) in new[]
                 {
                     ("errorRate", ErrorRate), ("dropAfterCommitRate", DropAfterCommitRate), ("stallRate", StallRate),
                     ("stockOutRate", StockOutRate), ("rejectRate", RejectRate), ("splitShipmentRate", SplitShipmentRate),
                     ("storefrontFailureRate", StorefrontFailureRate), ("smsFailureRate", SmsFailureRate),
                 })
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate))
            {
                yield return (field, "must be between 0 and 1");
            }
        }

        foreach (var (field, value) in new[]
                 {
                     ("latencyMs", (double)LatencyMs), ("stallSeconds", StallSeconds), ("acceptDelaySeconds", AcceptDelaySeconds),
                     ("shipDelaySeconds", ShipDelaySeconds), ("transitSeconds", TransitSeconds), ("stock", Stock ?? 0),
                 })
        {
            if (value < 0 || double.IsNaN(value))
            {
                yield return (field, "must be 0 or more");
            }
        }

        if (UndeliverableCountries.Any(c => c is null || c.Length != 2))
        {
            yield return ("undeliverableCountries", "must be two-letter country codes");
        }
    }
}
