using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Definitions;

namespace OrderFlow.Engine.Runtime;

/// <inheritdoc />
public sealed class WorkflowRuntime(
    NpgsqlDataSource dataSource,
    DefinitionStore definitions,
    ActivityRegistry registry,
    IBurstDispatcher dispatcher,
    TimeProvider clock) : IWorkflowRuntime
{
    public async Task<Guid> StartAsync(string definitionId, JsonObject? input, string? correlationId,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { await PrepareStartAsync(definitionId, input, correlationId, id, connection, transaction, cancellationToken) },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async ValueTask<NpgsqlBatchCommand> PrepareStartAsync(string definitionId, JsonObject? input, string? correlationId, Guid instanceId,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        var version = await definitions.GetLatestVersionCachedAsync(definitionId, connection, transaction, cancellationToken)
            ?? throw new InvalidOperationException($"No published version of workflow '{definitionId}'.");
        var definition = (await definitions.GetVersionAsync(definitionId, version, connection, transaction, cancellationToken))!;
        var start = definition.Activities.First(a => registry.Find(a.Type)?.IsStart == true);

        var variables = definition.Variables.DeepClone().AsObject();
        foreach (var (key, value) in input ?? [])
        {
            variables[key] = value?.DeepClone();
        }

        var state = new InstanceState { Queue = [new WorkItem(start.Id)] };
        var now = clock.GetUtcNow();
        return new NpgsqlBatchCommand("""
            INSERT INTO engine.workflow_instances (id, definition_id, definition_version, correlation_id, status, variables, state, pending, created_at, updated_at)
            VALUES ($1, $2, $3, $4, 'Running', $5::jsonb, $6::jsonb, true, $7, $7)
            """)
        {
            Parameters =
            {
                new() { Value = instanceId }, new() { Value = definitionId }, new() { Value = version },
                new() { Value = (object?)correlationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = variables.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = JsonSerializer.Serialize(state, JsonDefaults.Options), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = now },
            },
        };
    }

    public async Task<IReadOnlyList<Guid>> ResumeAsync(string name, string correlationKey, JsonNode? payload,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        // Lock the instances before their bookmarks, in the same order as a burst does, so the two never deadlock.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT id FROM engine.workflow_instances
                    WHERE id IN (SELECT instance_id FROM engine.bookmarks WHERE name = $1 AND correlation_key = $2 AND resumed_at IS NULL)
                    ORDER BY id FOR UPDATE
                    """) { Parameters = { new() { Value = name }, new() { Value = correlationKey } } },
                new NpgsqlBatchCommand("""
                    WITH resumed AS (
                        UPDATE engine.bookmarks SET resumed_at = $3, payload = $4::jsonb
                        WHERE name = $1 AND correlation_key = $2 AND resumed_at IS NULL
                        RETURNING instance_id)
                    UPDATE engine.workflow_instances SET pending = true, updated_at = $3
                    WHERE id IN (SELECT instance_id FROM resumed)
                    RETURNING id
                    """)
                {
                    Parameters =
                    {
                        new() { Value = name }, new() { Value = correlationKey }, new() { Value = clock.GetUtcNow() },
                        new() { Value = (object?)payload?.ToJsonString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    },
                },
            },
        };
        var ids = new List<Guid>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<Guid>> ResumeAsync(string name, string correlationKey, JsonNode? payload, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var ids = await ResumeAsync(name, correlationKey, payload, connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        Dispatch(ids);
        return ids;
    }

    public async Task<bool> LockAsync(Guid instanceId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM engine.workflow_instances WHERE id = $1 FOR UPDATE", connection, transaction)
        {
            Parameters = { new() { Value = instanceId } },
        };
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<IReadOnlySet<Guid>> LockManyAsync(IReadOnlyCollection<Guid> instanceIds, bool skipLocked, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        var locked = new HashSet<Guid>();
        if (instanceIds.Count == 0)
        {
            return locked;
        }

        await using var command = new NpgsqlCommand(
            $"SELECT id FROM engine.workflow_instances WHERE id = ANY ($1) ORDER BY id FOR UPDATE{(skipLocked ? " SKIP LOCKED" : "")}", connection, transaction)
        {
            Parameters = { new() { Value = instanceIds.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            locked.Add(reader.GetGuid(0));
        }

        return locked;
    }

    public void Dispatch(IEnumerable<Guid> instanceIds)
    {
        foreach (var id in instanceIds)
        {
            dispatcher.Dispatch(id);
        }
    }
}
