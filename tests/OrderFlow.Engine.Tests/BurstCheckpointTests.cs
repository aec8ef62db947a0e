using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Simulation;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

public sealed class BurstCheckpointTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static Task<EngineHost> StartAsync(string connectionString) =>
        EngineHost.StartAsync(connectionString, configure: services =>
        {
            services.AddSingleton<CrashingCheckpoints>();
            services.AddSingleton<IBurstCheckpoints>(sp => sp.GetRequiredService<CrashingCheckpoints>());
        });

    [Fact]
    public void Checkpoints_Production_AreNoOps()
    {
        var services = new ServiceCollection().AddOrderFlowEngine(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

        Assert.Equal(typeof(NoBurstCheckpoints), services.Single(s => s.ServiceType == typeof(IBurstCheckpoints)).ImplementationType);
    }

    [Fact]
    public async Task Burst_CrashBeforeCommit_LeavesNothingAndRunsAgainFromTheStart()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("crash-before").Add("set", "SetVariable", new JsonObject { ["name"] = "x", ["value"] = 1 }).Then("start", "set").Build());
        var id = await host.StartInstanceAsync("crash-before");
        var crashes = host.Services.GetRequiredService<CrashingCheckpoints>();

        crashes.Arm(6); // Locked, Before/After start, Before/After set, BeforeCommit
        await Assert.ThrowsAsync<SimulatedCrash>(() => host.Runner.RunAsync(id));

        Assert.Equal(BurstCheckpoint.BeforeCommit, crashes.LastCrash);
        Assert.Empty(await host.JournalAsync(id));
        Assert.Equal(InstanceStatuses.Running, (await host.GetAsync(id)).Status);
        Assert.Equal(2, await host.Runner.RunAsync(id));
        Assert.Equal(InstanceStatuses.Completed, (await host.GetAsync(id)).Status);
    }

    [Fact]
    public async Task Burst_CrashAfterCommit_KeepsTheBurstAndSkipsTheDispatch()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("crash-after").Add("wait", "Delay", new JsonObject { ["seconds"] = 60 }).Then("start", "wait").Build());
        var id = await host.StartInstanceAsync("crash-after");
        var crashes = host.Services.GetRequiredService<CrashingCheckpoints>();

        crashes.Arm(7);
        await Assert.ThrowsAsync<SimulatedCrash>(() => host.Runner.RunAsync(id));

        Assert.Equal(BurstCheckpoint.AfterCommit, crashes.LastCrash);
        Assert.Equal(InstanceStatuses.Waiting, (await host.GetAsync(id)).Status);
        Assert.Empty(host.Dispatcher.Scheduled);
        Assert.Equal(0, await host.Runner.RunAsync(id));
    }
}
