using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderFlow.Engine;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Outbox;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>
/// The engine and the fulfillment module on a real database, without Hangfire or the outbox pump: tests drive bursts
/// and sweeps themselves. The shipped workflows from <c>workflows/</c> are published at start.
/// </summary>
public sealed class FulfillmentHost : IAsyncDisposable
{
    public const string MerchantId = "shop-a";
    /// <summary>The development key of appsettings.Demo.json and appsettings.Testing.json.</summary>
    public const string DevSecretsKey = "b3JkZXJmbG93LWRldi1vbmx5LXNlY3JldHMta2V5ISE=";
    public const string IntakeSecret = "whsec_c2hvcC1hLWludGFrZS1zZWNyZXQtZm9yLXRlc3RzLTEyMw==";

    private FulfillmentHost(ServiceProvider services, FakeTimeProvider clock, Dispatcher dispatcher)
    {
        Services = services;
        Clock = clock;
        Dispatched = dispatcher;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; }
    public Dispatcher Dispatched { get; }
    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();
    public OrderIntake Intake => Services.GetRequiredService<OrderIntake>();

    /// <summary>
    /// Starts the host. Tracking polls every active supplier order on every sweep unless <paramref name="settings"/> sets
    /// the adaptive intervals; <paramref name="configure"/> runs last, so a test can add to or replace any service.
    /// </summary>
    public static async Task<FulfillmentHost> StartAsync(string connectionString, IDictionary<string, string?>? settings = null,
        FakeTimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        clock ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var dispatcher = new Dispatcher();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OrderFlow"] = connectionString,
            ["OrderFlow:Engine:WorkflowsDirectory"] = RepositoryPath("workflows"),
            ["OrderFlow:Engine:CorrelationLogProperty"] = "OrderId",
            // The simulator's storefront and suppliers listen on loopback; tests of the SSRF guard turn these off.
            ["OrderFlow:Fulfillment:AllowPrivateWebhookTargets"] = "true",
            ["OrderFlow:Fulfillment:AllowPrivateSupplierTargets"] = "true",
            ["OrderFlow:Fulfillment:PollPendingSeconds"] = "0",
            ["OrderFlow:Fulfillment:PollOutForDeliverySeconds"] = "0",
            ["OrderFlow:Fulfillment:PollInTransitSeconds"] = "0",
            ["OrderFlow:Fulfillment:PollIdleMaxSeconds"] = "0",
            ["OrderFlow:Security:SecretsKey"] = DevSecretsKey,
        }.Concat(settings ?? new Dictionary<string, string?>()).GroupBy(kv => kv.Key).Select(g => g.Last())).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(new RandomSource(11));
        services.AddSingleton<IBurstDispatcher>(dispatcher);
        services.AddOrderFlowEngine(configuration);
        services.AddOrderFlowFulfillment(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        foreach (var hosted in provider.GetServices<IHostedService>().Where(h => h is not OutboxPump and not IntakeMaterializer))
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var host = new FulfillmentHost(provider, clock, dispatcher);
        await host.ExecuteAsync("""
            WITH m AS (INSERT INTO fulfillment.merchants (id, name) VALUES (@merchant, 'Shop A') ON CONFLICT DO NOTHING RETURNING id)
            INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at) SELECT gen_random_uuid(), id, @secret, now() FROM m
            """, ("merchant", MerchantId), ("secret", IntakeSecret));
        return host;
    }

    public static string RepositoryPath(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("OrderFlow.sln not found."), relative);
    }

    /// <summary>A webhook signed with the merchant's secret (or another one), timestamped by the fake clock.</summary>
    public SignedWebhook Sign(string json, string? secret = null, string? webhookId = null, DateTimeOffset? at = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var id = webhookId ?? "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (at ?? Clock.GetUtcNow()).ToUnixTimeSeconds();
        return new SignedWebhook(id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            StandardWebhooks.Sign(secret ?? IntakeSecret, id, timestamp, body), body);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();

    /// <summary>Records dispatches instead of enqueueing Hangfire jobs.</summary>
    public sealed class Dispatcher : IBurstDispatcher
    {
        public ConcurrentQueue<Guid> Ids { get; } = new();

        public void Dispatch(Guid instanceId) => Ids.Enqueue(instanceId);

        public void Schedule(Guid instanceId, DateTimeOffset at) { }
    }
}
