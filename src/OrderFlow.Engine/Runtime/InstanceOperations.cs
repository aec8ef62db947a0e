using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Definitions;

namespace OrderFlow.Engine.Runtime;

/// <summary>What ops can do to a running instance: retry or skip an incident, or cancel. Each is journaled with who did it.</summary>
public sealed class InstanceOperations(
    NpgsqlDataSource dataSource,
    DefinitionStore definitions,
    ActivityRegistry registry,
    IBurstDispatcher dispatcher,
    IEnumerable<IWorkflowLifecycleObserver> observers,
    TimeProvider clock,
    ILogger<InstanceOperations> logger)
{
    /// <summary>Runs the faulted activity again from its first attempt.</summary>
    public Task<OperationResult> RetryIncidentAsync(Guid incidentId, string actor, CancellationToken ct = default) =>
        ResolveIncidentAsync(incidentId, actor, outcome: null, ct);

    /// <summary>Treats the faulted activity as completed with <paramref name="outcome"/> and follows it.</summary>
    public Task<OperationResult> SkipIncidentAsync(Guid incidentId, string outcome, string actor, CancellationToken ct = default) =>
        ResolveIncidentAsync(incidentId, actor, outcome, ct);

    public async Task<OperationResult> CancelAsync(Guid instanceId, string actor, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var instance = await InstanceRepository.LockAsync(connection, tx, instanceId, 60, skipLocked: false, ct);
        if (instance is null)
        {
            return OperationResult.NotFound;
        }

        if (instance.Status is InstanceStatuses.Completed or InstanceStatuses.Cancelled)
        {
            return OperationResult.Conflict($"The instance is already {instance.Status.ToLowerInvariant()}.");
        }

        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM engine.bookmarks WHERE instance_id = @instanceId;
            UPDATE engine.incidents SET resolved_at = @now, resolution = 'cancelled', resolved_by = @actor WHERE instance_id = @instanceId AND resolved_at IS NULL;
            UPDATE engine.workflow_instances SET status = 'Cancelled', pending = false, updated_at = @now,
                state = jsonb_set(state, '{queue}', '[]'::jsonb) WHERE id = @instanceId;
            INSERT INTO engine.journal (instance_id, burst_id, event, actor, started_at) VALUES (@instanceId, @burst, 'Cancelled', @actor, @now);
            """, new { instanceId, now, actor, burst = Guid.CreateVersion7() }, tx, cancellationToken: ct));

        var info = new WorkflowInstanceInfo(instanceId, instance.DefinitionId, instance.DefinitionVersion, instance.CorrelationId, InstanceStatuses.Cancelled);
        foreach (var observer in observers)
        {
            await observer.OnCancelledAsync(info, actor, connection, tx, ct);
        }

        await tx.CommitAsync(ct);
        logger.LogInformation("Instance {WorkflowInstanceId} cancelled by {Actor}", instanceId, actor);
        return OperationResult.Ok;
    }

    private async Task<OperationResult> ResolveIncidentAsync(Guid incidentId, string actor, string? outcome, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var incident = await connection.QuerySingleOrDefaultAsync<(Guid InstanceId, string ActivityId, DateTime? ResolvedAt)?>(new CommandDefinition(
            "SELECT instance_id, activity_id, resolved_at FROM engine.incidents WHERE id = @incidentId", new { incidentId }, cancellationToken: ct));
        if (incident is not { } found)
        {
            return OperationResult.NotFound;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        var instance = (await InstanceRepository.LockAsync(connection, tx, found.InstanceId, 60, skipLocked: false, ct))!;
        var stillOpen = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT resolved_at IS NULL FROM engine.incidents WHERE id = @incidentId FOR UPDATE", new { incidentId }, tx, cancellationToken: ct));
        if (!stillOpen || instance.Status == InstanceStatuses.Cancelled)
        {
            return OperationResult.Conflict("The incident is already resolved.");
        }

        var definition = (await definitions.GetVersionAsync(instance.DefinitionId, instance.DefinitionVersion, connection, tx, ct))!;
        var node = definition.FindActivity(found.ActivityId)!;
        if (outcome is null)
        {
            instance.State.Queue.Add(new WorkItem(node.Id, Repeat: true));
        }
        else
        {
            var outcomes = registry.Find(node.Type) is { } d ? ActivityRegistry.OutcomesOf(d, node.Inputs) : [];
            if (!outcomes.Contains(outcome))
            {
                return OperationResult.Invalid("outcome", $"'{node.Id}' has no outcome '{outcome}'. Choose one of: {string.Join(", ", outcomes)}.");
            }

            instance.State.Queue.AddRange(definition.Connections.Where(c => c.Source == node.Id && c.Outcome == outcome).Select(c => new WorkItem(c.Target, node.Id)));
        }

        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE engine.incidents SET resolved_at = @now, resolution = @resolution, resolved_by = @actor WHERE id = @incidentId;
            UPDATE engine.workflow_instances SET state = @state::jsonb, pending = true, status = 'Running', updated_at = @now WHERE id = @InstanceId;
            INSERT INTO engine.journal (instance_id, burst_id, activity_id, activity_type, event, outcomes, actor, started_at)
            VALUES (@InstanceId, @burst, @activityId, @activityType, @evt, @outcomes, @actor, @now);
            """, new
        {
            now, actor, incidentId, found.InstanceId, burst = Guid.CreateVersion7(), activityId = node.Id, activityType = node.Type,
            resolution = outcome is null ? "retried" : "skipped",
            evt = outcome is null ? JournalEvents.IncidentRetried : JournalEvents.IncidentSkipped,
            outcomes = outcome is null ? null : new[] { outcome },
            state = JsonSerializer.Serialize(instance.State, JsonDefaults.Options),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        dispatcher.Dispatch(found.InstanceId);
        logger.LogInformation("Incident {IncidentId} of {WorkflowInstanceId} {Resolution} by {Actor}", incidentId, found.InstanceId, outcome is null ? "retried" : $"skipped to {outcome}", actor);
        return OperationResult.Ok;
    }
}

/// <summary>The result of an ops operation, mapped by the API to 204, 404, 409 or 400.</summary>
public sealed record OperationResult(OperationStatus Status, string? Field = null, string? Message = null)
{
    public static OperationResult Ok { get; } = new(OperationStatus.Ok);
    public static OperationResult NotFound { get; } = new(OperationStatus.NotFound);
    public static OperationResult Conflict(string message) => new(OperationStatus.Conflict, null, message);
    public static OperationResult Invalid(string field, string message) => new(OperationStatus.Invalid, field, message);
}

public enum OperationStatus
{
    Ok,
    NotFound,
    Conflict,
    Invalid,
}
