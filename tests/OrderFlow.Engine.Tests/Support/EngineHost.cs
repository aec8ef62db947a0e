using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderFlow.Engine;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine.Tests.Support;

/// <summary>An engine "process" on a real database, without Hangfire: tests drive bursts themselves.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private EngineHost(ServiceProvider services, FakeTimeProvider clock, RecordingDispatcher dispatcher)
    {
        Services = services;
        Clock = clock;
        Dispatcher = dispatcher;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; }
    public RecordingDispatcher Dispatcher { get; }
    public BurstRunner Runner => Services.GetRequiredService<BurstRunner>();
    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public static async Task<EngineHost> StartAsync(string connectionString, FakeTimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        clock ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var dispatcher = new RecordingDispatcher();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:OrderFlow"] = connectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new RandomSource(7));
        services.AddSingleton<IBurstDispatcher>(dispatcher);
        services.AddOrderFlowEngine(configuration);
        services.AddActivity<FlakyActivity>().AddActivity<SlowActivity>();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return new EngineHost(provider, clock, dispatcher);
    }

    public async Task<int> PublishAsync(WorkflowDefinition definition)
    {
        var result = await Services.GetRequiredService<DefinitionStore>().PublishAsync(definition, "test");
        Assert.Empty(result.Errors);
        return result.Version!.Value;
    }

    public async Task<Guid> StartInstanceAsync(string definitionId, JsonObject? input = null, string? correlationId = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var id = await Services.GetRequiredService<IWorkflowRuntime>().StartAsync(definitionId, input, correlationId, connection, tx);
        await tx.CommitAsync();
        return id;
    }

    /// <summary>Runs bursts until the instance has no work that is due now.</summary>
    public async Task RunUntilIdleAsync(Guid instanceId)
    {
        for (var i = 0; i < 100; i++)
        {
            await Runner.RunAsync(instanceId);
            await using var connection = await DataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT pending FROM engine.workflow_instances WHERE id = $1)
                    OR EXISTS (SELECT 1 FROM engine.bookmarks WHERE instance_id = $1 AND (resumed_at IS NOT NULL OR resume_at <= $2))
                """, connection) { Parameters = { new() { Value = instanceId }, new() { Value = Clock.GetUtcNow() } } };
            if (!(bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }
        }

        throw new InvalidOperationException("Instance did not become idle in 100 bursts.");
    }

    public async Task<InstanceDetails> GetAsync(Guid id) => (await Services.GetRequiredService<InstanceQueries>().GetAsync(id))!;

    public Task<IReadOnlyList<JournalEntry>> JournalAsync(Guid id) => Services.GetRequiredService<InstanceQueries>().GetJournalAsync(id);

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}

/// <summary>Records dispatches instead of enqueueing Hangfire jobs.</summary>
public sealed class RecordingDispatcher : IBurstDispatcher
{
    public ConcurrentQueue<Guid> Dispatched { get; } = new();
    public ConcurrentQueue<(Guid Id, DateTimeOffset At)> Scheduled { get; } = new();

    public void Dispatch(Guid instanceId) => Dispatched.Enqueue(instanceId);

    public void Schedule(Guid instanceId, DateTimeOffset at) => Scheduled.Enqueue((instanceId, at));
}
