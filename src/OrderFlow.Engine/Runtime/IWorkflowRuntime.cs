using System.Text.Json.Nodes;
using Npgsql;

namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Starts and resumes workflow instances inside the caller's transaction, so that the caller's own rows and the
/// workflow change commit together. After the commit the caller passes the returned ids to <see cref="Dispatch"/>;
/// if it never does (a crash), the engine's sweep dispatches them a little later.
/// </summary>
public interface IWorkflowRuntime
{
    /// <summary>Creates an instance of the latest published version of <paramref name="definitionId"/>.</summary>
    Task<Guid> StartAsync(string definitionId, JsonObject? input, string? correlationId,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>
    /// The command that creates one instance of the latest published version per <see cref="WorkflowStart"/> (one statement
    /// for all of them), for the caller to add to its own batch in <paramref name="transaction"/>, so its rows and the starts
    /// cost one round trip together (the caller can store the ids beside its rows up front). Reads the definition through
    /// <paramref name="connection"/> only when it is not cached; the latest version may be up to
    /// <see cref="Definitions.DefinitionStore.LatestVersionCacheTime"/> old when another process published it.
    /// </summary>
    ValueTask<NpgsqlBatchCommand> PrepareStartAsync(string definitionId, IReadOnlyList<WorkflowStart> starts,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Marks every bookmark named <paramref name="name"/> with <paramref name="correlationKey"/> as resumed; returns the instances to dispatch.</summary>
    Task<IReadOnlyList<Guid>> ResumeAsync(string name, string correlationKey, JsonNode? payload,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ResumeAsync(string, string, JsonNode?, NpgsqlConnection, NpgsqlTransaction, CancellationToken)"/> for several
    /// correlation keys, each with its own payload, in one round trip of two statements whatever their number (a caller with
    /// news for many orders, such as the tracking sweep). Each key once per call.
    /// </summary>
    Task<IReadOnlyList<Guid>> ResumeAsync(string name, IReadOnlyList<(string CorrelationKey, JsonNode? Payload)> resumes,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Opens its own transaction, resumes, commits and dispatches.</summary>
    Task<IReadOnlyList<Guid>> ResumeAsync(string name, string correlationKey, JsonNode? payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the instance's burst lock in the caller's transaction. Domain code that changes what a waiting activity
    /// will read takes it before writing and resuming, so the activity either sees the change or its bookmark is found.
    /// Returns false when the instance does not exist.
    /// </summary>
    Task<bool> LockAsync(Guid instanceId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="LockAsync"/> for several instances in one round trip, taken in id order (as resumes and bursts take them,
    /// so the three never deadlock). With <paramref name="skipLocked"/>, instances another transaction holds (a burst
    /// running) are passed over instead of waited for. Returns the instances locked.
    /// </summary>
    Task<IReadOnlySet<Guid>> LockManyAsync(IReadOnlyCollection<Guid> instanceIds, bool skipLocked, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Asks for a burst of each instance soon (after the caller committed).</summary>
    void Dispatch(IEnumerable<Guid> instanceIds);
}

/// <summary>An instance to start: its id (chosen by the caller), its input (over the definition's variables) and correlation id.</summary>
public sealed record WorkflowStart(Guid InstanceId, JsonObject? Input, string? CorrelationId);
