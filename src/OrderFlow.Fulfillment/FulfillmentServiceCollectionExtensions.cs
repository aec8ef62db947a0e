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
using OrderFlow.Fulfillment.Notifications.Templates;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Outbox;
using OrderFlow.Fulfillment.Routing;
using OrderFlow.Fulfillment.Security;
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
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CarrierWebhookOptions>().Bind(configuration.GetSection(CarrierWebhookOptions.Section));
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ISecretProtector, AesGcmSecretProtector>();
        services.TryAddSingleton<SecretsAtRest>();
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section));

        // The factory's request logging puts header values (supplier keys, bearer tokens) in its structured state, unredacted:
        // a sink at Verbose stored them. Found by the log scan in SecretsTests.
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        // Handlers run outermost first: rate limit (once per call), resilience (timeouts, retries, breaker), signing (per attempt).
        var suppliers = services.AddHttpClient(SupplierClients.HttpClientName).AddHttpMessageHandler<SupplierRateLimitHandler>();
        suppliers.AddResilienceHandler("supplier", (pipeline, context) =>
            {
                var fulfillment = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<FulfillmentOptions>>().Value;
                var clients = context.ServiceProvider.GetRequiredService<SupplierClients>();
                // One pipeline per supplier (SelectPipelineBy below); its timeouts follow the supplier's row as it changes.
                var supplierId = context.InstanceName;
                // Timeouts and backoff of real sockets run on the wall clock, even in a host whose domain clock is simulated.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline
                    .AddTimeout(new HttpTimeoutStrategyOptions { TimeoutGenerator = _ => ValueTask.FromResult(SupplierClients.TotalTimeout(clients.Current(supplierId), fulfillment)) })
                    .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * SupplierClients.AttemptTimeout(clients.Current(supplierId), fulfillment).TotalSeconds)) })
                    .AddTimeout(new HttpTimeoutStrategyOptions { TimeoutGenerator = _ => ValueTask.FromResult(SupplierClients.AttemptTimeout(clients.Current(supplierId), fulfillment)) });
            })
            // One circuit per supplier: an outage of one must not stop the others. Placement retries are safe: every POST carries its idempotency key.
            .SelectPipelineBy(_ => request => SupplierClients.SupplierOf(request) ?? request.RequestUri?.Authority ?? "");
        // Innermost: the answer is read whole (and bounded) inside the attempt's timeout; the socket refuses private
        // addresses unless configuration allows them, at every connection (DNS may change after the URL was saved).
        suppliers.AddHttpMessageHandler<SupplierSigningHandler>().AddHttpMessageHandler<SupplierResponseLimitHandler>()
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedSocketsHandler.Create(sp.GetRequiredService<OutboundTargetGuard>(), OutboundTarget.Supplier));
        services.TryAddTransient<SupplierRateLimitHandler>();
        services.TryAddTransient<SupplierSigningHandler>();
        services.TryAddTransient<SupplierResponseLimitHandler>();
        services.TryAddSingleton<SupplierRateLimiter>();
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("OrderFlow-Webhooks/1.0"))
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedSocketsHandler.Create(sp.GetRequiredService<OutboundTargetGuard>(), OutboundTarget.StorefrontWebhook));

        services.AddHttpClient(HttpSmsSender.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("OrderFlow-Notifications/1.0"))
            .AddResilienceHandler("sms", (pipeline, context) =>
            {
                var sms = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmsOptions>>().Value;
                pipeline.TimeProvider = TimeProvider.System;
                // No in-process retry: the outbox retries durably, on its schedule.
                pipeline
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions { SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * sms.TimeoutSeconds)) })
                    .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(sms.TimeoutSeconds) });
            });

        services.TryAddSingleton<FulfillmentMetrics>();
        services.TryAddSingleton<MerchantDirectory>();
        services.TryAddSingleton<MerchantAdmin>();
        services.TryAddSingleton<OutboxWake>();
        services.TryAddSingleton<StatusPublisher>();
        services.TryAddSingleton<OrderSnapshots>();
        services.TryAddSingleton<PartialShipments>();
        services.TryAddSingleton<CustomerNotifier>();
        services.TryAddSingleton<OrderCancellation>();
        services.AddSingleton<IWorkflowLifecycleObserver>(sp => sp.GetRequiredService<OrderCancellation>());
        services.TryAddSingleton<OrderIntake>();
        services.TryAddSingleton<IntakeInbox>();
        services.TryAddSingleton<IntakeMaterializer>();
        services.TryAddSingleton<IntakeFormats>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntakeFormat, Intake.Formats.StandardIntakeFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntakeFormat, Intake.Formats.ShopifyIntakeFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIntakeFormat, Intake.Formats.WooCommerceIntakeFormat>());
        services.TryAddSingleton<OrderQueries>();
        services.TryAddSingleton<LineRouter>();
        services.TryAddSingleton<RoutingRuleStore>();
        services.TryAddSingleton<RoutingPreview>();
        services.TryAddSingleton<SupplierClients>();
        services.TryAddSingleton<SupplierAdmin>();
        services.TryAddSingleton<SupplierHealth>();
        services.TryAddSingleton<LiveStockCheck>();
        services.TryAddSingleton<SupplierCallbacks>();
        services.AddSupplierProtocol<OrderFlowRestProtocol>();
        services.AddSupplierProtocol<ParcelhubProtocol>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<OutboundTargetGuard>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton<WebhookSubscriptions>();
        services.TryAddSingleton<EventFeed>();
        services.TryAddSingleton<TrackingPage>();
        services.TryAddSingleton<StaleTrackingDetector>();
        services.TryAddSingleton<CarrierWebhookIntake>();
        services.TryAddSingleton<TemplateRenderer>();
        services.TryAddSingleton<TemplateStore>();
        services.TryAddSingleton<NotificationSettings>();
        services.TryAddSingleton<NotificationSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, EmailSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, HttpSmsSender>());
        services.TryAddSingleton<DemoSeeder>();
        services.TryAddTransient<TrackingPollJob>();
        services.TryAddTransient<CatalogSyncJob>();
        services.TryAddTransient<OrderCountsFoldJob>();
        services.AddHostedService<FulfillmentStartup>();
        // Hosted services start in this order, each after the one before has started: the materializer queries the
        // schemas that EngineStartup and FulfillmentStartup migrate, so it comes after them (registered before, it ran
        // its first batch against a fresh database while the migrations were still running and logged an error).
        services.AddHostedService(sp => sp.GetRequiredService<IntakeMaterializer>());
        services.AddHostedService<OutboxPump>();
        services.AddHostedService<OrdersByStatusGauge>();

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
