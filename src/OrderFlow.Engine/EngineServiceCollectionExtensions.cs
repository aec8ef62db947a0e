using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Activities.BuiltIn;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Expressions;
using OrderFlow.Engine.Hangfire;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine;

/// <summary>The engine's one registration entry.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine: PostgreSQL data source (<c>ConnectionStrings:OrderFlow</c>), definitions, runner, built-in
    /// activities, Hangfire dispatch, and a start-up step that migrates the schema and publishes shipped workflows.
    /// </summary>
    public static IServiceCollection AddOrderFlowEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new RandomSource());
        services.TryAddSingleton(_ =>
        {
            var connectionString = configuration.GetConnectionString("OrderFlow");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("ConnectionStrings:OrderFlow is not set: OrderFlow needs a PostgreSQL connection string.");
            }

            return CreateDataSource(connectionString);
        });
        services.AddMetrics();
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton<BurstThrottle>();
        services.TryAddSingleton<ExpressionEvaluator>();
        services.TryAddSingleton<ActivityRegistry>();
        services.TryAddSingleton<DefinitionValidator>();
        services.TryAddSingleton<DefinitionStore>();
        services.TryAddSingleton<ShippedDefinitionLoader>();
        services.TryAddSingleton<IWorkflowRuntime, WorkflowRuntime>();
        services.TryAddSingleton<IBurstCheckpoints, NoBurstCheckpoints>();
        services.TryAddSingleton<BurstRunner>();
        services.TryAddSingleton<InstanceOperations>();
        services.TryAddSingleton<InstanceQueries>();
        services.TryAddSingleton<IBurstDispatcher, HangfireBurstDispatcher>();
        services.TryAddTransient<BurstJob>();
        services.TryAddTransient<EngineSweepJob>();
        services.AddHostedService<EngineStartup>();

        services.AddActivity<StartActivity>()
            .AddActivity<EndActivity>()
            .AddActivity<IfActivity>()
            .AddActivity<SwitchActivity>()
            .AddActivity<ForkActivity>()
            .AddActivity<JoinActivity>()
            .AddActivity<DelayActivity>()
            .AddActivity<SetVariableActivity>()
            .AddActivity<WaitForEventActivity>()
            .AddActivity<FaultActivity>();
        return services;
    }

    /// <summary>
    /// Runs bursts in this process with a <see cref="BurstWorker"/> instead of a Hangfire job per burst (call before
    /// <see cref="AddOrderFlowEngine"/>). Hosts that drive bursts themselves (tests) leave it out.
    /// </summary>
    public static IServiceCollection AddOrderFlowBurstWorker(this IServiceCollection services)
    {
        services.TryAddSingleton<BurstQueue>();
        services.TryAddSingleton<IBurstDispatcher>(sp => sp.GetRequiredService<BurstQueue>());
        services.AddHostedService<BurstWorker>();
        return services;
    }

    /// <summary>Makes an activity type available to definitions and the designer's palette.</summary>
    public static IServiceCollection AddActivity<TActivity>(this IServiceCollection services)
        where TActivity : class, IActivity
    {
        services.TryAddTransient<TActivity>();
        services.AddSingleton(new ActivityRegistration(typeof(TActivity)));
        return services;
    }

    /// <summary>
    /// The data source every OrderFlow query runs on. Unless the connection string says otherwise, statements used more
    /// than once on a connection are prepared automatically (the hot paths are a few dozen statements run for every order,
    /// and unprepared, PostgreSQL parses and plans each of them on every call), and connections are not reset when they go
    /// back to the pool (measured in docs/benchmarks-history.md).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        // What the string itself sets (NpgsqlConnectionStringBuilder.ContainsKey answers for every keyword it knows).
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 128;
        }

        if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages"))
        {
            settings.AutoPrepareMinUsages = 2;
        }

        // A connection going back to the pool is not reset (with prepared statements, Npgsql's reset is six statements:
        // SET SESSION AUTHORIZATION DEFAULT, RESET ALL, CLOSE ALL, UNLISTEN *, the advisory unlocks, DISCARD): nothing
        // here leaves session settings, and the advisory locks and LISTEN give themselves back (Persistence.SessionState).
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
        }

        return new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
    }
}
