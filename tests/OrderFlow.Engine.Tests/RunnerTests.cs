using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

public sealed class RunnerTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task If_ConditionExpressionTrue_FollowsTrueOnly()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("if-flow")
            .Add("check", "If", new JsonObject { ["condition"] = Js("variables.total > 100") })
            .Add("big", "SetVariable", new JsonObject { ["name"] = "size", ["value"] = "big" })
            .Add("small", "SetVariable", new JsonObject { ["name"] = "size", ["value"] = "small" })
            .Then("start", "check").Connect("check", "True", "big").Connect("check", "False", "small").Build());

        var id = await host.StartInstanceAsync("if-flow", new JsonObject { ["total"] = 250 });
        await host.RunUntilIdleAsync(id);

        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Completed, instance.Status);
        Assert.Equal("big", instance.Variables!["size"]!.GetValue<string>());
        var journal = await host.JournalAsync(id);
        Assert.DoesNotContain(journal, e => e.ActivityId == "small");
        Assert.Equal(["True"], journal.Single(e => e.ActivityId == "check").Outcomes!);
    }

    [Fact]
    public async Task Switch_SecondCaseMatches_FollowsItsOutcome()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        var cases = new JsonArray(
            new JsonObject { ["name"] = "EU", ["condition"] = Js("['DE','FR'].includes(variables.country)") },
            new JsonObject { ["name"] = "UK", ["condition"] = Js("variables.country === 'GB'") });
        await host.PublishAsync(Of("switch-flow")
            .Add("route", "Switch", new JsonObject { ["cases"] = cases })
            .Add("uk", "SetVariable", new JsonObject { ["name"] = "went", ["value"] = "uk" })
            .Add("other", "SetVariable", new JsonObject { ["name"] = "went", ["value"] = "other" })
            .Then("start", "route").Connect("route", "UK", "uk").Connect("route", "Default", "other").Build());

        var id = await host.StartInstanceAsync("switch-flow", new JsonObject { ["country"] = "GB" });
        await host.RunUntilIdleAsync(id);

        Assert.Equal("uk", (await host.GetAsync(id)).Variables!["went"]!.GetValue<string>());
    }

    [Fact]
    public async Task ForkJoin_TwoBranches_JoinFiresOnceAfterBoth()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("fork-flow")
            .Add("fork", "Fork", new JsonObject { ["branches"] = new JsonArray("A", "B") })
            .Add("a", "SetVariable", new JsonObject { ["name"] = "a", ["value"] = 1 })
            .Add("b", "SetVariable", new JsonObject { ["name"] = "b", ["value"] = 2 })
            .Add("join", "Join")
            .Add("sum", "SetVariable", new JsonObject { ["name"] = "sum", ["value"] = Js("variables.a + variables.b") })
            .Then("start", "fork").Connect("fork", "A", "a").Connect("fork", "B", "b")
            .Then("a", "join").Then("b", "join").Then("join", "sum").Build());

        var id = await host.StartInstanceAsync("fork-flow");
        await host.RunUntilIdleAsync(id);

        var journal = await host.JournalAsync(id);
        Assert.Single(journal, e => e.ActivityId == "join" && e.Event == JournalEvents.Completed);
        Assert.Single(journal, e => e.ActivityId == "join" && e.Event == JournalEvents.Absorbed);
        Assert.Equal(3, (await host.GetAsync(id)).Variables!["sum"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delay_BeforeDue_WaitsAndAfterDue_Completes()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("delay-flow").Add("wait", "Delay", new JsonObject { ["seconds"] = 60 }).Add("end", "End")
            .Then("start", "wait").Then("wait", "end").Build());

        var id = await host.StartInstanceAsync("delay-flow");
        await host.RunUntilIdleAsync(id);
        Assert.Equal(InstanceStatuses.Waiting, (await host.GetAsync(id)).Status);
        Assert.Contains(host.Dispatcher.Scheduled, s => s.Id == id && s.At == host.Clock.GetUtcNow().AddSeconds(60));

        host.Clock.Advance(TimeSpan.FromSeconds(59));
        await host.RunUntilIdleAsync(id);
        Assert.Equal(InstanceStatuses.Waiting, (await host.GetAsync(id)).Status);

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await host.RunUntilIdleAsync(id);
        Assert.Equal(InstanceStatuses.Completed, (await host.GetAsync(id)).Status);
    }

    /// <summary>A workflow that waits for "Approved" under its <c>ref</c> variable, then copies the payload's <c>by</c> to a variable.</summary>
    private static Task PublishApprovalFlowAsync(EngineHost host, string definitionId) =>
        host.PublishAsync(Of(definitionId)
            .Add("wait", "WaitForEvent", new JsonObject { ["eventName"] = "Approved", ["correlationKey"] = Js("variables.ref") })
            .Add("copy", "SetVariable", new JsonObject { ["name"] = "by", ["value"] = Js("outputs.wait.payload.by") })
            .Then("start", "wait").Then("wait", "copy").Build());

    [Fact]
    public async Task WaitForEvent_Resumed_OutputsPayloadAndCompletes()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await PublishApprovalFlowAsync(host, "event-flow");
        var id = await host.StartInstanceAsync("event-flow", new JsonObject { ["ref"] = "r-42" });
        await host.RunUntilIdleAsync(id);
        var runtime = host.Services.GetService(typeof(IWorkflowRuntime)) as IWorkflowRuntime;

        var unrelated = await runtime!.ResumeAsync("Approved", "r-43", new JsonObject { ["by"] = "mallory" });
        var resumed = await runtime.ResumeAsync("Approved", "r-42", new JsonObject { ["by"] = "ada" });
        await host.RunUntilIdleAsync(id);

        Assert.Empty(unrelated);
        Assert.Equal([id], resumed);
        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Completed, instance.Status);
        Assert.Equal("ada", instance.Variables!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task WaitForEvent_ManyKeysResumedInOneCall_EachInstanceGetsItsOwnPayload()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await PublishApprovalFlowAsync(host, "event-many");
        var ids = new Dictionary<string, Guid>();
        foreach (var key in new[] { "m-1", "m-2", "m-3", "m-4" })
        {
            ids[key] = await host.StartInstanceAsync("event-many", new JsonObject { ["ref"] = key });
            await host.RunUntilIdleAsync(ids[key]);
        }

        var runtime = host.Services.GetRequiredService<IWorkflowRuntime>();
        IReadOnlyList<Guid> resumed;
        await using (var connection = await host.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // Three of the four, and a key nobody waits for; m-4 stays waiting.
            resumed = await runtime.ResumeAsync("Approved",
                [("m-3", new JsonObject { ["by"] = "carol" }), ("m-1", new JsonObject { ["by"] = "ada" }), ("nobody", new JsonObject { ["by"] = "eve" }), ("m-2", new JsonObject { ["by"] = "bob" })],
                connection, tx);
            await Assert.ThrowsAsync<ArgumentException>(() => runtime.ResumeAsync("Approved", [("m-4", null), ("m-4", null)], connection, tx));
            await tx.CommitAsync();
        }

        Assert.Equal(new[] { ids["m-1"], ids["m-2"], ids["m-3"] }.Order(), resumed.Order());
        foreach (var id in ids.Values)
        {
            await host.RunUntilIdleAsync(id);
        }

        foreach (var (key, by) in new[] { ("m-1", "ada"), ("m-2", "bob"), ("m-3", "carol") })
        {
            var instance = await host.GetAsync(ids[key]);
            Assert.Equal(InstanceStatuses.Completed, instance.Status);
            Assert.Equal(by, instance.Variables!["by"]!.GetValue<string>());
        }

        Assert.Equal(InstanceStatuses.Waiting, (await host.GetAsync(ids["m-4"])).Status);
    }

    [Fact]
    public async Task Loop_SameActivityTwice_GetsDistinctIdempotencyCounts()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("loop-flow")
            .Add("init", "SetVariable", new JsonObject { ["name"] = "n", ["value"] = 0 })
            .Add("inc", "SetVariable", new JsonObject { ["name"] = "n", ["value"] = Js("variables.n + 1") })
            .Add("again", "If", new JsonObject { ["condition"] = Js("variables.n < 3") })
            .Then("start", "init").Then("init", "inc").Then("inc", "again").Connect("again", "True", "inc").Build());

        var id = await host.StartInstanceAsync("loop-flow");
        await host.RunUntilIdleAsync(id);

        Assert.Equal(3, (await host.GetAsync(id)).Variables!["n"]!.GetValue<int>());
        Assert.Equal(3, (await host.JournalAsync(id)).Count(e => e.ActivityId == "inc"));
    }
}
