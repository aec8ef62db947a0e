using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OrderFlow.Engine;
using OrderFlow.Engine.Runtime;
using OrderFlow.Server.Security;
using Scalar.AspNetCore;
using Serilog;

namespace OrderFlow.Server.Hosting;

/// <summary>Everything the host adds around the engine and fulfillment: logging, auth, Hangfire, OpenAPI, metrics, static console.</summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddOrderFlowHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSerilog((sp, logger) => logger
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}"));

        services.AddOptions<ServerOptions>().Bind(configuration.GetSection(ServerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OrderFlow API";
            document.Info.Description = "Merchant intake webhooks, order status, workflow definitions, instances and incidents.";
            return Task.CompletedTask;
        }));
        services.AddOrderFlowAuthentication();
        services.AddOrderFlowRateLimiting(configuration);

        // Bursts run on the engine's own worker (the instance row is the queue); Hangfire carries the recurring sweeps.
        services.AddOrderFlowBurstWorker();
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(configuration.GetConnectionString("OrderFlow")),
                new PostgreSqlStorageOptions
                {
                    SchemaName = "hangfire",
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<ServerOptions>>().Value.HangfireQueuePollMilliseconds),
                    // A job fetched by a process that then died becomes visible to another worker after this; the fetching
                    // worker keeps extending it while it runs, so a long burst is never handed out twice.
                    InvisibilityTimeout = TimeSpan.FromMinutes(1),
                    UseSlidingInvisibilityTimeout = true,
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                }));
        services.AddHangfireServer((sp, o) =>
        {
            var options = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            o.WorkerCount = options.HangfireWorkers;
            o.Queues = ["bursts", "default"];
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            // A killed process drops out of the server list (and its dashboard entries) within a minute.
            o.HeartbeatInterval = TimeSpan.FromSeconds(10);
            o.ServerTimeout = TimeSpan.FromMinutes(1);
            o.ServerCheckInterval = TimeSpan.FromSeconds(30);
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            // This host's own activator: Hangfire's global one belongs to whichever host configured it first (tests run several).
            o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
        });

        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation().AddMeter(EngineMetrics.MeterName, "OrderFlow.Fulfillment");
            if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    public static WebApplication UseOrderFlowHosting(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        app.UseConsoleSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseCookieAntiforgery();
        app.UseAuthorization();
        app.UseMerchantScope();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi("/api/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api/docs", o => o
            .WithTitle("OrderFlow API")
            .WithOpenApiRoutePattern("/api/openapi/{documentName}.json")).AllowAnonymous();
        if (!BuildTimeOpenApi.IsGenerating)
        {
            // The policy decides (with a policy Hangfire does not run the filters); the filter replaces Hangfire's default
            // local-requests-only one should that change, and asks the same.
            app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Dashboard, "/hangfire",
                new DashboardOptions { Authorization = [new AdminDashboardFilter()], DashboardTitle = "OrderFlow jobs", AppPath = "/" });
        }
        return app;
    }
}
