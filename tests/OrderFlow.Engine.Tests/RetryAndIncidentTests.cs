using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

public sealed class RetryAndIncidentTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static Task PublishFlaky(EngineHost host, string id, int failTimes) =>
        host.PublishAsync(Of(id)
            .Add("flaky", "Test.Flaky", new JsonObject { ["failTimes"] = failTimes })
            .Add("after", "SetVariable", new JsonObject { ["name"] = "after", ["value"] = true })
            .Add("other", "SetVariable", new JsonObject { ["name"] = "other", ["value"] = true })
            .Then("start", "flaky").Then("flaky", "after").Connect("flaky", "Other", "other").Build());

    [Fact]
    public async Task Retry_FailsTwiceWithinPolicy_SucceedsOnThirdAttemptAfterDurableDelays()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await PublishFlaky(host, "flaky-ok", failTimes: 2);
        var id = await host.StartInstanceAsync("flaky-ok");

        await host.RunUntilIdleAsync(id);
        Assert.Equal(InstanceStatuses.Waiting, (await host.GetAsync(id)).Status);
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.RunUntilIdleAsync(id);
        host.Clock.Advance(TimeSpan.FromSeconds(20));
        await host.RunUntilIdleAsync(id);

        var journal = await host.JournalAsync(id);
        Assert.Equal(InstanceStatuses.Completed, (await host.GetAsync(id)).Status);
        Assert.Equal([1, 2], journal.Where(e => e.Event == JournalEvents.RetryScheduled).Select(e => e.Attempt!.Value));
        Assert.Equal(3, journal.Single(e => e.ActivityId == "flaky" && e.Event == JournalEvents.Completed).Attempt);
    }

    [Fact]
    public async Task Retry_Exhausted_RaisesIncidentThatOpsRetryResolves()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await PublishFlaky(host, "flaky-incident", failTimes: 3);
        var id = await host.StartInstanceAsync("flaky-incident");
        await host.RunUntilIdleAsync(id);
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.RunUntilIdleAsync(id);
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.RunUntilIdleAsync(id);

        var faulted = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Faulted, faulted.Status);
        var incident = Assert.Single(faulted.Incidents);
        Assert.Equal(3, incident.Attempts);

        var result = await host.Services.GetRequiredService<InstanceOperations>().RetryIncidentAsync(incident.Id, "ops:ada");
        await host.RunUntilIdleAsync(id);

        Assert.Equal(OperationStatus.Ok, result.Status);
        var done = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Completed, done.Status);
        Assert.Equal("retried", done.Incidents.Single().Resolution);
        Assert.Contains(await host.JournalAsync(id), e => e.Event == JournalEvents.IncidentRetried && e.Actor == "ops:ada");
    }

    [Fact]
    public async Task Retry_LogsTypeAndMessageWithoutStack_TheLastAttemptLogsTheException()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString, configure: s => s.AddFakeLogging());
        await PublishFlaky(host, "flaky-logs", failTimes: 3);
        var id = await host.StartInstanceAsync("flaky-logs");
        for (var i = 0; i < 3; i++)
        {
            await host.RunUntilIdleAsync(id);
            host.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var runner = host.Services.GetFakeLogCollector().GetSnapshot().Where(e => e.Category == typeof(BurstRunner).FullName).ToList();
        var retries = runner.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("retrying at")).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, e => Assert.Null(e.Exception));
        Assert.Contains("failed on attempt 1 (InvalidOperationException: flaky failure 1)", retries[0].Message);
        var fault = Assert.Single(runner, e => e.Level == LogLevel.Error);
        Assert.Equal("flaky failure 3", Assert.IsType<InvalidOperationException>(fault.Exception).Message);
    }

    [Fact]
    public async Task Skip_WithChosenOutcome_FollowsThatOutcome()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await PublishFlaky(host, "flaky-skip", failTimes: 99);
        var id = await host.StartInstanceAsync("flaky-skip");
        for (var i = 0; i < 3; i++)
        {
            await host.RunUntilIdleAsync(id);
            host.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var incident = (await host.GetAsync(id)).Incidents.Single();
        var ops = host.Services.GetRequiredService<InstanceOperations>();

        var bad = await ops.SkipIncidentAsync(incident.Id, "Nope", "ops:ada");
        var ok = await ops.SkipIncidentAsync(incident.Id, "Other", "ops:ada");
        await host.RunUntilIdleAsync(id);

        Assert.Equal(OperationStatus.Invalid, bad.Status);
        Assert.Equal(OperationStatus.Ok, ok.Status);
        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Completed, instance.Status);
        Assert.True(instance.Variables!["other"]!.GetValue<bool>());
        Assert.Null(instance.Variables["after"]);
    }

    [Fact]
    public async Task Cancel_WaitingInstance_RemovesBookmarksAndJournalsActor()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("cancel-flow").Add("wait", "Delay", new JsonObject { ["seconds"] = 3600 }).Then("start", "wait").Build());
        var id = await host.StartInstanceAsync("cancel-flow");
        await host.RunUntilIdleAsync(id);

        var result = await host.Services.GetRequiredService<InstanceOperations>().CancelAsync(id, "ops:grace");
        host.Clock.Advance(TimeSpan.FromHours(2));
        await host.RunUntilIdleAsync(id);

        Assert.Equal(OperationStatus.Ok, result.Status);
        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Cancelled, instance.Status);
        Assert.Empty(instance.Bookmarks);
        Assert.DoesNotContain(await host.JournalAsync(id), e => e.ActivityId == "wait" && e.Event == JournalEvents.Completed);
    }

    [Fact]
    public async Task Fault_Activity_HaltsWithIncidentWithoutRetry()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("fault-flow").Add("boom", "Fault", new JsonObject { ["message"] = "needs a human" }).Then("start", "boom").Build());
        var id = await host.StartInstanceAsync("fault-flow");

        await host.RunUntilIdleAsync(id);

        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Faulted, instance.Status);
        Assert.Equal("needs a human", instance.Incidents.Single().Message);
    }
}
