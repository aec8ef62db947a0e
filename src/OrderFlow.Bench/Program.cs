using System.Diagnostics;
using Npgsql;
using OrderFlow.Bench;

// ./orderflow bench starts PostgreSQL and the simulator, builds, then runs this driver; it starts the server itself, once per growth level.
if (args is ["--chart", var stored])
{
    // Draws the chart of a stored run again (after the chart changed): bench/results/bench-….json → the .png beside it.
    Console.WriteLine($"bench: wrote {Chart.RenderStored(stored)}");
    return 0;
}

var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"bench: {error}\n{BenchOptions.Usage}");
    return 2;
}

const string Merchant = "demo-shop";
const string IntakeSecret = "whsec_ZGVtby1tZXJjaGFudC1pbnRha2Utc2VjcmV0LTEyMzQ1Ng==";

void Say(string message) => Console.WriteLine($"bench: [{DateTime.UtcNow:HH:mm:ss}] {message}");

Directory.CreateDirectory(options.OutputDirectory);
Directory.CreateDirectory(options.LogDirectory);
var database = new BenchDatabase(options);
var timeline = new Timeline();
var report = new BenchReport { Options = options, StartedAt = DateTimeOffset.UtcNow };
var runId = DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
// ./orderflow's cleanup sends SIGTERM: stop the phases, then the finally blocks stop the server.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

try
{
    report.Machine = Machine.Describe(await database.DescribeServerAsync());
    for (var level = 0; level < options.Seeds.Length; level++)
    {
        var seed = options.Seeds[level];
        var result = new LevelResult { StoredOrders = seed };
        report.Levels.Add(result);
        Say($"level {level + 1}/{options.Seeds.Length}: fresh database with {seed:N0} stored orders");
        // Large seeds are kept and copied by later runs (seeding 1,000,000 orders takes a quarter of an hour).
        var keepSeeded = seed >= 100_000;
        var copied = await database.RecreateAsync(keepSeeded ? seed : 0, options.FreshSeed);
        if (Directory.Exists(options.MailDirectory))
        {
            Directory.Delete(options.MailDirectory, recursive: true);
        }

        await ResetSimulatorAsync(options.SimulatorUrl);
        var serverLog = Path.Combine(options.LogDirectory, $"bench-server-{level + 1}.log");
        ServerProcess? server = await ServerProcess.StartAsync(options, database.ConnectionString, serverLog);
        try
        {
            if (copied)
            {
                Say($"server up (pid {server.Pid}); {seed:N0} stored orders copied from the database an earlier run seeded (--fresh-seed seeds again)");
                result.SeededCopy = true;
            }
            else
            {
                Say($"server up (pid {server.Pid}); seeding");
                timeline.Phase($"seed {seed / 1000:N0}k");
                result.SeedSeconds = (await Seeder.SeedAsync(database.ConnectionString, seed, Merchant, Say)).TotalSeconds;
                if (keepSeeded)
                {
                    await server.DisposeAsync();
                    server = null;
                    await database.SaveSeededAsync(seed);
                    server = await ServerProcess.StartAsync(options, database.ConnectionString, serverLog + ".2");
                    Say($"kept a copy of the seeded database for later runs; server up again (pid {server.Pid})");
                }
            }

            using var load = new OrderLoad(new Uri($"http://127.0.0.1:{options.Port}/"), Merchant, IntakeSecret, $"bench-{runId}-{level + 1}-", timeline);
            using var rss = SampleRss(server, timeline, stop.Token);

            // Lifecycle: a closed loop keeps `Backlog` orders in flight; completions are counted in the measured window only.
            timeline.Phase($"lifecycle ({seed / 1000:N0}k stored)");
            Say($"lifecycle: {options.LifecycleWarmupSeconds} s warm-up, then {options.LifecycleSeconds} s measured, {options.Backlog} orders in flight");
            result.Lifecycle = await RunLifecycleAsync(options, database, server, load, timeline, Say, stop.Token);
            Say($"lifecycle: {result.Lifecycle.OrdersPerSecond:0.0} complete orders/s, {result.Lifecycle.TransactionsPerOrder:0.0} transactions/order; CPU ms/order in the window: server {result.Lifecycle.WindowCpuMsPerOrder:0.0}, PostgreSQL {result.Lifecycle.WindowPostgresCpuMsPerOrder:0.0}");

            timeline.Phase($"intake {options.IntakeRate}/s ({seed / 1000:N0}k stored)");
            Say($"intake latency: {options.IntakeRate}/s offered for {options.IntakeSeconds} s");
            await database.ResetStatementsAsync();
            var intakePostgres = await database.CpuMeterAsync();
            var intakeCpu = (Server: server.CpuMilliseconds(), Postgres: intakePostgres?.Milliseconds(), Own: Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
            var backgroundBefore = await database.BackgroundAsync();
            var intakeClock = Stopwatch.StartNew();
            var answers = await load.OfferAsync(options.IntakeRate, TimeSpan.FromSeconds(options.IntakeSeconds), stop.Token);
            var intakeMs = intakeClock.Elapsed.TotalMilliseconds;
            var backgroundAfter = await database.BackgroundAsync();
            var latencies = answers.Select(a => a.Ms).ToList();
            result.Intake = new IntakeLatency(options.IntakeRate, latencies.Count, options.IntakeRate * options.IntakeSeconds - latencies.Count,
                Stats.Percentile(latencies, 0.50), Stats.Percentile(latencies, 0.95), Stats.Percentile(latencies, 0.99))
            {
                // The p99 of one 30 s window moves by more than a fifth between runs of the same code (a slow second or two
                // decides it); the run's p99 is over all its windows, and each window's is kept to show the spread.
                P99ByWindowMs = IntakeLatency.P99ByWindow(answers, options.IntakeSeconds),
                ServerCores = (server.CpuMilliseconds() - intakeCpu.Server) / intakeMs,
                PostgresCores = intakePostgres is null ? null : (intakePostgres.Milliseconds() - intakeCpu.Postgres) / intakeMs,
                LoadGeneratorCores = (Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - intakeCpu.Own) / intakeMs,
                TopStatements = level == 0 ? await database.TopStatementsAsync() : null,
                BackgroundEventsPerSecond = (backgroundAfter.LastEvent - backgroundBefore.LastEvent) / (intakeMs / 1000),
                InboxAtEnd = backgroundAfter.Inbox,
            };
            Say($"intake latency: server {result.Intake.ServerCores:0.00} cores, PostgreSQL {result.Intake.PostgresCores:0.00} cores, load generator {result.Intake.LoadGeneratorCores:0.00} cores");
            Say($"intake latency: p50 {result.Intake.P50Ms:0.0} ms, p95 {result.Intake.P95Ms:0.0} ms, p99 {result.Intake.P99Ms:0.0} ms ({result.Intake.Failed} failed){result.Intake.WindowsText}");
            Say($"intake latency: meanwhile {result.Intake.BackgroundEventsPerSecond:0} status events/s recorded in the background; {result.Intake.InboxAtEnd:N0} orders still in the inbox at the end");

            if (level == 0)
            {
                timeline.Phase("intake saturation");
                Say($"intake saturation: {options.SaturationConcurrency} senders for {options.SaturationSeconds} s");
                var (acked, seconds) = await load.SaturateAsync(options.SaturationConcurrency, TimeSpan.FromSeconds(options.SaturationSeconds), stop.Token);
                result.SaturationOrdersPerSecond = acked / seconds;
                Say($"intake saturation: {result.SaturationOrdersPerSecond:0} orders/s");
            }

            result.PeakRssMb = server.PeakRssBytes / 1048576.0;
            await server.DisposeAsync();
            server = null;

            if (level == 0)
            {
                timeline.Phase("hangfire baseline");
                Say($"baseline: {options.EmptyJobs:N0} empty Hangfire jobs, {options.HangfireWorkers} workers, same database (server stopped)");
                report.Baseline = await HangfireBaseline.RunAsync(database, options.EmptyJobs, options.HangfireWorkers, timeline, Say);
                Say($"baseline: {report.Baseline.JobsPerSecond:0.0} empty jobs/s, {report.Baseline.TransactionsPerJob:0.0} transactions/job");
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            // The level's e-mails are not read again: free the pickup directory (in memory when ./orderflow found a tmpfs).
            if (Directory.Exists(options.MailDirectory))
            {
                Directory.Delete(options.MailDirectory, recursive: true);
            }
        }
    }

    report.FinishedAt = DateTimeOffset.UtcNow;
    report.Timeline = timeline.Points();
    report.Phases = [.. timeline.Phases.Select(p => new PhaseMark(p.At, p.Phase))];
    var written = report.Write(options.OutputDirectory);
    Console.WriteLine();
    Console.WriteLine(report.Table());
    Console.WriteLine();
    foreach (var file in written)
    {
        Say($"wrote {file}");
    }

    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Say("interrupted");
    return 130;
}
catch (Exception e)
{
    Say($"failed: {e}");
    return 1;
}

static async Task ResetSimulatorAsync(string simulatorUrl)
{
    using var http = new HttpClient();
    (await http.PostAsync($"{simulatorUrl}/admin/reset", null)).EnsureSuccessStatusCode();
}

static IDisposable SampleRss(ServerProcess server, Timeline timeline, CancellationToken ct)
{
    var timer = new Timer(_ => timeline.Rss(server.CurrentRssBytes), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    ct.Register(() => timer.Dispose());
    return timer;
}

static async Task<LifecycleResult> RunLifecycleAsync(BenchOptions options, BenchDatabase database, ServerProcess server, OrderLoad load,
    Timeline timeline, Action<string> say, CancellationToken ct)
{
    await database.ResetStatementsAsync();
    var postgres = await database.CpuMeterAsync();

    var outstanding = new HashSet<Guid>();
    var gate = new Lock();
    var slots = new SemaphoreSlim(options.Backlog);
    // A storefront does not open a thousand connections at once: at most 32 requests in flight, like the demo's sender.
    var inFlight = new SemaphoreSlim(32);
    var clock = Stopwatch.StartNew();
    // The window opens after the warm-up and once as many orders have completed as are kept in flight: the first orders
    // are all admitted at once and finish together, so only after one full turnover does the rate of completions
    // measure the steady state rather than the pipeline filling.
    var warmup = TimeSpan.FromSeconds(options.LifecycleWarmupSeconds);
    var window = TimeSpan.FromSeconds(options.LifecycleSeconds);
    var end = TimeSpan.MaxValue;
    var drainFor = TimeSpan.FromSeconds(options.Quick ? 120 : 300);
    var drainUntil = TimeSpan.MaxValue;
    var giveUp = TimeSpan.FromSeconds(options.LifecycleWarmupSeconds + options.LifecycleSeconds + 300);
    var completedInWindow = 0;
    var completedTotal = 0;
    var sent = 0;
    var windowClock = new Stopwatch();
    // CPU inside the window, for the steady-state cost per order (the whole-run figures include the warm-up and the drain),
    // split into user and kernel time, with context switches (see ProcessSample).
    (ProcessSample? Server, ProcessSample? Postgres) windowSampleStart = default;
    (ProcessCost? Server, ProcessCost? Postgres) windowSample = default;
    // And where the rest of the machine went meanwhile: the simulator, the bench itself, other processes, idle, stolen.
    (MachineCpu? Machine, ProcessSample? Simulator, ProcessSample? Bench) machineStart = default;
    MachineShare? machineShare = null;
    var costStart = await database.ReadCountersAsync();
    var cpuStart = server.CpuMilliseconds();
    var postgresCpuStart = postgres?.Milliseconds() ?? 0;

    // Sender: whenever a slot is free, send the next order (closed loop on completions, not on acknowledgements).
    var sender = Task.Run(async () =>
    {
        var sends = new List<Task>();
        while (clock.Elapsed < end && !ct.IsCancellationRequested)
        {
            if (!await slots.WaitAsync(TimeSpan.FromMilliseconds(200), ct))
            {
                continue;
            }

            await inFlight.WaitAsync(ct);
            sends.Add(Task.Run(async () =>
            {
                var id = await load.SendAsync(Stopwatch.GetTimestamp(), ct);
                inFlight.Release();
                if (id is { } orderId)
                {
                    lock (gate)
                    {
                        outstanding.Add(orderId);
                        sent++;
                    }
                }
                else
                {
                    slots.Release();
                }
            }, ct));
            sends.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(sends);
    }, ct);

    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync(ct);
    var lastReport = TimeSpan.Zero;
    while (!ct.IsCancellationRequested)
    {
        if (end == TimeSpan.MaxValue && clock.Elapsed >= warmup && (completedTotal >= options.Backlog || clock.Elapsed >= giveUp))
        {
            end = clock.Elapsed + window;
            drainUntil = end + drainFor;
            windowClock.Start();
            windowSampleStart = (ProcessSample.OfProcess(server.Pid), postgres?.Sample());
            machineStart = (MachineCpu.Read(), options.SimulatorPid is { } simPid ? ProcessSample.OfProcess(simPid) : null, ProcessSample.OfProcess(Environment.ProcessId));
        }

        if (clock.Elapsed >= end && windowClock.IsRunning)
        {
            windowClock.Stop();
            windowSample = (windowSampleStart.Server is { } serverStart ? ProcessSample.OfProcess(server.Pid).Since(serverStart) : null,
                windowSampleStart.Postgres is { } pgStart ? postgres?.Sample().Since(pgStart) : null);
            if (machineStart is { Machine: { } machineAtStart, Bench: { } benchStart } && MachineCpu.Read() is { } machineNow && windowSample.Server is { } serverCost)
            {
                machineShare = MachineShare.Of(machineNow.Since(machineAtStart), [
                    new("server", serverCost.TotalMs),
                    new("PostgreSQL", windowSample.Postgres?.TotalMs ?? 0),
                    .. machineStart.Simulator is { } simStart ? [new MachinePart("simulator", ProcessSample.OfProcess(options.SimulatorPid!.Value).Since(simStart).TotalMs)] : Array.Empty<MachinePart>(),
                    new("load generator", ProcessSample.OfProcess(Environment.ProcessId).Since(benchStart).TotalMs)]);
            }
        }

        Guid[] ids;
        lock (gate)
        {
            ids = [.. outstanding];
        }

        // After the window: no new orders; the ones sent are followed to completion, so each is counted whole in the cost.
        if (clock.Elapsed >= end && sender.IsCompleted && (ids.Length == 0 || clock.Elapsed >= drainUntil))
        {
            break;
        }

        var done = ids.Length == 0 ? [] : await database.CompletedAsync(connection, ids);
        lock (gate)
        {
            foreach (var id in done)
            {
                outstanding.Remove(id);
            }
        }

        if (done.Count > 0)
        {
            slots.Release(done.Count);
            timeline.Completed(done.Count);
            completedTotal += done.Count;
            if (windowClock.IsRunning)
            {
                completedInWindow += done.Count;
            }
        }

        if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
        {
            lastReport = clock.Elapsed;
            var stage = !windowClock.IsRunning && end == TimeSpan.MaxValue ? "warm-up" : clock.Elapsed < end ? "window" : "drain";
            say($"  {clock.Elapsed.TotalSeconds:0} s ({stage}): {ids.Length} in flight, {completedInWindow} complete in the window, {completedTotal} in all, RSS {server.CurrentRssBytes / 1048576} MB");
        }

        // Once a second: each poll probes every order in flight (see BenchDatabase.CompletedAsync), and its cost lands on
        // PostgreSQL's CPU, which the bench charges to the orders; its own execution time is reported beside the profile.
        await Task.Delay(1000, ct);
    }

    await sender;
    var elapsed = clock.Elapsed.TotalSeconds;
    var cost = (await database.ReadCountersAsync()).Minus(costStart);
    var cpu = server.CpuMilliseconds() - cpuStart;
    var postgresCpu = (postgres?.Milliseconds() ?? 0) - postgresCpuStart;
    var top = await database.TopStatementsAsync();
    var poll = await database.CompletionPollCostAsync();

    // The idle cost (sweeps, polls), so the cost per order can be the marginal one: idle rate subtracted. Measured now,
    // with every order followed to the end and the server warm: measured before the run, it caught a new server's
    // start-up (JIT, the first sweeps over a copied database) and made the whole-run figures at 1,000,000 stored ~0.
    // Five one-second slices, and each rate is the lowest of them: autovacuum catching up with the run often starts
    // right after the drain, and a second of it taken for the idle rate and subtracted over the whole run put
    // PostgreSQL's whole-run cost per order at 10 ms against 26 ms in the window (2026-11-30 17:41). That vacuum is
    // work the orders caused, not the idle floor.
    var slices = new List<IdleRates>(5);
    for (var slice = 0; slice < 5; slice++)
    {
        var countersBefore = await database.ReadCountersAsync();
        var cpuBefore = server.CpuMilliseconds();
        var postgresBefore = postgres?.Milliseconds() ?? 0;
        var sliceClock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        slices.Add(IdleRates.Of((await database.ReadCountersAsync()).Minus(countersBefore), server.CpuMilliseconds() - cpuBefore,
            (postgres?.Milliseconds() ?? 0) - postgresBefore, sliceClock.Elapsed.TotalSeconds));
    }

    var idle = IdleRates.Lowest(slices);

    var undrained = sent - completedTotal;
    if (undrained > 0)
    {
        say($"  {undrained} orders did not complete within the drain; the cost per order counts the completed ones only (an overestimate)");
    }

    // Marginal cost per order: everything from the first send to the last completion, less what the idle server costs in that time.
    double? PerOrder(double total, double idlePerSecond) => Marginal.PerOrder(total, idlePerSecond, elapsed, completedTotal);
    var seconds = windowClock.Elapsed.TotalSeconds;
    return new LifecycleResult(
        completedInWindow,
        seconds,
        completedInWindow / seconds,
        PerOrder(cost.Commits - cost.Own, idle.Commits),
        cost.Statements > 0 ? PerOrder(cost.Statements - cost.Own, idle.Statements) : null,
        cost.StatementsWithoutTxControl > 0 ? PerOrder(cost.StatementsWithoutTxControl - cost.Own, idle.StatementsWithoutTxControl) : null,
        (cost.Commits - cost.Own) / elapsed,
        PerOrder(cpu, idle.ServerCpuMs),
        cpu / (elapsed * 1000),
        completedTotal,
        undrained,
        idle.Commits,
        postgres is null ? null : PerOrder(postgresCpu, idle.PostgresCpuMs),
        postgres is null ? null : postgresCpu / (elapsed * 1000),
        top,
        completedTotal)
    {
        WindowCpuMsPerOrder = completedInWindow > 0 ? windowSample.Server?.TotalMs / completedInWindow : null,
        WindowPostgresCpuMsPerOrder = completedInWindow > 0 ? windowSample.Postgres?.TotalMs / completedInWindow : null,
        WalRecordsPerOrder = cost.WalRecords > 0 ? PerOrder(cost.WalRecords, idle.WalRecords) : null,
        WalBytesPerOrder = cost.WalBytes > 0 ? PerOrder(cost.WalBytes, idle.WalBytes) : null,
        BuffersPerOrder = cost.Buffers > 0 ? PerOrder(cost.Buffers, idle.Buffers) : null,
        WindowServer = windowSample.Server,
        WindowPostgres = windowSample.Postgres,
        WindowMachine = machineShare,
        CompletionPolls = poll.Calls,
        CompletionPollExecMsPerOrder = completedTotal > 0 ? poll.ExecMs / completedTotal : null,
    };
}
