using System.Text.Json.Nodes;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// Found by the chaos suite (1,000 concurrent deliveries of one order webhook to a fresh server: every answer was 500). Starting
/// an instance and running a burst read an uncached definition through a second pooled connection while holding the first
/// (and its locks). With every pooled connection held by such callers, or by duplicates waiting on their locks, nobody got a
/// second one until the pool timeout. A process with a pool of one connection shows it deterministically.
/// </summary>
public sealed class Bug_DefinitionReadTookASecondConnection_PoolStarved(TestDatabase db) : IClassFixture<TestDatabase>
{
    private string OneConnection => new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1, Timeout = 3 }.ConnectionString;

    [Fact]
    public async Task StartAndBurst_PoolOfOneConnectionAndColdDefinitionCache_Complete()
    {
        await using (var publisher = await EngineHost.StartAsync(db.ConnectionString))
        {
            await publisher.PublishAsync(Of("one-connection").Add("set", "SetVariable", new JsonObject { ["name"] = "x", ["value"] = 1 }).Then("start", "set").Build());
        }

        Guid id;
        await using (var starter = await EngineHost.StartAsync(OneConnection))
        {
            id = await starter.StartInstanceAsync("one-connection");
        }

        await using var runner = await EngineHost.StartAsync(OneConnection);
        Assert.Equal(2, await runner.Runner.RunAsync(id));
        Assert.Equal(InstanceStatuses.Completed, (await runner.GetAsync(id)).Status);
    }
}
