using Npgsql;
using OrderFlow.Testing;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// The data source OrderFlow runs on prepares its repeated statements, and keeps them across the pool's open and close
/// (the setting was once silently not applied, and every statement was parsed and planned on every call).
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
}
