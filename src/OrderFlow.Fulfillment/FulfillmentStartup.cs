using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Engine.Hangfire;
using OrderFlow.Engine.Persistence;
using OrderFlow.Fulfillment.Demo;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tracking;

namespace OrderFlow.Fulfillment;

/// <summary>Before the host serves: migrate the fulfillment schema, seed the demo when enabled, encrypt stored secrets, register the sweeps.</summary>
internal sealed class FulfillmentStartup(
    NpgsqlDataSource dataSource,
    IServiceProvider services,
    IOptions<FulfillmentOptions> options,
    IOptions<DemoOptions> demo,
    ILogger<FulfillmentStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SqlMigrator.RunAsync(dataSource, "fulfillment", typeof(FulfillmentStartup).Assembly, logger, cancellationToken);
        if (demo.Value.Enabled)
        {
            await services.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
            try
            {
                // Routing needs stock at once; the recurring sync keeps it fresh afterwards.
                await services.GetRequiredService<CatalogSyncJob>().RunAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Initial catalogue sync failed; the recurring sync will retry");
            }
        }

        // After the demo seed, which writes its well-known secrets in plain text.
        await services.GetRequiredService<SecretsAtRest>().EncryptAllAsync(cancellationToken);

        if (services.GetService<IRecurringJobManager>() is { } jobs)
        {
            _ = RecurringJobRegistration.RegisterAsync(jobs, j =>
            {
                j.AddOrUpdate<TrackingPollJob>(TrackingPollJob.RecurringJobId, t => t.RunAsync(CancellationToken.None), Every(options.Value.TrackingPollSeconds));
                j.AddOrUpdate<CatalogSyncJob>(CatalogSyncJob.RecurringJobId, c => c.RunAsync(CancellationToken.None), Every(options.Value.CatalogSyncSeconds));
                j.AddOrUpdate<OrderCountsFoldJob>(OrderCountsFoldJob.RecurringJobId, f => f.RunAsync(CancellationToken.None), Every(60));
            }, logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A cron expression for "every N seconds" (Hangfire reads six-field cron with seconds).</summary>
    internal static string Every(int seconds) => seconds switch
    {
        < 60 => $"*/{seconds} * * * * *",
        < 3600 => $"0 */{Math.Max(1, seconds / 60)} * * * *",
        _ => $"0 0 */{Math.Max(1, seconds / 3600)} * * *",
    };
}
