using Npgsql;

namespace OrderFlow.Bench;

/// <summary>
/// The bench's database: created afresh per growth level, and read for the cost counters. Counters are read through the
/// admin connection (database <c>postgres</c>), so reading them costs the measured database nothing; the completion polls
/// that do run in it are counted and subtracted.
/// </summary>
public sealed class BenchDatabase(BenchOptions options)
{
    private readonly string _admin = options.PostgresAdmin;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = options.Database, MaxPoolSize = 100 }.ConnectionString;

    /// <summary>Transactions the bench itself ran in the measured database (completion polls), to subtract from the counters.</summary>
    public long OwnTransactions => Interlocked.Read(ref _ownTransactions);
    private long _ownTransactions;

    public bool HasStatements { get; private set; }

    /// <summary>The copy of a database seeded with <paramref name="orders"/> stored orders that later runs start from.</summary>
    private string SeededName(int orders) => $"{options.Database}_seeded_{orders}";

    /// <summary>
    /// Drops and creates the bench database: a copy of the one an earlier run seeded with <paramref name="seeded"/> orders
    /// when there is one of the current seeder (returns true), else empty. Migrations added since then run on the copy when
    /// the server starts, as they would on a production database.
    /// </summary>
    public async Task<bool> RecreateAsync(int seeded = 0, bool fresh = false)
    {
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await Exec(admin, $"DROP DATABASE IF EXISTS \"{options.Database}\" WITH (FORCE)");
        var template = seeded > 0 && !fresh ? await SeededCopyAsync(admin, seeded) : null;
        await Exec(admin, template is null ? $"CREATE DATABASE \"{options.Database}\"" : $"CREATE DATABASE \"{options.Database}\" TEMPLATE \"{template}\"", 0);
        // The drop ended the pooled connections of the previous level's database; never hand one of those out again.
        NpgsqlConnection.ClearAllPools();
        try
        {
            // The view lives where the extension is created; it shows every database's statements (filtered by dbid).
            await Exec(admin, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await Exec(admin, "SELECT pg_stat_statements_reset()");
            HasStatements = true;
        }
        catch (PostgresException)
        {
            // Not preloaded in this cluster: statements are not counted, transactions still are.
            HasStatements = false;
        }

        return template is not null;
    }

    /// <summary>Keeps a copy of the bench database as seeded (no server may be connected to it), for later runs.</summary>
    public async Task SaveSeededAsync(int orders)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        var name = SeededName(orders);
        await Exec(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await Exec(admin, $"CREATE DATABASE \"{name}\" TEMPLATE \"{options.Database}\"", 0);
        await Exec(admin, $"COMMENT ON DATABASE \"{name}\" IS '{Seeder.Version}'");
    }

    private async Task<string?> SeededCopyAsync(NpgsqlConnection admin, int orders)
    {
        await using var command = new NpgsqlCommand(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = SeededName(orders) } } };
        // A copy made by another version of the seeder holds other data: seed again.
        return await command.ExecuteScalarAsync() is string version && version == Seeder.Version ? SeededName(orders) : null;
    }

    public async Task<Counters> ReadCountersAsync()
    {
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(HasStatements
            ? """
              SELECT d.xact_commit, d.xact_rollback,
                     (SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s WHERE s.dbid = d.datid),
                     (SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s WHERE s.dbid = d.datid
                        AND s.query !~* '^\s*(begin|commit|rollback|savepoint|release|start transaction)'),
                     w.records, w.bytes, w.buffers
              FROM pg_stat_database d,
                   LATERAL (SELECT coalesce(sum(s.wal_records), 0)::bigint AS records, coalesce(sum(s.wal_bytes), 0)::bigint AS bytes,
                                   coalesce(sum(s.shared_blks_hit + s.shared_blks_read), 0)::bigint AS buffers
                            FROM pg_stat_statements s WHERE s.dbid = d.datid AND strpos(s.query, $2) = 0) w
              WHERE d.datname = $1
              """
            : "SELECT xact_commit, xact_rollback, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint FROM pg_stat_database WHERE datname = $1 AND $2 <> ''", admin)
        {
            Parameters = { new() { Value = options.Database }, new() { Value = CompletionPollTag } },
        };
        // The statistics snapshot is per transaction: a fresh connection reads fresh numbers.
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), OwnTransactions)
        {
            WalRecords = reader.GetInt64(4), WalBytes = reader.GetInt64(5), Buffers = reader.GetInt64(6),
        };
    }

    /// <summary>
    /// Which of <paramref name="ids"/> are complete: delivered, and every storefront webhook and e-mail of the order sent.
    /// </summary>
    /// <remarks>
    /// The checks are scalar subqueries, one probe of an index per order and check, the later checks only for orders
    /// already delivered (EXISTS would be pulled up into semi- and anti-joins, the planner's free choice); with joins, the planner took 1,500 ids for many rows and answered with parallel
    /// sequential scans of the deliveries and notifications, ~100 ms per poll and a sixth of a core of the cluster whose
    /// CPU the bench charges to the orders (2026-11-30 18:31). Prepared, so the plan is not made again every poll.
    /// </remarks>
    public async Task<List<Guid>> CompletedAsync(NpgsqlConnection connection, Guid[] ids)
    {
        Interlocked.Increment(ref _ownTransactions);
        await using var command = new NpgsqlCommand($"""
            SELECT /* {CompletionPollTag} */ x.id FROM unnest($1::uuid[]) AS x(id)
            WHERE (SELECT o.status FROM fulfillment.orders o WHERE o.id = x.id) = 'delivered'
              AND (SELECT count(*) FROM fulfillment.notifications n WHERE n.order_id = x.id AND n.template = 'delivered') > 0
              AND (SELECT count(*) FROM fulfillment.notifications n WHERE n.order_id = x.id AND n.status <> 'sent') = 0
              AND (SELECT count(*) FROM fulfillment.webhook_deliveries d WHERE d.order_id = x.id AND d.status <> 'delivered') = 0
            """, connection)
        {
            Parameters = { new() { Value = ids } },
        };
        await command.PrepareAsync();
        var done = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            done.Add(reader.GetGuid(0));
        }

        return done;
    }

    /// <summary>
    /// A comment in the completion poll's text (pg_stat_statements keeps comments, where it replaces constants), so its cost
    /// can be found in, and kept out of, the statement profile.
    /// </summary>
    private const string CompletionPollTag = "bench completion poll";

    /// <summary>Execution time of the bench's own completion polls since the statements were last reset.</summary>
    public async Task<(long Calls, double ExecMs)> CompletionPollCostAsync()
    {
        if (!HasStatements)
        {
            return (0, 0);
        }

        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(sum(s.calls), 0)::bigint, coalesce(sum(s.total_exec_time), 0)
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = $1 AND strpos(s.query, $2) > 0
            """, admin)
        {
            Parameters = { new() { Value = options.Database }, new() { Value = CompletionPollTag } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    /// <summary>
    /// Where the background work stands: the last status event recorded (every workflow step that moves an order records
    /// one) and the orders still waiting in the intake inbox. Read before and after the latency run, it shows what the
    /// engine got done behind the acknowledgements and what it left for after the surge.
    /// </summary>
    public async Task<(long LastEvent, long Inbox)> BackgroundAsync()
    {
        Interlocked.Increment(ref _ownTransactions);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT coalesce(max(position), 0) FROM fulfillment.order_events),
                   (SELECT count(*) FROM fulfillment.intake_events WHERE payload IS NOT NULL)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The cluster's CPU meter, when the bench runs on the database's machine (null otherwise).</summary>
    public async Task<PostgresCpu?> CpuMeterAsync()
    {
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", admin);
        return await command.ExecuteScalarAsync() is string directory ? PostgresCpu.For(directory) : null;
    }

    /// <summary>Forgets the statement statistics so far (the seeding's), so the profile shows the run.</summary>
    public async Task ResetStatementsAsync()
    {
        if (HasStatements)
        {
            await using var admin = new NpgsqlConnection(_admin);
            await admin.OpenAsync();
            await Exec(admin, "SELECT pg_stat_statements_reset()");
        }
    }

    /// <summary>
    /// The statements the bench database spent most execution time on since the last reset. The JSON keeps this many, with
    /// their first 400 characters; the Markdown shows the first <see cref="BenchReport.StatementsShown"/>, shortened.
    /// </summary>
    public async Task<List<StatementCost>> TopStatementsAsync(int count = 40)
    {
        var top = new List<StatementCost>();
        if (!HasStatements)
        {
            return top;
        }

        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT s.calls, s.total_exec_time, s.rows, regexp_replace(s.query, '\s+', ' ', 'g'), s.wal_records, s.shared_blks_hit + s.shared_blks_read
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = $1 AND strpos(s.query, $3) = 0
            ORDER BY s.total_exec_time DESC LIMIT $2
            """, admin)
        {
            Parameters = { new() { Value = options.Database }, new() { Value = count }, new() { Value = CompletionPollTag } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var query = reader.GetString(3);
            top.Add(new StatementCost(reader.GetInt64(0), reader.GetDouble(1), reader.GetInt64(2), query.Length > 400 ? query[..400] + "…" : query)
            {
                WalRecords = reader.GetInt64(4), Buffers = reader.GetInt64(5),
            });
        }

        return top;
    }

    public async Task<string> DescribeServerAsync()
    {
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT version(), current_setting('shared_buffers'), current_setting('synchronous_commit'), current_setting('fsync'),
                   current_setting('wal_level'), current_setting('max_connections')
            """, admin);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{reader.GetString(0).Split(" on ")[0]}; shared_buffers {reader.GetString(1)}, synchronous_commit {reader.GetString(2)}, " +
               $"fsync {reader.GetString(3)}, wal_level {reader.GetString(4)}, max_connections {reader.GetString(5)}" +
               (HugePages.DescribeMachine() is { Length: > 0 } huge ? $"; {huge}" : "");
    }

    public static async Task Exec(NpgsqlConnection connection, string sql, int timeoutSeconds = 30)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>One statement's share of the database's time: calls, execution milliseconds and rows, all since the reset.</summary>
public sealed record StatementCost(long Calls, double ExecMs, long Rows, string Query)
{
    /// <summary>WAL records written and shared buffers touched (hit or read), over all calls.</summary>
    public long? WalRecords { get; init; }
    public long? Buffers { get; init; }
}

/// <summary>Cumulative counters of the measured database at one moment.</summary>
public sealed record Counters(long Commits, long Rollbacks, long Statements, long StatementsWithoutTxControl, long Own)
{
    /// <summary>
    /// What the statements wrote to the WAL and the shared buffers they touched (hit or read), from pg_stat_statements, the
    /// bench's completion poll left out: the work PostgreSQL did, in units that do not move with the host's speed.
    /// </summary>
    public long WalRecords { get; init; }
    public long WalBytes { get; init; }
    public long Buffers { get; init; }

    public Counters Minus(Counters earlier) => new(Commits - earlier.Commits, Rollbacks - earlier.Rollbacks,
        Statements - earlier.Statements, StatementsWithoutTxControl - earlier.StatementsWithoutTxControl, Own - earlier.Own)
    {
        WalRecords = WalRecords - earlier.WalRecords, WalBytes = WalBytes - earlier.WalBytes, Buffers = Buffers - earlier.Buffers,
    };
}

/// <summary>What the idle server and database do per second (sweeps, polls, timers): the floor under the run's counters.</summary>
public sealed record IdleRates(double Commits, double Statements, double StatementsWithoutTxControl, double WalRecords, double WalBytes,
    double Buffers, double ServerCpuMs, double PostgresCpuMs)
{
    /// <summary>The rates of one idle slice of <paramref name="seconds"/>: its counters' differences and the CPU spent in it.</summary>
    public static IdleRates Of(Counters slice, double serverCpuMs, double postgresCpuMs, double seconds) => new(
        slice.Commits / seconds, slice.Statements / seconds, slice.StatementsWithoutTxControl / seconds, slice.WalRecords / seconds,
        slice.WalBytes / seconds, slice.Buffers / seconds, serverCpuMs / seconds, postgresCpuMs / seconds);

    /// <summary>
    /// Each rate at its lowest over <paramref name="slices"/>, measure by measure: a slice in which autovacuum (work the orders
    /// caused) or a sweep ran must not be taken for the floor and subtracted over the whole run.
    /// </summary>
    public static IdleRates Lowest(IReadOnlyCollection<IdleRates> slices)
    {
        if (slices.Count == 0)
        {
            throw new ArgumentException("At least one idle slice is needed.", nameof(slices));
        }

        return new(slices.Min(s => s.Commits), slices.Min(s => s.Statements), slices.Min(s => s.StatementsWithoutTxControl),
            slices.Min(s => s.WalRecords), slices.Min(s => s.WalBytes), slices.Min(s => s.Buffers), slices.Min(s => s.ServerCpuMs),
            slices.Min(s => s.PostgresCpuMs));
    }
}

public static class Marginal
{
    /// <summary>
    /// The marginal cost per order: <paramref name="total"/> over a run of <paramref name="seconds"/>, less the idle rate over
    /// the same time, divided by the <paramref name="orders"/> completed; never below zero, null when no order completed.
    /// </summary>
    public static double? PerOrder(double total, double idlePerSecond, double seconds, int orders) =>
        orders > 0 ? Math.Max(0, total - idlePerSecond * seconds) / orders : null;
}
