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
            BatchCommands = { await PrepareStartAsync(definitionId, [new WorkflowStart(id, input, correlationId)], connection, transaction, cancellationToken) },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async ValueTask<NpgsqlBatchCommand> PrepareStartAsync(string definitionId, IReadOnlyList<WorkflowStart> starts,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        var version = await definitions.GetLatestVersionCachedAsync(definitionId, connection, transaction, cancellationToken)
            ?? throw new InvalidOperationException($"No published version of workflow '{definitionId}'.");
        var definition = (await definitions.GetVersionAsync(definitionId, version, connection, transaction, cancellationToken))!;
        var start = definition.Activities.First(a => registry.Find(a.Type)?.IsStart == true);
        var state = JsonSerializer.Serialize(new InstanceState { Queue = [new WorkItem(start.Id)] }, JsonDefaults.Options);
        var variables = starts.Select(s =>
        {
            var values = definition.Variables.DeepClone().AsObject();
            foreach (var (key, value) in s.Input ?? [])
            {
                values[key] = value?.DeepClone();
            }

            return values.ToJsonString();
        }).ToArray();

        // One statement for every instance: a statement per instance costs PostgreSQL its fixed part again each time.
        return new NpgsqlBatchCommand("""
            INSERT INTO engine.workflow_instances (id, definition_id, definition_version, correlation_id, status, variables, state, pending, created_at, updated_at)
            SELECT s.id, $2, $3, s.correlation_id, 'Running', s.variables::jsonb, $6::jsonb, true, $7, $7
            FROM unnest($1::uuid[], $4::text[], $5::text[]) AS s(id, correlation_id, variables)
            """)
        {
            Parameters =
            {
                new() { Value = starts.Select(s => s.InstanceId).ToArray() }, new() { Value = definitionId }, new() { Value = version },
                new() { Value = starts.Select(s => s.CorrelationId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = variables },
                new() { Value = state, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = clock.GetUtcNow() },
            },
        };
    }

    public Task<IReadOnlyList<Guid>> ResumeAsync(string name, string correlationKey, JsonNode? payload,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default) =>
        ResumeCoreAsync(name, [(correlationKey, payload)], connection, transaction, cancellationToken);

    public Task<IReadOnlyList<Guid>> ResumeAsync(string name, IReadOnlyList<(string CorrelationKey, JsonNode? Payload)> resumes,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        if (resumes.Select(r => r.CorrelationKey).Distinct(StringComparer.Ordinal).Count() != resumes.Count)
        {
            throw new ArgumentException("Each correlation key may be resumed once per call.", nameof(resumes));
        }

        return resumes.Count == 0 ? Task.FromResult<IReadOnlyList<Guid>>([]) : ResumeCoreAsync(name, resumes, connection, transaction, cancellationToken);
    }

    /// <summary>
    /// One key and many are two texts, each prepared once: a generic plan cannot know an array's length, so PostgreSQL
    /// plans the many-key text on every call (once per batch), where the one-key text keeps its generic plan.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> ResumeCoreAsync(string name, IReadOnlyList<(string CorrelationKey, JsonNode? Payload)> resumes,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var one = resumes.Count == 1;
        var (keys, input) = one
            ? ("$2", "SELECT $2::text AS key, $4::text AS payload")
            : ("ANY ($2)", "SELECT * FROM unnest($2::text[], $4::text[]) AS r(key, payload)");
        // Lock the instances before their bookmarks, in the same order as a burst does, so the two never deadlock.
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    SELECT id FROM engine.workflow_instances
                    WHERE id IN (SELECT instance_id FROM engine.bookmarks WHERE name = $1 AND correlation_key = {keys} AND resumed_at IS NULL)
                    ORDER BY id FOR UPDATE
                    """)
                {
                    Parameters =
                    {
                        new() { Value = name },
                        one ? new() { Value = resumes[0].CorrelationKey } : new() { Value = resumes.Select(r => r.CorrelationKey).ToArray() },
                    },
                },
                new NpgsqlBatchCommand($"""
                    WITH input AS ({input}),
                    resumed AS (
                        UPDATE engine.bookmarks b SET resumed_at = $3, payload = i.payload::jsonb
                        FROM input i
                        WHERE b.name = $1 AND b.correlation_key = i.key AND b.resumed_at IS NULL
                        RETURNING b.instance_id)
                    UPDATE engine.workflow_instances SET pending = true, updated_at = $3
                    WHERE id IN (SELECT instance_id FROM resumed)
                    RETURNING id
                    """)
                {
                    Parameters =
                    {
                        new() { Value = name },
                        one ? new() { Value = resumes[0].CorrelationKey } : new() { Value = resumes.Select(r => r.CorrelationKey).ToArray() },
                        new() { Value = clock.GetUtcNow() },
                        one
                            ? new() { Value = (object?)resumes[0].Payload?.ToJsonString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }
                            : new() { Value = resumes.Select(r => r.Payload?.ToJsonString()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
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
