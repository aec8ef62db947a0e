using System.Text.Json.Nodes;

namespace OrderFlow.Engine.Activities;

/// <summary>What an activity asks the runner to do next: follow outcomes, wait on a bookmark, or halt with an incident.</summary>
public sealed class ActivityResult
{
    public const string DefaultOutcome = "Done";

    private ActivityResult() { }

    public IReadOnlyList<string> Outcomes { get; private init; } = [];
    public BookmarkRequest? Bookmark { get; private init; }
    public string? HaltReason { get; private init; }

    public bool IsWaiting => Bookmark is not null;
    public bool IsHalted => HaltReason is not null;

    /// <summary>Completes the activity and follows the given outcomes (default: "Done").</summary>
    public static ActivityResult Done(params string[] outcomes) =>
        new() { Outcomes = outcomes.Length == 0 ? [DefaultOutcome] : outcomes };

    public static ActivityResult Outcome(string outcome) => new() { Outcomes = [outcome] };

    /// <summary>Suspends this path until a matching event arrives or <paramref name="resumeAt"/> passes.</summary>
    public static ActivityResult Wait(string name, string? correlationKey = null, DateTimeOffset? resumeAt = null, JsonNode? state = null) =>
        new() { Bookmark = new BookmarkRequest(name, correlationKey, resumeAt, state) };

    /// <summary>Stops this path with an incident, without retrying; ops decide (retry, skip or cancel).</summary>
    public static ActivityResult Halt(string reason) => new() { HaltReason = reason };
}

/// <summary>A named wait with an optional correlation key and an optional time at which it resumes by itself.</summary>
public sealed record BookmarkRequest(string Name, string? CorrelationKey, DateTimeOffset? ResumeAt, JsonNode? State);
