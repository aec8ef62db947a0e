using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace OrderFlow.Engine.Runtime;

/// <summary>The SQL of the runner: lock, read ready bookmarks, and write a burst's result in one round trip.</summary>
internal static class InstanceRepository
{
    /// <summary>Locks and reads the instance; null when it does not exist, or (with <paramref name="skipLocked"/>) when another transaction holds it.</summary>
    public static async Task<LockedInstance?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, int lockTimeoutSeconds, bool skipLocked, CancellationToken ct) =>
        (await LockCoreAsync(connection, tx, id, lockTimeoutSeconds, skipLocked, takeReadyAt: null, ct)).Instance;

    /// <summary>
    /// <see cref="LockAsync"/> and, in the same round
    /// trip, takes the bookmarks ready at <paramref name="now"/> (resumed, or due), oldest first. Bookmarks are taken only when
    /// this transaction holds the instance and it is still running.
    /// </summary>
    public static Task<(LockedInstance? Instance, List<ReadyBookmark> Ready)> LockAndTakeReadyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id,
        int lockTimeoutSeconds, bool skipLocked, DateTimeOffset now, CancellationToken ct) =>
        LockCoreAsync(connection, tx, id, lockTimeoutSeconds, skipLocked, now, ct);

    private static async Task<(LockedInstance? Instance, List<ReadyBookmark> Ready)> LockCoreAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id,
        int lockTimeoutSeconds, bool skipLocked, DateTimeOffset? takeReadyAt, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SET LOCAL lock_timeout = '{lockTimeoutSeconds}s'"),
                new NpgsqlBatchCommand($"""
                    SELECT definition_id, definition_version, correlation_id, status, variables::text, state::text
                    FROM engine.workflow_instances WHERE id = $1 FOR UPDATE{(skipLocked ? " SKIP LOCKED" : "")}
                    """) { Parameters = { new() { Value = id } } },
            },
        };
        if (takeReadyAt is { } now)
        {
            // SKIP LOCKED skips only rows other transactions hold: true exactly when the statement before locked the instance.
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
                DELETE FROM engine.bookmarks
                WHERE instance_id = $1 AND (resumed_at IS NOT NULL OR resume_at <= $2)
                  AND EXISTS (SELECT 1 FROM engine.workflow_instances i
                              WHERE i.id = $1 AND i.status NOT IN ('{InstanceStatuses.Completed}', '{InstanceStatuses.Cancelled}') FOR UPDATE SKIP LOCKED)
                RETURNING id, activity_id, kind, attempt, state::text, payload::text, created_at
                """) { Parameters = { new() { Value = id }, new() { Value = now } } });
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        LockedInstance? instance = null;
        if (await reader.ReadAsync(ct))
        {
            instance = new LockedInstance(id, reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                JsonNode.Parse(reader.GetString(4))!.AsObject(),
                JsonSerializer.Deserialize<InstanceState>(reader.GetString(5), JsonDefaults.Options)!);
        }

        var ready = new List<(DateTime Created, ReadyBookmark Bookmark)>();
        if (takeReadyAt is not null && await reader.NextResultAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ready.Add((reader.GetDateTime(6), new ReadyBookmark(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : JsonNode.Parse(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : JsonNode.Parse(reader.GetString(5)))));
            }
        }

        return (instance, ready.OrderBy(r => r.Created).Select(r => r.Bookmark).ToList());
    }

    public static async Task ClearPendingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("UPDATE engine.workflow_instances SET pending = false WHERE id = $1 AND pending", connection, tx)
        {
            Parameters = { new() { Value = id } },
        };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes the burst and returns the instance's new status.</summary>
    public static async Task<string> SaveBurstAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LockedInstance instance, Burst burst, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var b in burst.NewBookmarks)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO engine.bookmarks (id, instance_id, activity_id, kind, name, correlation_key, resume_at, state, attempt, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
                """)
            {
                Parameters =
                {
                    new() { Value = b.Id }, new() { Value = instance.Id }, new() { Value = b.ActivityId }, new() { Value = b.Kind },
                    new() { Value = b.Name }, new() { Value = (object?)b.CorrelationKey ?? DBNull.Value },
                    new() { Value = (object?)b.ResumeAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    new() { Value = (object?)b.State?.ToJsonString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = b.Attempt }, new() { Value = now },
                },
            });
        }

        foreach (var i in burst.NewIncidents)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO engine.incidents (id, instance_id, activity_id, activity_type, message, attempts, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """)
            {
                Parameters =
                {
                    new() { Value = i.Id }, new() { Value = instance.Id }, new() { Value = i.ActivityId }, new() { Value = i.ActivityType },
                    new() { Value = i.Message }, new() { Value = i.Attempts }, new() { Value = now },
                },
            });
        }

        if (burst.JournalEntries.Count > 0)
        {
            batch.BatchCommands.Add(JournalInsert(instance.Id, burst));
        }

        var stillQueued = instance.State.Queue.Count > 0;
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            UPDATE engine.workflow_instances i
            SET variables = $2::jsonb, state = $3::jsonb, pending = $4, updated_at = $5,
                status = CASE
                    WHEN EXISTS (SELECT 1 FROM engine.incidents x WHERE x.instance_id = i.id AND x.resolved_at IS NULL) THEN 'Faulted'
                    WHEN $4 THEN 'Running'
                    WHEN EXISTS (SELECT 1 FROM engine.bookmarks b WHERE b.instance_id = i.id) THEN 'Waiting'
                    ELSE 'Completed' END
            WHERE id = $1
            RETURNING status
            """)
        {
            Parameters =
            {
                new() { Value = instance.Id },
                new() { Value = instance.Variables.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = JsonSerializer.Serialize(instance.State, JsonDefaults.Options), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = stillQueued }, new() { Value = now },
            },
        });

        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            if (await reader.ReadAsync(ct) && reader.FieldCount == 1 && reader.GetName(0) == "status")
            {
                return reader.GetString(0);
            }
        }
        while (await reader.NextResultAsync(ct));

        throw new InvalidOperationException($"Instance {instance.Id} disappeared during its burst.");
    }

    private static NpgsqlBatchCommand JournalInsert(Guid instanceId, Burst burst)
    {
        var entries = burst.JournalEntries;
        return new NpgsqlBatchCommand("""
            INSERT INTO engine.journal (instance_id, burst_id, activity_id, activity_type, event, outcomes, attempt, input, output, error, started_at, duration_ms)
            SELECT $1, $2, a.activity_id, a.activity_type, a.event, string_to_array(nullif(a.outcomes, ''), ','), a.attempt, a.input::jsonb, a.output::jsonb, a.error, a.started_at, a.duration_ms
            FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::float8[])
                 WITH ORDINALITY AS a(activity_id, activity_type, event, outcomes, attempt, input, output, error, started_at, duration_ms, ord)
            ORDER BY a.ord
            """)
        {
            Parameters =
            {
                new() { Value = instanceId }, new() { Value = burst.Id },
                new() { Value = entries.Select(e => e.ActivityId).ToArray() },
                new() { Value = entries.Select(e => e.ActivityType).ToArray() },
                new() { Value = entries.Select(e => e.Event).ToArray() },
                new() { Value = entries.Select(e => e.Outcomes is null ? "" : string.Join(',', e.Outcomes)).ToArray() },
                new() { Value = entries.Select(e => e.Attempt).ToArray() },
                new() { Value = entries.Select(e => e.Input).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = entries.Select(e => e.Output).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = entries.Select(e => e.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = entries.Select(e => e.StartedAt).ToArray() },
                new() { Value = entries.Select(e => e.DurationMs).ToArray() },
            },
        };
    }
}
