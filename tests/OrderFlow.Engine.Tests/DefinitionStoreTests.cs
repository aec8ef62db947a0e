using Microsoft.Extensions.Time.Testing;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

public sealed class DefinitionStoreTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static WorkflowDefinition Versioned(string value) =>
        Of("versioned").Add("set", "SetVariable", new JsonObject { ["name"] = "v", ["value"] = value }).Then("start", "set").Build();

    [Fact]
    public async Task Publish_SameContentTwice_KeepsOneVersion_ChangedContentAddsVersion()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        var store = host.Services.GetRequiredService<DefinitionStore>();

        var v1 = await store.PublishAsync(Versioned("one"), "test");
        var again = await store.PublishAsync(Versioned("one"), "test");
        var v2 = await store.PublishAsync(Versioned("two"), "test");

        Assert.Equal((1, true), (v1.Version, v1.Created));
        Assert.Equal((1, false), (again.Version, again.Created));
        Assert.Equal((2, true), (v2.Version, v2.Created));
        Assert.Equal([2, 1], (await store.ListVersionsAsync("versioned")).Select(v => v.Version));
    }

    [Fact]
    public async Task Start_VersionPublishedByAnotherProcess_UsedWithinTheCacheTimeAndAtOnceWhereItWasPublished()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        await using var here = await EngineHost.StartAsync(db.ConnectionString, clock);
        await using var elsewhere = await EngineHost.StartAsync(db.ConnectionString, clock);
        await here.PublishAsync(Versioned("cached-1") with { Id = "cached" });
        Assert.Equal(1, (await here.GetAsync(await here.StartInstanceAsync("cached"))).DefinitionVersion);

        await elsewhere.PublishAsync(Versioned("cached-2") with { Id = "cached" });
        var stale = await here.GetAsync(await here.StartInstanceAsync("cached"));
        var local = await elsewhere.GetAsync(await elsewhere.StartInstanceAsync("cached"));
        clock.Advance(DefinitionStore.LatestVersionCacheTime);
        var fresh = await here.GetAsync(await here.StartInstanceAsync("cached"));

        Assert.Equal((1, 2, 2), (stale.DefinitionVersion, local.DefinitionVersion, fresh.DefinitionVersion));
    }

    [Fact]
    public async Task Instance_NewVersionPublishedWhileWaiting_StaysOnItsVersion()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("pinned").Add("wait", "Delay", new JsonObject { ["seconds"] = 10 })
            .Add("set", "SetVariable", new JsonObject { ["name"] = "v", ["value"] = "old" }).Then("start", "wait").Then("wait", "set").Build());
        var id = await host.StartInstanceAsync("pinned");
        await host.RunUntilIdleAsync(id);

        await host.PublishAsync(Of("pinned").Add("wait", "Delay", new JsonObject { ["seconds"] = 10 })
            .Add("set", "SetVariable", new JsonObject { ["name"] = "v", ["value"] = "new" }).Then("start", "wait").Then("wait", "set").Build());
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.RunUntilIdleAsync(id);

        var instance = await host.GetAsync(id);
        Assert.Equal(1, instance.DefinitionVersion);
        Assert.Equal("old", instance.Variables!["v"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_InvalidDefinition_RefusedWithErrorsAndDraftKept()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        var store = host.Services.GetRequiredService<DefinitionStore>();
        var broken = Of("broken").Add("check", "If").Then("start", "check").Build();

        var draftErrors = await store.SaveDraftAsync(broken, "test");
        var result = await store.PublishAsync(broken, "test");

        Assert.Contains(draftErrors, e => e.Path == "activities[1].inputs.condition");
        Assert.Null(result.Version);
        Assert.NotNull(await store.GetDraftAsync("broken"));
        Assert.Empty(await store.ListVersionsAsync("broken"));
    }
}
