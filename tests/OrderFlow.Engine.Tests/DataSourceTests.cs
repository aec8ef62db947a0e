using Npgsql;
using OrderFlow.Engine.Persistence;
using OrderFlow.Testing;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// The data source OrderFlow runs on prepares its repeated statements, and keeps them across the pool's open and close
/// (the setting was once silently not applied, and every statement was parsed and planned on every call). It does not
/// reset connections going back to the pool, so session state is given back by whoever took it.
/// </summary>
public sealed class DataSourceTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task CreateDataSource_StatementRunTwice_PreparedAndStillPreparedAfterThePoolTookItBack()
    {
        await using var dataSource = EngineServiceCollectionExtensions.CreateDataSource(
            new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);

        var prepared = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using (var statement = new NpgsqlCommand("SELECT $1::int + 1", connection) { Parameters = { new() { Value = i } } })
            {
                await statement.ExecuteScalarAsync();
            }

            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'", connection);
            prepared.Add((long)(await count.ExecuteScalarAsync())!);
        }

        Assert.Equal([0L, 1L, 1L], prepared);
    }

    [Fact]
    public async Task CreateDataSource_ConnectionStringTurnsItOff_NothingPrepared()
    {
        await using var dataSource = EngineServiceCollectionExtensions.CreateDataSource(db.ConnectionString + ";Max Auto Prepare=0");

        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await using var statement = new NpgsqlCommand("SELECT $1::int + 2", connection) { Parameters = { new() { Value = i } } };
            await statement.ExecuteScalarAsync();
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task SingleRun_Released_PooledConnectionReusedWithoutTheLock()
    {
        await using var dataSource = EngineServiceCollectionExtensions.CreateDataSource(
            new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);

        int backend;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            backend = first.ProcessID;
            await using var mark = new NpgsqlCommand("SET application_name = 'not-reset'", first);
            await mark.ExecuteNonQueryAsync();
        }

        var held = await SingleRun.TryAcquireAsync(dataSource, "data-source-test", default);
        Assert.NotNull(held);
        Assert.Null(await SingleRun.TryAcquireAsync(db.DataSource, "data-source-test", default));
        await held.DisposeAsync();

        // The pool's one connection comes back as it was lent out (not reset), but without the lock.
        await using (var reused = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(backend, reused.ProcessID);
            await using var name = new NpgsqlCommand("SHOW application_name", reused);
            Assert.Equal("not-reset", (string)(await name.ExecuteScalarAsync())!);
            await using var locks = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'", reused);
            Assert.Equal(0L, (long)(await locks.ExecuteScalarAsync())!);
        }

        var again = await SingleRun.TryAcquireAsync(db.DataSource, "data-source-test", default);
        Assert.NotNull(again);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task GiveBack_Fails_ConnectionNotReusedSoItsLockEndsWithIt()
    {
        await using var dataSource = EngineServiceCollectionExtensions.CreateDataSource(
            new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        int first;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            first = connection.ProcessID;
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(4242)", connection);
            await take.ExecuteNonQueryAsync();
            await Assert.ThrowsAsync<PostgresException>(() => SessionState.GiveBackAsync(connection, "SELECT no_such_unlock(4242)"));
        }

        await using (var next = await dataSource.OpenConnectionAsync())
        {
            Assert.NotEqual(first, next.ProcessID);
        }

        // The first backend has gone (the pool closed its connection), and its session lock with it.
        var free = false;
        for (var i = 0; i < 100 && !free; i++)
        {
            await using var probe = db.DataSource.CreateCommand("SELECT pg_try_advisory_lock(4242)");
            free = (bool)(await probe.ExecuteScalarAsync())!;
            if (!free)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(free);
    }
}
