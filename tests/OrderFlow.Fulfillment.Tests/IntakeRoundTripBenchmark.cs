using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;
using Xunit.Abstractions;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Runs only when ORDERFLOW_BENCH_INTAKE=1; otherwise skipped.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ORDERFLOW_BENCH_INTAKE") != "1")
        {
            Skip = "Set ORDERFLOW_BENCH_INTAKE=1 to run the intake micro-benchmark.";
        }
    }
}

/// <summary>
/// A micro-benchmark, not a timed test: prints intake's orders per second and its cost per order (Npgsql command and batch
/// executions, each one round trip, plus committed transactions from pg_stat_database) for sequential and 16-way parallel
/// calls of <see cref="OrderIntake.ReceiveAsync(string, SignedWebhook, CancellationToken)"/>. ORDERFLOW_BENCH_INTAKE_N sets
/// the number of orders per run (default 2,000).
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class IntakeRoundTripBenchmark(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [BenchmarkFact]
    public async Task Intake_SequentialAndParallel_PrintsOrdersPerSecondAndRoundTrips()
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable("ORDERFLOW_BENCH_INTAKE_N"), out var parsed) ? parsed : 2_000;
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        await RunAsync(host, "warm-up", Math.Min(200, n), 4);
        await RunAsync(host, "sequential", n, 1);
        await RunAsync(host, "parallel-16", n, 16);
        await RunAsync(host, "duplicates-seq", n / 4, 1, duplicates: true);
        // Webhooks answer once the order is durable in the inbox (group commit); the materializer stores them after.
        await RunAsync(host, "ack-parallel-64", n, 64, completion: IntakeCompletion.Acknowledged);
        var materializer = host.Services.GetRequiredService<IntakeMaterializer>();
        var watch = Stopwatch.StartNew();
        var stored = 0;
        while (await materializer.MaterializeNextAsync(IntakeMaterializer.BatchSize, default) is > 0 and var claimed)
        {
            stored += claimed;
        }

        var line = $"materialize     n={stored,5}    : {stored / watch.Elapsed.TotalSeconds,7:F0} orders/s (batches of {IntakeMaterializer.BatchSize}, one after another)";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.Equal(n, stored);
    }

    private async Task RunAsync(FulfillmentHost host, string name, int n, int parallelism, bool duplicates = false, IntakeCompletion completion = IntakeCompletion.Stored)
    {
        var prefix = $"{name}-{Guid.NewGuid():N}";
        var webhooks = Enumerable.Range(0, n).Select(i => host.Sign(SampleOrders.Valid($"{prefix}-{i}", ("MUG-BLUE", 2), ("CAP-GREEN", 1)).ToJsonString())).ToArray();
        if (duplicates)
        {
            foreach (var webhook in webhooks)
            {
                await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, webhook, default);
            }
        }

        var commands = 0L;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = _ => Interlocked.Increment(ref commands),
        };
        var commitsBefore = await CommitsAsync(host);
        ActivitySource.AddActivityListener(listener);
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var result = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, webhooks[i], completion, default);
                Assert.Equal(duplicates ? IntakeOutcome.Duplicate : IntakeOutcome.Accepted, result.Outcome);
            }
        })));
        watch.Stop();
        listener.Dispose();
        var commits = await CommitsAsync(host) - commitsBefore;
        var line = $"intake {name,-15} n={n,5} x{parallelism,-2}: {n / watch.Elapsed.TotalSeconds,7:F0} orders/s, " +
                   $"{(double)Interlocked.Read(ref commands) / n:F2} Npgsql executions/order (+1 COMMIT or ROLLBACK each), {(double)commits / n:F2} commits/order (pg_stat_database, incl. background)";
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static async Task<long> CommitsAsync(FulfillmentHost host)
    {
        // pg_stat_database is flushed by each backend about once a second.
        await Task.Delay(1_500);
        await using var connection = await host.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
