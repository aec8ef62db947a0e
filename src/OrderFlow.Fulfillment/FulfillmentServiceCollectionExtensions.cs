using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using OrderFlow.Engine;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Activities;
using OrderFlow.Fulfillment.Demo;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Merchants;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Outbox;
using OrderFlow.Fulfillment.Routing;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Suppliers.Parcelhub;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment;

/// <summary>The fulfillment module's one registration entry.</summary>
public static class FulfillmentServiceCollectionExtensions
{
    /// <summary>
    /// Registers intake, routing, supplier clients (Refit, with the standard resilience handler per supplier), tracking,
    /// notifications, the storefront webhook outbox and the drop-ship activities. Call after <c>AddOrderFlowEngine</c>.
    /// </summary>
    public static IServiceCollection AddOrderFlowFulfillment(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FulfillmentOptions>().Bind(configuration.GetSection(FulfillmentOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CarrierWebhookOptions>().Bind(configuration.GetSection(CarrierWebhookOptions.Section));
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section));

        services.AddHttpClient(SupplierClients.HttpClientName)
            .AddResilienceHandler("supplier", (pipeline, context) =>
            {
                var fulfillment = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<FulfillmentOptions>>().Value;
                // Timeouts and backoff of real sockets run on the wall clock, even in a host whose domain clock is simulated.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(Math.Max(fulfillment.SupplierTotalTimeoutSeconds, fulfillment.SupplierAttemptTimeoutSeconds)) })
                    .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * fulfillment.SupplierAttemptTimeoutSeconds)) })
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(fulfillment.SupplierAttemptTimeoutSeconds) });
            })
            // One circuit per supplier: an outage of one must not stop the others. Placement retries are safe: every POST carries its idempotency key.
            .SelectPipelineBy(_ => request => request.Headers.TryGetValues(SupplierClients.SupplierHeader, out var values) ? values.First() : request.RequestUri?.Authority ?? "");
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("OrderFlow-Webhooks/1.0"))
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedWebhookHandler.Create(sp.GetRequiredService<WebhookTargetGuard>()));

        services.TryAddSingleton<FulfillmentMetrics>();
        services.TryAddSingleton<MerchantDirectory>();
        services.TryAddSingleton<MerchantAdmin>();
        services.TryAddSingleton<OutboxWake>();
        services.TryAddSingleton<StatusPublisher>();
        services.TryAddSingleton<OrderSnapshots>();
        services.TryAddSingleton<CustomerNotifier>();
        services.TryAddSingleton<OrderCancellation>();
        services.AddSingleton<IWorkflowLifecycleObserver>(sp => sp.GetRequiredService<OrderCancellation>());
        services.TryAddSingleton<OrderIntake>();
        services.TryAddSingleton<IntakeFormats>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntakeFormat, Intake.Formats.StandardIntakeFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntakeFormat, Intake.Formats.ShopifyIntakeFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntakeFormat, Intake.Formats.WooCommerceIntakeFormat>());
        services.TryAddSingleton<OrderQueries>();
        services.TryAddSingleton<LineRouter>();
        services.TryAddSingleton<RoutingRuleStore>();
        services.TryAddSingleton<RoutingPreview>();
        services.TryAddSingleton<SupplierClients>();
        services.TryAddSingleton<SupplierCallbacks>();
        services.AddSupplierProtocol<OrderFlowRestProtocol>();
        services.AddSupplierProtocol<ParcelhubProtocol>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookTargetGuard>();
        services.TryAddSingleton<WebhookSubscriptions>();
        services.TryAddSingleton<EventFeed>();
        services.TryAddSingleton<TrackingPage>();
        services.TryAddSingleton<StaleTrackingDetector>();
        services.TryAddSingleton<CarrierWebhookIntake>();
        services.TryAddSingleton<EmailSender>();
        services.TryAddSingleton<DemoSeeder>();
        services.TryAddTransient<TrackingPollJob>();
        services.TryAddTransient<CatalogSyncJob>();
        services.AddHostedService<FulfillmentStartup>();
        services.AddHostedService<OutboxPump>();

        services.AddActivity<RouteLinesActivity>()
            .AddActivity<PlaceSupplierOrdersActivity>()
            .AddActivity<AwaitSupplierDecisionsActivity>()
            .AddActivity<WaitForParcelsActivity>()
            .AddActivity<PublishStatusActivity>()
            .AddActivity<NotifyCustomerActivity>()
            .AddActivity<HoldForReviewActivity>()
            .AddActivity<CancelOrderActivity>();
        return services;
    }

    /// <summary>Teaches OrderFlow another supplier API dialect; suppliers whose <c>protocol</c> is its name use it.</summary>
    public static IServiceCollection AddSupplierProtocol<TProtocol>(this IServiceCollection services)
        where TProtocol : class, ISupplierProtocol
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISupplierProtocol, TProtocol>());
        return services;
    }
}
