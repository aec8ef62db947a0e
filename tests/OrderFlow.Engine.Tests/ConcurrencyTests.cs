using System.Text.Json.Nodes;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

public sealed class ConcurrencyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Burst_TwoHostsOnOneDatabaseRunSameInstance_ExecutesEachActivityOnce()
    {
        await using var first = await EngineHost.StartAsync(db.ConnectionString);
        await using var second = await EngineHost.StartAsync(db.ConnectionString);
        await first.PublishAsync(Of("two-hosts")
            .Add("slow1", "Test.Slow").Add("slow2", "Test.Slow")
            .Add("mark", "SetVariable", new JsonObject { ["name"] = "done", ["value"] = true })
            .Then("start", "slow1").Then("slow1", "slow2").Then("slow2", "mark").Build());
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await first.StartInstanceAsync("two-hosts"));
        }

        var bursts = ids.SelectMany(id => new[] { first.Runner.RunAsync(id), second.Runner.RunAsync(id), second.Runner.RunAsync(id) });
        var executed = await Task.WhenAll(bursts);

        Assert.Equal(5 * 4, executed.Sum());
        foreach (var id in ids)
        {
            var journal = await first.JournalAsync(id);
            Assert.Equal(1, journal.Count(e => e.ActivityId == "slow1"));
            Assert.Equal(1, journal.Count(e => e.ActivityId == "mark"));
            Assert.Single(journal.Select(e => e.BurstId).Distinct());
            Assert.Equal(2, SlowActivity.Executions[id]);
            Assert.Equal(InstanceStatuses.Completed, (await second.GetAsync(id)).Status);
        }
    }
}
