using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Engine.Activities;

/// <summary>How often and how far apart a failing activity is tried again. Retries are durable timers, not loops.</summary>
public sealed record RetryPolicy
{
    /// <summary>Total attempts including the first; 1 means no retry.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the second attempt, in seconds; doubled each attempt.</summary>
    [Range(0, 86_400)]
    public double InitialDelaySeconds { get; init; } = 2;

    /// <summary>Upper bound of one delay, in seconds.</summary>
    [Range(0, 604_800)]
    public double MaxDelaySeconds { get; init; } = 300;

    /// <summary>Fraction of the delay added or removed at random (0.2 = ±20%) so retries do not align.</summary>
    [Range(0, 1)]
    public double Jitter { get; init; } = 0.2;

    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 = first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt, double random01)
    {
        var baseDelay = Math.Min(MaxDelaySeconds, InitialDelaySeconds * Math.Pow(2, Math.Max(0, nextAttempt - 2)));
        var jittered = baseDelay * (1 + Jitter * (2 * random01 - 1));
        return TimeSpan.FromSeconds(Math.Max(0, jittered));
    }
}
