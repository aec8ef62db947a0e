using System.Text.Json.Nodes;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// A failing activity's writes are undone and the rest of its burst is kept: each activity runs under a savepoint, the
/// previous one released in the same round trip as the next one's creation, the last one by the commit.
/// </summary>
public sealed class SavepointTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static async Task<EngineHost> StartAsync(string connectionString)
    {
        var host = await EngineHost.StartAsync(connectionString, configure: s => s.AddActivity<WritingActivity>());
        await using var create = host.DataSource.CreateCommand($"CREATE TABLE IF NOT EXISTS {WritingActivity.Table} (instance_id uuid NOT NULL, key text NOT NULL)");
        await create.ExecuteNonQueryAsync();
        return host;
    }

    private static JsonObject Write(string key, bool fail = false) => new() { ["key"] = key, ["fail"] = fail };

    private static async Task<List<string>> WrittenAsync(EngineHost host, Guid id)
    {
        await using var command = host.DataSource.CreateCommand($"SELECT key FROM {WritingActivity.Table} WHERE instance_id = $1 ORDER BY key");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    [Fact]
    public async Task FailingActivity_AfterAnotherInTheSameBurst_OnlyItsOwnWritesAreUndone()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("savepoint-chain")
            .Add("first", "Test.Write", Write("first"))
            .Add("second", "Test.Write", Write("second"))
            .Add("broken", "Test.Write", Write("broken", fail: true))
            .Add("never", "Test.Write", Write("never"))
            .Then("start", "first").Then("first", "second").Then("second", "broken").Then("broken", "never").Build());
        var id = await host.StartInstanceAsync("savepoint-chain");

        await host.RunUntilIdleAsync(id);

        // The burst committed although PostgreSQL had aborted its transaction inside "broken".
        Assert.Equal(["first", "second"], await WrittenAsync(host, id));
        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Faulted, instance.Status);
        Assert.Contains("division by zero", instance.Incidents.Single().Message);
        var journal = await host.JournalAsync(id);
        Assert.Equal(["first", "second"], journal.Where(e => e.Event == JournalEvents.Completed && e.ActivityType == "Test.Write").Select(e => e.ActivityId));
        Assert.Single(journal, e => e.ActivityId == "broken" && e.Event == JournalEvents.Faulted);
    }

    [Fact]
    public async Task ActivityAfterARolledBackOne_InTheSameBurst_KeepsItsWrites()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("savepoint-after-failure")
            .Add("fork", "Fork", new JsonObject { ["branches"] = new JsonArray("A", "B") })
            .Add("broken", "Test.Write", Write("broken", fail: true))
            .Add("after", "Test.Write", Write("after"))
            .Then("start", "fork").Connect("fork", "A", "broken").Connect("fork", "B", "after").Build());
        var id = await host.StartInstanceAsync("savepoint-after-failure");

        await host.RunUntilIdleAsync(id);

        var journal = await host.JournalAsync(id);
        var brokenAt = journal.ToList().FindIndex(e => e.ActivityId == "broken" && e.Event == JournalEvents.Faulted);
        var afterAt = journal.ToList().FindIndex(e => e.ActivityId == "after" && e.Event == JournalEvents.Completed);
        Assert.True(brokenAt >= 0 && afterAt > brokenAt, "the failing branch runs first, in the same burst");
        Assert.Equal(["after"], await WrittenAsync(host, id));
    }
}
