namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>
/// When a failed storefront delivery is tried again (Svix-like): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h,
/// each with ±20% jitter; after the last attempt the delivery has failed for good.
/// </summary>
public static class RetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Attempts in all, the first one included.</summary>
    public static int MaxAttempts => Delays.Count;

    /// <summary>The delay after failed attempt <paramref name="attempts"/> (1-based), or null when none is left.</summary>
    public static TimeSpan? After(int attempts, double random01, TimeSpan? retryAfter = null)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }

        var delay = Delays[attempts] * (1 + 0.2 * (2 * random01 - 1));
        return retryAfter is { } hinted && hinted > delay ? hinted : delay;
    }
}
