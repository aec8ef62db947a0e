using System.Text.Json.Nodes;

namespace OrderFlow.Engine.Runtime;

/// <summary>One line of an instance's journal: an activity ran, waited, failed, or ops acted.</summary>
public sealed record JournalEntry(
    long Id,
    Guid BurstId,
    string? ActivityId,
    string? ActivityType,
    string Event,
    string[]? Outcomes,
    int? Attempt,
    JsonNode? Input,
    JsonNode? Output,
    string? Error,
    string? Actor,
    DateTimeOffset StartedAt,
    double? DurationMs);

/// <summary>Journal events written by the engine.</summary>
public static class JournalEvents
{
    public const string Completed = "Completed";
    public const string Waiting = "Waiting";
    public const string Absorbed = "Absorbed";
    public const string RetryScheduled = "RetryScheduled";
    public const string Faulted = "Faulted";
    public const string Halted = "Halted";
    public const string IncidentRetried = "IncidentRetried";
    public const string IncidentSkipped = "IncidentSkipped";
    public const string Cancelled = "Cancelled";
}

/// <summary>Instance statuses.</summary>
public static class InstanceStatuses
{
    public const string Running = "Running";
    public const string Waiting = "Waiting";
    public const string Faulted = "Faulted";
    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";

    public static readonly IReadOnlyList<string> All = [Running, Waiting, Faulted, Completed, Cancelled];
}
