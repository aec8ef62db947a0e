using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Hangfire;
using OrderFlow.Engine.Persistence;

namespace OrderFlow.Engine;

/// <summary>Before the host serves anything: migrate the engine schema, publish changed shipped workflows, register sweeps.</summary>
internal sealed class EngineStartup(
    NpgsqlDataSource dataSource,
    ShippedDefinitionLoader loader,
    IServiceProvider services,
    IOptions<EngineOptions> options,
    ILogger<EngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SqlMigrator.RunAsync(dataSource, "engine", typeof(EngineStartup).Assembly, logger, cancellationToken);
        if (options.Value.WorkflowsDirectory is { Length: > 0 } directory)
        {
            await loader.LoadAsync(Path.IsPathRooted(directory) ? directory : Path.Combine(AppContext.BaseDirectory, directory), cancellationToken);
        }

        // Hangfire is optional for hosts that drive bursts themselves (tests, simulations).
        if (services.GetService<IRecurringJobManager>() is { } jobs)
        {
            _ = RecurringJobRegistration.RegisterAsync(jobs,
                j => j.AddOrUpdate<EngineSweepJob>(EngineSweepJob.RecurringJobId, s => s.RunAsync(CancellationToken.None), "*/15 * * * * *"), logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
