using Npgsql;
using OrderFlow.Engine.Persistence;
using OrderFlow.Testing;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// Migrations run once each, under a lock several processes share. One marked to run outside a transaction builds its
/// indexes <c>CONCURRENTLY</c>: writers of the table go on while it builds (a plain build holds them all off, which with
/// millions of rows stored stops every order in flight), a build that fails half-way is run again from the top at the
/// next start, and a second process starting meanwhile waits without deadlocking the build.
/// </summary>
public sealed class MigratorTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static MigrationScript Table(string table) =>
        new("0001_table.sql", $"CREATE TABLE public.{table} (id int PRIMARY KEY, v int NOT NULL); INSERT INTO public.{table} SELECT i, i % 10 FROM generate_series(1, 1000) i;");

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<bool> RecordedAsync(string module, string name) =>
        ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM public.orderflow_migrations WHERE module = $1 AND name = $2)", module, name);

    /// <summary>Null if the index does not exist, else whether it is valid.</summary>
    private async Task<bool?> IndexValidAsync(string index)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = index });
        return await command.ExecuteScalarAsync() as bool?;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task IndexBuild_WhileATransactionHoldsTheTable_OtherWritersBlockedOnlyByAPlainBuild(bool inTransaction, bool writersBlocked)
    {
        var table = inTransaction ? "plain_build" : "concurrent_build";
        var module = "test-" + table;
        await SqlMigrator.RunAsync(db.DataSource, module, [Table(table)]);

        // A writer in the middle of its transaction, as an order's burst is while a server starts beside it.
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var held = await holder.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO public.{table} VALUES (-1, 1)", holder, held))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var build = new MigrationScript("0002_index.sql", inTransaction
            ? $"CREATE INDEX {table}_v ON public.{table} (v);"
            : $"{MigrationScript.NoTransactionMarker}\nDROP INDEX CONCURRENTLY IF EXISTS public.{table}_v;\nCREATE INDEX CONCURRENTLY {table}_v ON public.{table} (v);\n");
        var migrating = SqlMigrator.RunAsync(db.DataSource, module, [Table(table), build]);
        await Poll.UntilAsync(() => ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX%' AND wait_event_type = 'Lock')"),
            "the index build waits for the open transaction");

        // Another writer: it waits behind a plain build's lock, and goes through beside a concurrent one.
        await using var writer = await db.DataSource.OpenConnectionAsync();
        await using var write = new NpgsqlCommand($"INSERT INTO public.{table} VALUES (-2, 2)", writer) { CommandTimeout = 30 };
        var wrote = write.ExecuteNonQueryAsync();
        if (writersBlocked)
        {
            Assert.NotSame(wrote, await Task.WhenAny(wrote, Task.Delay(TimeSpan.FromSeconds(2))));
        }
        else
        {
            // Done while the build still waits for the open transaction (however slow the machine is today).
            await wrote.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(migrating.IsCompleted);
        }

        await held.CommitAsync();
        await wrote;
        await migrating.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await IndexValidAsync($"{table}_v"));
        Assert.True(await RecordedAsync(module, "0002_index.sql"));
        Assert.Equal(1002L, await ScalarAsync<long>($"SELECT count(*) FROM public.{table}"));
    }

    [Fact]
    public async Task NoTransactionMigration_FailsHalfWay_NotRecordedAndRunAgainFromTheTopAtTheNextStart()
    {
        const string module = "test-half-way";
        await SqlMigrator.RunAsync(db.DataSource, module, [Table("half_way")]);
        var build = new MigrationScript("0002_indexes.sql", $"""
            {MigrationScript.NoTransactionMarker}
            -- A comment; the split is on a ; at the end of a line.
            DROP INDEX CONCURRENTLY IF EXISTS public.half_way_v;
            CREATE INDEX CONCURRENTLY half_way_v ON public.half_way (v);
            DROP INDEX CONCURRENTLY IF EXISTS public.half_way_v_unique;
            CREATE UNIQUE INDEX CONCURRENTLY half_way_v_unique
                ON public.half_way (v);
            """);

        // v repeats, so the unique build fails and leaves its index behind, invalid.
        var failure = await Assert.ThrowsAsync<PostgresException>(() => SqlMigrator.RunAsync(db.DataSource, module, [Table("half_way"), build]));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.False(await RecordedAsync(module, "0002_indexes.sql"));
        Assert.True(await IndexValidAsync("half_way_v"));
        Assert.False(await IndexValidAsync("half_way_v_unique"));

        await using (var fix = db.DataSource.CreateCommand("DELETE FROM public.half_way WHERE id > 10"))
        {
            await fix.ExecuteNonQueryAsync();
        }

        await SqlMigrator.RunAsync(db.DataSource, module, [Table("half_way"), build]);
        Assert.True(await RecordedAsync(module, "0002_indexes.sql"));
        Assert.True(await IndexValidAsync("half_way_v"));
        Assert.True(await IndexValidAsync("half_way_v_unique"));
    }

    [Fact]
    public async Task SecondProcess_StartsWhileAConcurrentBuildRuns_WaitsAndBothFinish()
    {
        const string module = "test-two-processes";
        var scripts = new[]
        {
            Table("two_processes"),
            new MigrationScript("0002_index.sql", $"""
                {MigrationScript.NoTransactionMarker}
                SELECT pg_sleep(1.5);
                CREATE INDEX CONCURRENTLY IF NOT EXISTS two_processes_v ON public.two_processes (v);
                """),
        };
        // Separate pools, as two processes would have.
        await using var first = NpgsqlDataSource.Create(db.ConnectionString);
        await using var second = NpgsqlDataSource.Create(db.ConnectionString);

        var one = SqlMigrator.RunAsync(first, module, scripts);
        await Poll.UntilAsync(() => ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%')"),
            "the first process migrates");
        var two = SqlMigrator.RunAsync(second, module, scripts);

        // Waiting for the lock inside a statement would hold a snapshot the concurrent build waits for: a deadlock.
        await Task.WhenAll(one, two).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await IndexValidAsync("two_processes_v"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM public.orderflow_migrations WHERE module = $1", module));
    }

    [Fact]
    public void Statements_SplitAtTheEndOfALine_CommentsOut()
    {
        var script = new MigrationScript("0001_x.sql", $"""
            {MigrationScript.NoTransactionMarker}
            -- first; not a statement
            CREATE INDEX CONCURRENTLY a ON t (x); -- why
            CREATE INDEX CONCURRENTLY b
                ON t (y) WHERE y = ';'   ;
            """);

        Assert.False(script.InTransaction);
        Assert.Equal(["CREATE INDEX CONCURRENTLY a ON t (x)", "CREATE INDEX CONCURRENTLY b\n    ON t (y) WHERE y = ';'"], script.Statements());
        Assert.True(new MigrationScript("0001_y.sql", "CREATE TABLE t (x int);").InTransaction);
    }

    [Fact]
    public void Statements_DollarQuotedText_RejectedWithTheMigrationNamed()
    {
        var script = new MigrationScript("0003_function.sql", $"{MigrationScript.NoTransactionMarker}\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;");

        var error = Assert.Throws<InvalidOperationException>(() => script.Statements());
        Assert.Contains("0003_function.sql", error.Message);
    }
}
