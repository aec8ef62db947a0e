using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

/// <summary>
/// Found by the deterministic simulation: the execution counter (part of <c>IdempotencyKey</c>) rose on every durable retry
/// and ops retry, so a supplier call that committed and then lost its answer was retried under a new key and placed twice.
/// </summary>
public sealed class Bug_RetryChangedIdempotencyKey_PlacedTwice(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task IdempotencyKey_DurableRetryAndOpsRetry_StayTheSame()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString, configure: s => s.AddActivity<KeyRecordingActivity>());
        await host.PublishAsync(Of("key-retry").Add("call", "Test.RecordKey", new JsonObject { ["failTimes"] = 2 }).Then("start", "call").Build());
        var id = await host.StartInstanceAsync("key-retry");

        await host.RunUntilIdleAsync(id);
        host.Clock.Advance(TimeSpan.FromSeconds(15));
        await host.RunUntilIdleAsync(id);
        var incident = Assert.Single((await host.GetAsync(id)).Incidents);
        await host.Services.GetRequiredService<InstanceOperations>().RetryIncidentAsync(incident.Id, "ops:test");
        await host.RunUntilIdleAsync(id);

        Assert.Equal(InstanceStatuses.Completed, (await host.GetAsync(id)).Status);
        var keys = KeyRecordingActivity.Keys[id].ToList();
        Assert.Equal(3, keys.Count);
        Assert.Single(keys.Distinct());
    }

    [Fact]
    public async Task IdempotencyKey_ActivityReachedAgainInALoop_Changes()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString, configure: s => s.AddActivity<KeyRecordingActivity>());
        await host.PublishAsync(Of("key-loop")
            .Add("call", "Test.RecordKey")
            .Add("count", "SetVariable", new JsonObject { ["name"] = "n", ["value"] = Js("(variables.n ?? 0) + 1") })
            .Add("again", "If", new JsonObject { ["condition"] = Js("variables.n < 2") })
            .Then("start", "call").Then("call", "count").Then("count", "again").Connect("again", "True", "call").Build());
        var id = await host.StartInstanceAsync("key-loop");

        await host.RunUntilIdleAsync(id);

        var keys = KeyRecordingActivity.Keys[id].ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(2, keys.Distinct().Count());
    }
}
