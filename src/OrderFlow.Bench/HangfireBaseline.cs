using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace OrderFlow.Bench;

/// <summary>
/// The reference point: how many empty jobs a second a Hangfire server processes on the same database, with the storage
/// options OrderFlow's server uses (its own schema, so the OrderFlow server never sees these jobs). Jobs are enqueued
/// first; the clock runs from the server's start until the last one has succeeded.
/// </summary>
public static class HangfireBaseline
{
    public const string Schema = "hangfire_bench";

    public static async Task<BaselineResult> RunAsync(BenchDatabase database, int jobs, int workers, Timeline timeline, Action<string> progress)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = TimeSpan.FromMilliseconds(250),
                InvisibilityTimeout = TimeSpan.FromMinutes(2),
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
            });
        var storage = JobStorage.Current;

        var client = new BackgroundJobClient(storage);
        var enqueued = 0;
        await Parallel.ForAsync(0, jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (_, _) =>
        {
            client.Enqueue(() => EmptyJob.Run());
            if (Interlocked.Increment(ref enqueued) % 5000 == 0)
            {
                progress($"enqueued {enqueued:N0} empty jobs");
            }

            return ValueTask.CompletedTask;
        });

        var before = await database.ReadCountersAsync();
        var postgres = await database.CpuMeterAsync();
        var (machineStart, postgresStart, ownStart) = (MachineCpu.Read(), postgres?.Sample(), ProcessSample.OfProcess(Environment.ProcessId));
        var clock = Stopwatch.StartNew();
        using (new BackgroundJobServer(new BackgroundJobServerOptions
               {
                   WorkerCount = workers,
                   Queues = ["default"],
                   ServerName = $"bench-baseline:{Environment.ProcessId}",
                   SchedulePollingInterval = TimeSpan.FromSeconds(1),
               }, storage))
        {
            var monitoring = storage.GetMonitoringApi();
            long succeeded, seen = 0;
            while ((succeeded = monitoring.SucceededListCount()) < jobs)
            {
                // For the chart, beside the orders: the jobs done since the last look (every 250 ms).
                timeline.EmptyJobsDone((int)(succeeded - seen));
                seen = succeeded;
                if (clock.Elapsed > TimeSpan.FromMinutes(15))
                {
                    throw new TimeoutException($"Only {monitoring.SucceededListCount()} of {jobs} empty jobs ran in 15 minutes.");
                }

                await Task.Delay(250);
            }

            clock.Stop();
            timeline.EmptyJobsDone((int)(succeeded - seen));
        }

        // Where the cores went meanwhile: the bench's process is Hangfire's client and server here.
        var machine = machineStart is not null && MachineCpu.Read() is { } machineNow
            ? MachineShare.Of(machineNow.Since(machineStart), new("Hangfire (the bench's process)", ProcessSample.OfProcess(Environment.ProcessId).Since(ownStart).TotalMs),
                new("PostgreSQL", postgresStart is null ? 0 : postgres!.Sample().Since(postgresStart).TotalMs))
            : null;

        var cost = (await database.ReadCountersAsync()).Minus(before);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await BenchDatabase.Exec(connection, $"DROP SCHEMA {Schema} CASCADE");
        return new BaselineResult(jobs, workers, clock.Elapsed.TotalSeconds, jobs / clock.Elapsed.TotalSeconds, (double)cost.Commits / jobs) { Machine = machine };
    }
}

/// <summary>The job of the baseline: does nothing.</summary>
public static class EmptyJob
{
    public static void Run()
    {
    }
}

public sealed record BaselineResult(int Jobs, int Workers, double Seconds, double JobsPerSecond, double TransactionsPerJob)
{
    /// <summary>Where the machine's CPU went while the jobs ran (the server is stopped; the idle simulator is in "other").</summary>
    public MachineShare? Machine { get; init; }
}
