using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.SupplierSimulator;

namespace OrderFlow.Fulfillment.Tests.Support;

/// <summary>
/// A fulfillment host wired to a real supplier simulator (fast), with the demo suppliers acme (preferred) and globex.
/// Tests drive it like the server would: run the bursts that were dispatched and the tracking sweep, until a condition holds.
/// </summary>
public sealed class SimulatedWorld : IAsyncDisposable
{
    private SimulatedWorld(FulfillmentHost host, WebApplication simulator)
    {
        Host = host;
        Simulator = simulator;
        SimulatorClient = new HttpClient { BaseAddress = new Uri(simulator.BaseAddress()) };
    }

    public FulfillmentHost Host { get; }
    public WebApplication Simulator { get; }
    public HttpClient SimulatorClient { get; }

    /// <summary>
    /// Starts the simulator and the host. With <paramref name="clock"/>, both run on that fake clock (the simulator at its
    /// normal, not fast, pace), so a test moves suppliers, carriers and OrderFlow through time together.
    /// </summary>
    /// <param name="simulatorArgs">More simulator settings, e.g. <c>--Simulator:Suppliers:acme:HmacSecret=…</c>.</param>
    /// <param name="supplierSql">Run on the seeded suppliers before the catalogue is loaded (credentials the simulator expects, limits …).</param>
    /// <param name="loadCatalogue">False when the host may not reach the simulator (tests of the SSRF guard): the test writes the catalogue.</param>
    public static async Task<SimulatedWorld> StartAsync(string connectionString, IDictionary<string, string?>? settings = null,
        FakeTimeProvider? clock = null, Action<IServiceCollection>? configure = null,
        string[]? simulatorArgs = null, string? supplierSql = null, bool loadCatalogue = true)
    {
        var simulator = clock is null
            ? SimulatorApp.Create(["--fast", "--Simulator:Seed=5", .. simulatorArgs ?? []])
            : SimulatorApp.Create(["--Simulator:Seed=5", .. simulatorArgs ?? []], b => b.Services.AddSingleton<TimeProvider>(clock));
        simulator.Urls.Add("http://127.0.0.1:0");
        await simulator.StartAsync();
        var host = await FulfillmentHost.StartAsync(connectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Demo:Enabled"] = "true",
            ["OrderFlow:Demo:MerchantId"] = FulfillmentHost.MerchantId,
            ["OrderFlow:Demo:IntakeSecret"] = FulfillmentHost.IntakeSecret,
            ["OrderFlow:Demo:SimulatorBaseUrl"] = simulator.BaseAddress(),
            ["OrderFlow:Fulfillment:SupplierAttemptTimeoutSeconds"] = "2",
            ["OrderFlow:Fulfillment:SupplierTotalTimeoutSeconds"] = "4",
            // The simulator's SMS provider; tests that want SMS set OrderFlow:Sms:Enabled and turn it on for the merchant.
            ["OrderFlow:Sms:ProviderUrl"] = simulator.BaseAddress() + "/sms/messages",
            ["OrderFlow:Sms:Token"] = "sim-sms-token",
        }.Concat(settings ?? new Dictionary<string, string?>()).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value), clock, configure);
        // A new simulator numbers its orders from 1 again: supplier orders an earlier world left active in this database
        // would be taken for the new world's and polled. They belong to a finished test; retire them.
        await host.ExecuteAsync("UPDATE fulfillment.supplier_orders SET status = 'cancelled' WHERE status IN ('pending', 'accepted', 'shipped', 'cancel_requested')");
        var world = new SimulatedWorld(host, simulator);
        if (supplierSql is not null)
        {
            await world.ChangeSuppliersAsync(supplierSql);
        }

        if (loadCatalogue)
        {
            await world.EnsureCatalogueAsync();
        }

        return world;
    }

    public async Task<Guid> SubmitAsync(JsonObject order)
    {
        var result = await Host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, Host.Sign(order.ToJsonString()), default);
        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        return result.OrderId!.Value;
    }

    /// <summary>Changes supplier rows and makes this host read them again at once (not after the supplier cache expires).</summary>
    public async Task ChangeSuppliersAsync(string sql)
    {
        await Host.ExecuteAsync(sql);
        var clients = Host.Services.GetRequiredService<SupplierClients>();
        foreach (var supplier in new[] { "acme", "globex", "parcelhub" })
        {
            clients.Invalidate(supplier);
        }
    }

    /// <summary>Sets one item's stock at the simulated supplier, leaving OrderFlow's synced catalogue as it was (stale).</summary>
    public async Task SetSupplierStockAsync(string supplierId, string sku, int available) =>
        (await SimulatorClient.PutAsJsonAsync($"/admin/stock/{supplierId}/{sku}", new { available })).EnsureSuccessStatusCode();

    public Task SetKnobsAsync(object knobs) => SimulatorClient.PutAsJsonAsync("/admin/knobs", knobs);

    public async Task<JsonArray> LedgerAsync() => (await SimulatorClient.GetFromJsonAsync<JsonObject>("/admin/ledger"))!["placements"]!.AsArray();

    public Task<string?> OrderStatusAsync(Guid orderId) => Host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", orderId));

    /// <summary>Runs dispatched bursts, due timers (advancing the fake clock by <paramref name="tick"/>) and tracking sweeps until <paramref name="done"/>.</summary>
    public async Task DriveUntilAsync(Func<Task<bool>> done, TimeSpan? tick = null, int seconds = 60)
    {
        var runner = Host.Services.GetRequiredService<BurstRunner>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            while (Host.Dispatched.Ids.TryDequeue(out var id))
            {
                await runner.RunAsync(id);
            }

            if (await done())
            {
                return;
            }

            Host.Clock.Advance(tick ?? TimeSpan.FromSeconds(1));
            foreach (var id in await DueInstancesAsync())
            {
                await runner.RunAsync(id);
            }

            await SweepAsync();

            await Task.Delay(100);
        }

        throw new TimeoutException("The condition did not hold in time. " + await DescribeAsync());
    }

    /// <summary>Orders, supplier orders, open bookmarks and the last journal lines: what a failing test needs to see.</summary>
    private async Task<string> DescribeAsync()
    {
        await using var command = Host.DataSource.CreateCommand("""
            SELECT 'order ' || merchant_order_id || ' ' || status FROM fulfillment.orders
            UNION ALL SELECT 'supplier order ' || reference || ' ' || status || coalesce(' ' || rejection_message, '') FROM fulfillment.supplier_orders
            UNION ALL SELECT 'bookmark ' || activity_id || ' ' || kind || ' ' || coalesce(resume_at::text, '') FROM engine.bookmarks
            UNION ALL SELECT * FROM (SELECT 'journal ' || coalesce(activity_id, '') || ' ' || event || coalesce(' ' || error, '') FROM engine.journal ORDER BY id DESC LIMIT 15) j
            """);
        var lines = new List<string> { "now " + Host.Clock.GetUtcNow().ToString("O") };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join(Environment.NewLine, lines);
    }

    private async Task<List<Guid>> DueInstancesAsync()
    {
        await using var command = Host.DataSource.CreateCommand("SELECT DISTINCT instance_id FROM engine.bookmarks WHERE resume_at <= $1");
        command.Parameters.Add(new() { Value = Host.Clock.GetUtcNow() });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>
    /// The start-up sync swallows a supplier's failure (its last stock stays in use); on a busy machine it can time out,
    /// and routing would then see an empty catalogue. Tests need it loaded: sync each supplier until it answers.
    /// </summary>
    private async Task EnsureCatalogueAsync()
    {
        using var scope = Host.Services.CreateScope();
        var sync = scope.ServiceProvider.GetRequiredService<CatalogSyncJob>();
        await using var connection = await Host.DataSource.OpenConnectionAsync();
        foreach (var supplier in new[] { "acme", "globex" })
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await sync.SyncAsync(connection, supplier, default);
                    break;
                }
                catch (Exception) when (attempt < 5)
                {
                    await Task.Delay(500);
                }
            }
        }
    }

    /// <summary>One tracking sweep, as the recurring job runs it.</summary>
    public async Task SweepAsync()
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<TrackingPollJob>().RunAsync(default);
    }

    public async Task SyncCatalogAsync()
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<CatalogSyncJob>().RunAsync(default);
    }

    public async ValueTask DisposeAsync()
    {
        SimulatorClient.Dispose();
        await Host.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
