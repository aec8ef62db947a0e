using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using Xunit.Abstractions;

namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>
/// The engine's core under a seeded simulation: the real runner, sweep, runtime and ops on a real PostgreSQL, with a fake
/// clock, a fake supplier and notifier, and crashes between any two steps of a burst. One database for all seeds; each seed
/// has instances of its own. <c>ORDERFLOW_SIM_SEED=n</c> runs just seed n; <c>ORDERFLOW_SIM_SEEDS=n</c> changes how many run.
/// </summary>
public sealed class DeterministicSimulationTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private const int DefaultSeeds = 1000;

    [Fact]
    public async Task Simulation_SeedsWithCrashesDuplicatesAndFaults_EveryInvariantHolds()
    {
        var seeds = SeedsToRun();
        var workers = Math.Clamp(Environment.ProcessorCount * 2, 2, 4);
        var hosts = new List<EngineHost>();
        for (var i = 0; i < Math.Min(workers, seeds.Count); i++)
        {
            hosts.Add(await StartHostAsync());
        }

        var stats = new SeedStats();
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        try
        {
            // Each worker is an engine "process" with its own fake clock, supplier and checkpoints; seeds never share instances.
            await Task.WhenAll(hosts.Select((host, w) => Task.Run(async () =>
            {
                var local = new SeedStats();
                foreach (var seed in seeds.Where((_, i) => i % hosts.Count == w))
                {
                    bool enough;
                    lock (failures)
                    {
                        enough = failures.Count >= 3;
                    }

                    if (enough)
                    {
                        break;
                    }

                    if (await new SeedRun(host, seed, local).RunAsync() is { } failure)
                    {
                        lock (failures)
                        {
                            failures.Add(failure);
                        }
                    }
                }

                lock (stats)
                {
                    stats.Add(local);
                }
            })));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }

        output.WriteLine($"{seeds.Count} seeds in {watch.Elapsed.TotalSeconds:F1} s: {stats.Instances} instances, {stats.Bursts} bursts, " +
            $"{stats.Crashes} crashes, {stats.DuplicateJobs} duplicate jobs, {stats.ConcurrentBursts} concurrent pairs, " +
            $"{stats.DuplicateEvents} duplicate events, {stats.Sweeps} sweeps, {stats.IncidentsRetried} incidents retried, " +
            $"{stats.SupplierCalls} supplier calls, {stats.NotificationsResent} notifications resent");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(seeds.Count < 100 || (stats.Crashes > 0 && stats.DuplicateJobs > 0), "the simulation injected no faults");
    }

    private async Task<EngineHost> StartHostAsync()
    {
        var host = await EngineHost.StartAsync(db.ConnectionString, configure: services =>
        {
            services.AddSingleton<SimSupplier>();
            services.AddSingleton<CrashingCheckpoints>();
            services.AddSingleton<IBurstCheckpoints>(sp => sp.GetRequiredService<CrashingCheckpoints>());
            services.AddActivity<SimPlaceActivity>().AddActivity<SimNotifyActivity>();
        });
        await using (var create = host.DataSource.CreateCommand("""
            CREATE SCHEMA IF NOT EXISTS sim;
            CREATE TABLE IF NOT EXISTS sim.outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL,
                instance_id uuid NOT NULL, kind text NOT NULL, sent_at timestamptz);
            CREATE INDEX IF NOT EXISTS outbox_instance ON sim.outbox (instance_id);
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        await host.PublishAsync(SimWorkflow.Definition);
        return host;
    }

    private static IReadOnlyList<int> SeedsToRun()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("ORDERFLOW_SIM_SEED"), out var one))
        {
            return [one];
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("ORDERFLOW_SIM_SEEDS"), out var n) && n > 0 ? n : DefaultSeeds;
        return Enumerable.Range(1, count).ToList();
    }
}
