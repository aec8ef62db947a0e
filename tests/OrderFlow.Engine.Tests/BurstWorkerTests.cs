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
    private static Task<EngineHost> StartAsync(string connectionString, Action<IServiceCollection>? configure = null) =>
        // As the server registers it, except that the host's recording dispatcher stays the runner's dispatcher.
        EngineHost.StartAsync(connectionString, configure: services =>
        {
            services.AddOrderFlowBurstWorker();
            configure?.Invoke(services);
        });

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

    [Fact]
    public async Task RunSkipLocked_ResumedBookmarkOfAHeldInstance_IsLeftForTheBurstThatGetsTheLock()
    {
        // The lock and the taking of ready bookmarks share one round trip: the bookmark must stay while another holds the row.
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        await host.PublishAsync(Of("held-resume")
            .Add("wait", "WaitForEvent", new JsonObject { ["eventName"] = "Approved", ["correlationKey"] = "held-1" })
            .Add("copy", "SetVariable", new JsonObject { ["name"] = "by", ["value"] = Js("outputs.wait.payload.by") })
            .Then("start", "wait").Then("wait", "copy").Build());
        var id = await host.StartInstanceAsync("held-resume");
        await host.RunUntilIdleAsync(id);
        Assert.Equal([id], await host.Services.GetRequiredService<IWorkflowRuntime>().ResumeAsync("Approved", "held-1", new JsonObject { ["by"] = "ada" }));

        await using (var holder = await host.DataSource.OpenConnectionAsync())
        await using (var tx = await holder.BeginTransactionAsync())
        {
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM engine.workflow_instances WHERE id = $1 FOR UPDATE", holder, tx) { Parameters = { new() { Value = id } } })
            {
                await lockRow.ExecuteScalarAsync();
            }

            Assert.Equal(0, await host.Runner.RunAsync(id, skipLocked: true, CancellationToken.None));
            await tx.RollbackAsync();
        }

        Assert.Single((await host.GetAsync(id)).Bookmarks);
        Assert.True(await host.Runner.RunAsync(id, skipLocked: true, CancellationToken.None) > 0);
        var instance = await host.GetAsync(id);
        Assert.Equal(InstanceStatuses.Completed, instance.Status);
        Assert.Equal("ada", instance.Variables!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Throttle_NoBurstAllowed_DispatchedInstanceStaysPendingUntilTheSurgeEnds()
    {
        var surge = new ForegroundSurge();
        await using var host = await StartAsync(db.ConnectionString, surge.AddTo);
        await host.PublishAsync(Of("throttled-flow").Add("set", "SetVariable", new JsonObject { ["name"] = "done", ["value"] = true }).Then("start", "set").Build());
        surge.StopBursts();

        var id = await host.StartInstanceAsync("throttled-flow");
        host.Services.GetRequiredService<BurstQueue>().Dispatch(id);

        // Dispatched, and found by the poll every second too: a worker has it in hand and would finish it in milliseconds,
        // but every worker waits for its turn while the merchants' acknowledgements are slow.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(InstanceStatuses.Running, (await host.GetAsync(id)).Status);
        Assert.Equal(1L, await CountAsync(host, [id], "pending"));

        surge.End();

        var instance = await WaitForStatusAsync(host, id, InstanceStatuses.Completed);
        Assert.True(instance.Variables!["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Poll_ThrottledWithAPageInHand_LeavesTheRestOfTheBacklogInTheDatabase()
    {
        const int workers = 2, pageSize = workers * 8, backlog = 4 * pageSize;
        var surge = new ForegroundSurge();
        await using var host = await StartAsync(db.ConnectionString, services =>
        {
            services.Configure<EngineOptions>(o => (o.BurstWorkers, o.BurstPollMilliseconds) = (workers, 50));
            surge.AddTo(services);
        });
        await host.PublishAsync(Of("backlog-flow").Add("set", "SetVariable", new JsonObject { ["name"] = "done", ["value"] = true }).Then("start", "set").Build());
        surge.StopBursts();
        var inHand = host.Services.GetRequiredService<BurstQueue>().Active;

        // Committed as other processes would: this one learns of them only by its poll, a page at a time.
        var ids = new List<Guid>();
        for (var i = 0; i < backlog; i++)
        {
            ids.Add(await host.StartInstanceAsync("backlog-flow"));
        }

        await Poll.UntilAsync(() => inHand.Count >= pageSize, "the poll takes a page of the backlog in hand");
        // A second is twenty polls. Were they not skipped while a page waits in the queue, each would send every id in hand
        // to the database to be left out and take the next page, until the whole backlog sat in this process's memory,
        // none of it able to run. Skipped, what is in hand stays under two pages (the last one taken while the queue was
        // short) and what the workers hold.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.InRange(inHand.Count, pageSize, 2 * pageSize + workers);
        Assert.Equal(backlog, await CountAsync(host, ids, "pending"));

        surge.End();

        await Poll.UntilAsync(async () => await CountAsync(host, ids, $"status = '{InstanceStatuses.Completed}'") == backlog, "the whole backlog runs once the surge ends");
    }

    private static async Task<long> CountAsync(EngineHost host, IEnumerable<Guid> ids, string where)
    {
        await using var command = host.DataSource.CreateCommand($"SELECT count(*) FROM engine.workflow_instances WHERE id = ANY ($1) AND {where}");
        command.Parameters.Add(new() { Value = ids.ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
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
