namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// The normalized parcel status taxonomy (a superset of the carriers'), with the order in which statuses may follow each
/// other: a parcel only moves forward, so a late or replayed event never takes it back.
/// </summary>
public static class ParcelStatuses
{
    public const string Pending = "Pending";
    public const string InfoReceived = "InfoReceived";
    public const string InTransit = "InTransit";
    public const string OutForDelivery = "OutForDelivery";
    public const string AttemptFail = "AttemptFail";
    public const string AvailableForPickup = "AvailableForPickup";
    public const string Delivered = "Delivered";
    public const string Exception = "Exception";
    public const string Expired = "Expired";

    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        [Pending] = 0,
        [InfoReceived] = 1,
        [InTransit] = 2,
        [Exception] = 3,
        [AttemptFail] = 4,
        [OutForDelivery] = 5,
        [AvailableForPickup] = 6,
        [Delivered] = 9,
        [Expired] = 9,
    };

    /// <summary>The status mapped from a provider's name, or <see cref="Pending"/> when unknown.</summary>
    public static string Normalize(string? status) =>
        status is not null && Rank.Keys.FirstOrDefault(k => string.Equals(k, status.Replace("_", ""), StringComparison.OrdinalIgnoreCase)) is { } known ? known : Pending;

    /// <summary>True when a parcel in <paramref name="current"/> may move to <paramref name="next"/>.</summary>
    public static bool IsForward(string current, string next) =>
        current != next && !IsFinal(current) && Rank.GetValueOrDefault(next) >= Rank.GetValueOrDefault(current);

    public static bool IsFinal(string status) => status is Delivered or Expired;
}
