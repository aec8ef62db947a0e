using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

/// <summary>The engine's own burst worker: dispatches run at once, due timers and work of other processes are found by the poll.</summary>
public sealed class BurstWorkerTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static Task<EngineHost> StartAsync(string connectionString) =>
        // As the server registers it, except that the host's recording dispatcher stays the runner's dispatcher.
        EngineHost.StartAsync(connectionString, configure: services => services.AddOrderFlowBurstWorker());

    [Fact]
    public async Task Registration_AsTheServerDoes_DispatcherIsTheQueueAndEveryServiceResolves()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:OrderFlow"] = db.ConnectionString }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOrderFlowBurstWorker();
        services.AddOrderFlowEngine(configuration);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        // The runner dispatches and the worker runs the runner: resolving must not go round in a circle.
        var resolve = Task.Run(() => (provider.GetRequiredService<IBurstDispatcher>(), provider.GetServices<IHostedService>().ToList()));
        Assert.Same(resolve, await Task.WhenAny(resolve, Task.Delay(TimeSpan.FromSeconds(20))));
        var (dispatcher, hosted) = await resolve;
        Assert.IsType<BurstQueue>(dispatcher);
        Assert.Contains(hosted, h => h is BurstWorker);
    }

    [Fact]
    public async Task Dispatch_NewInstance_RunsToCompletionWithoutHangfire()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("worker-flow").Add("set", "SetVariable", new JsonObject { ["name"] = "done", ["value"] = true }).Then("start", "set").Build());

        var id = await host.StartInstanceAsync("worker-flow");
        host.Services.GetRequiredService<BurstQueue>().Dispatch(id);

        var instance = await WaitForStatusAsync(host, id, InstanceStatuses.Completed);
        Assert.True(instance.Variables!["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Poll_PendingInstanceNeverDispatched_IsFoundAndRun()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("poll-flow").Add("set", "SetVariable", new JsonObject { ["name"] = "done", ["value"] = true }).Then("start", "set").Build());

        // Committed as another process would, with no dispatch in this one.
        var id = await host.StartInstanceAsync("poll-flow");

        await WaitForStatusAsync(host, id, InstanceStatuses.Completed);
    }

    [Fact]
    public async Task Poll_TimerComesDue_ResumesWithoutDispatch()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("timer-flow").Add("wait", "Delay", new JsonObject { ["seconds"] = 60 })
            .Add("set", "SetVariable", new JsonObject { ["name"] = "woke", ["value"] = true })
            .Then("start", "wait").Then("wait", "set").Build());
        var id = await host.StartInstanceAsync("timer-flow");
        await WaitForStatusAsync(host, id, InstanceStatuses.Waiting);

        host.Clock.Advance(TimeSpan.FromSeconds(61));

        var instance = await WaitForStatusAsync(host, id, InstanceStatuses.Completed);
        Assert.True(instance.Variables!["woke"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RunSkipLocked_RowHeldByAnotherTransaction_LeavesWorkPendingAndReturnsAtOnce()
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("locked-flow").Add("set", "SetVariable", new JsonObject { ["name"] = "done", ["value"] = true }).Then("start", "set").Build());
        var id = await host.StartInstanceAsync("locked-flow");

        await using (var holder = await host.DataSource.OpenConnectionAsync())
        await using (var tx = await holder.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM engine.workflow_instances WHERE id = $1 FOR UPDATE", holder, tx) { Parameters = { new() { Value = id } } })
            {
                await lockRow.ExecuteScalarAsync();
            }

            var started = DateTime.UtcNow;
            Assert.Equal(0, await host.Runner.RunAsync(id, skipLocked: true, CancellationToken.None));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
            await tx.RollbackAsync();
        }

        Assert.Equal(InstanceStatuses.Running, (await host.GetAsync(id)).Status);
        Assert.True(await host.Runner.RunAsync(id, skipLocked: true, CancellationToken.None) > 0);
        Assert.Equal(InstanceStatuses.Completed, (await host.GetAsync(id)).Status);
    }

    private static async Task<InstanceDetails> WaitForStatusAsync(EngineHost host, Guid id, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var instance = await host.GetAsync(id);
            if (instance.Status == status)
            {
                return instance;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Instance {id} is {instance.Status}, not {status}, after 30 s.");
            await Task.Delay(100);
        }
    }
}
