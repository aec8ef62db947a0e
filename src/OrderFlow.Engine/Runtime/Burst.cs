using System.Text.Json.Nodes;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Definitions;

namespace OrderFlow.Engine.Runtime;

/// <summary>What one burst has decided so far; written in one go when it commits.</summary>
internal sealed class Burst(Guid id, WorkflowDefinition definition, InstanceState state, ExecutionScope scope, DateTimeOffset now)
{
    public Guid Id { get; } = id;
    public WorkflowDefinition Definition { get; } = definition;
    public InstanceState State { get; } = state;
    public ExecutionScope Scope { get; } = scope;
    /// <summary>Each activity's writes go under a savepoint of this chain, so a failed one is undone alone.</summary>
    public Persistence.SavepointChain Savepoints { get; } = new(scope.Transaction, "activity", scope.CancellationToken);
    public DateTimeOffset Now { get; } = now;
    public List<NewBookmark> NewBookmarks { get; } = [];
    public List<NewIncident> NewIncidents { get; } = [];
    public List<NewJournalEntry> JournalEntries { get; } = [];

    public void Wait(string activityId, BookmarkRequest request, int attempt) =>
        NewBookmarks.Add(new NewBookmark(Guid.CreateVersion7(), activityId,
            request.CorrelationKey is null && request.ResumeAt is not null ? BookmarkKinds.Timer : BookmarkKinds.Event,
            request.Name, request.CorrelationKey, request.ResumeAt, request.State, attempt));

    public void Retry(string activityId, int nextAttempt, DateTimeOffset at) =>
        NewBookmarks.Add(new NewBookmark(Guid.CreateVersion7(), activityId, BookmarkKinds.Retry, "retry", null, at, null, nextAttempt));

    public void Incident(string activityId, string activityType, string message, int attempts) =>
        NewIncidents.Add(new NewIncident(Guid.CreateVersion7(), activityId, activityType, message, attempts));

    public void Journal(ActivityNode node, string evt, int attempt, JsonObject? input, JsonObject? output, string? error, string[]? outcomes, double durationMs) =>
        JournalEntries.Add(new NewJournalEntry(node.Id, node.Type, evt, outcomes, attempt,
            input is { Count: > 0 } ? input.ToJsonString() : null,
            output is { Count: > 0 } ? output.ToJsonString() : null,
            error, Scope.Clock.GetUtcNow(), durationMs));
}

internal static class BookmarkKinds
{
    public const string Event = "event";
    public const string Timer = "timer";
    public const string Retry = "retry";
}

internal sealed record NewBookmark(Guid Id, string ActivityId, string Kind, string Name, string? CorrelationKey, DateTimeOffset? ResumeAt, JsonNode? State, int Attempt);

internal sealed record NewIncident(Guid Id, string ActivityId, string ActivityType, string Message, int Attempts);

internal sealed record NewJournalEntry(string ActivityId, string ActivityType, string Event, string[]? Outcomes, int Attempt,
    string? Input, string? Output, string? Error, DateTimeOffset StartedAt, double DurationMs);

internal sealed record ReadyBookmark(Guid Id, string ActivityId, string Kind, int Attempt, JsonNode? State, JsonNode? Payload);

internal sealed record LockedInstance(Guid Id, string DefinitionId, int DefinitionVersion, string? CorrelationId, string Status, JsonObject Variables, InstanceState State);
