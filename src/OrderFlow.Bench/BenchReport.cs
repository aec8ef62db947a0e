using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderFlow.Bench;

/// <summary>Everything one run measured, and its three renderings: the table, JSON and Markdown, and the chart.</summary>
public sealed class BenchReport
{
    /// <summary>Statements listed in the Markdown profiles (the JSON has them all, longer).</summary>
    public const int StatementsShown = 12;

    private static string Short(string query) => query.Length > 110 ? query[..110] + "…" : query;

    [JsonIgnore]
    public BenchOptions Options { get; init; } = null!;

    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public string Mode => Options.Quick ? "quick" : "full";
    public MachineInfo Machine { get; set; } = null!;
    public string Conditions => Options.Conditions;
    public List<LevelResult> Levels { get; } = [];
    public BaselineResult? Baseline { get; set; }
    public double? LifecycleToEmptyJobRatio => Baseline is null || Levels.Count == 0 ? null : Levels[0].Lifecycle?.OrdersPerSecond / Baseline.JobsPerSecond;
    public double? GrowthThroughputRatio => Levels.Count < 2 ? null : Levels[^1].Lifecycle?.OrdersPerSecond / Levels[0].Lifecycle?.OrdersPerSecond;
    public double? GrowthP99Ratio => Levels.Count < 2 ? null : Levels[^1].Intake?.P99Ms / Levels[0].Intake?.P99Ms;
    public List<SecondPoint> Timeline { get; set; } = [];
    public List<PhaseMark> Phases { get; set; } = [];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public List<string> Write(string directory)
    {
        var stamp = StartedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var name = Path.Combine(directory, $"bench-{stamp}-{Mode}");
        File.WriteAllText(name + ".json", JsonSerializer.Serialize(this, Json));
        File.WriteAllText(name + ".md", Markdown(Path.GetFileName(name) + ".png"));
        Chart.Render(this, name + ".png");
        return [name + ".json", name + ".md", name + ".png"];
    }

    public string Table()
    {
        var first = Levels.FirstOrDefault();
        var last = Levels.Count > 1 ? Levels[^1] : null;
        var rows = new List<(string Measure, string Value, string Target)>
        {
            ("intake at saturation", F(first?.SaturationOrdersPerSecond, "0", " orders/s"), Target(first?.SaturationOrdersPerSecond >= 2000, "≥ 2,000/s")),
            ($"intake latency at {Options.IntakeRate}/s offered", first?.Intake is { } i ? $"p50 {i.P50Ms:0.0} ms, p95 {i.P95Ms:0.0} ms, p99 {i.P99Ms:0.0} ms{i.WindowsText}{(i.BackgroundEventsPerSecond is { } bg ? $" (meanwhile {bg:0} status events/s in the background, {i.InboxAtEnd:N0} orders in the inbox at the end)" : "")}" : "–",
                Target(first?.Intake?.P99Ms <= 50, "p99 ≤ 50 ms")),
            ("lifecycle, complete orders", first?.Lifecycle is { } l ? $"{l.OrdersPerSecond:0.0} orders/s over {l.Seconds:0} s ({l.Orders} orders)" : "–", ""),
            ("transactions per order", F(first?.Lifecycle?.TransactionsPerOrder, "0.0", "") + (first?.Lifecycle is { } t ? $" (marginal, over {t.CostedOrders} orders followed to the end{(t.Undrained > 0 ? $", {t.Undrained} unfinished" : "")}; idle server {t.IdleTransactionsPerSecond:0}/s)" : ""),
                Target(first?.Lifecycle?.TransactionsPerOrder <= 15, "≤ 15")),
            ("statements per order", first?.Lifecycle?.StatementsPerOrder is { } s ? $"{s:0.0} ({first.Lifecycle.StatementsWithoutTxControlPerOrder:0.0} without BEGIN/COMMIT/SAVEPOINT)" : "–", ""),
            ("WAL and buffers per order", first?.Lifecycle?.WalRecordsPerOrder is { } wr
                ? $"{wr:0} WAL records, {first.Lifecycle.WalBytesPerOrder / 1024:0.0} kB; {first.Lifecycle.BuffersPerOrder:0} shared buffers touched (the statements', marginal)" : "–", ""),
            ("server CPU per order", CpuPerOrder(first?.Lifecycle?.WindowCpuMsPerOrder, first?.Lifecycle?.CpuMsPerOrder, first?.Lifecycle?.WindowServer, first?.Lifecycle?.Orders) + (first?.Lifecycle is { } c ? $" ({c.ServerCores:0.00} cores busy over the run)" : ""), ""),
            ("PostgreSQL CPU per order", CpuPerOrder(first?.Lifecycle?.WindowPostgresCpuMsPerOrder, first?.Lifecycle?.PostgresCpuMsPerOrder, first?.Lifecycle?.WindowPostgres, first?.Lifecycle?.Orders) + (first?.Lifecycle?.PostgresCores is { } pc ? $" ({pc:0.00} cores busy over the run)" : ""), ""),
            ("the machine in the window", first?.Lifecycle?.WindowMachine is { } m ? $"{Machine.Cores} cores × {first.Lifecycle.Seconds:0} s: {m.Text()}" : "–", ""),
            ("peak server memory (RSS)", F(Levels.Count > 0 ? Levels.Max(x => x.PeakRssMb) : null, "0", " MB"), Target(Levels.Count > 0 && Levels.Max(x => x.PeakRssMb) < 512, "< 512 MB")),
            ("baseline: empty Hangfire jobs", Baseline is { } b ? $"{b.JobsPerSecond:0.0} jobs/s ({b.Workers} workers, {b.TransactionsPerJob:0.0} transactions/job){(b.Machine is { } bm ? $"; the machine meanwhile: {bm.Text()}" : "")}" : "–", ""),
            ("lifecycle/s ÷ empty jobs/s", F(LifecycleToEmptyJobRatio, "0.00", ""), Target(LifecycleToEmptyJobRatio >= 1.0, "≥ 1.0")),
        };
        foreach (var level in Levels)
        {
            rows.Add(($"growth: {level.StoredOrders:N0} stored", $"{F(level.Lifecycle?.OrdersPerSecond, "0.0", " orders/s")}, intake p99 {F(level.Intake?.P99Ms, "0.0", " ms")}{level.Intake?.WindowsText}", ""));
        }

        if (last is not null)
        {
            rows.Add(($"growth ratio {last.StoredOrders:N0} ÷ {first!.StoredOrders:N0}",
                $"throughput ×{GrowthThroughputRatio:0.00}, intake p99 ×{GrowthP99Ratio:0.00}",
                Target(GrowthThroughputRatio >= 0.8 && GrowthP99Ratio <= 1.2, "within 20%")));
        }

        var text = new StringBuilder();
        text.AppendLine("| measure | value | target |");
        text.AppendLine("|---|---|---|");
        foreach (var (measure, value, target) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {value} | {target} |");
        }

        return text.ToString();
    }

    private string Markdown(string chart)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# OrderFlow bench, {StartedAt:yyyy-MM-dd HH:mm} UTC ({Mode})");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine.Cores} cores ({Machine.CpuModel}), {Machine.MemoryGb:0} GB RAM, load average {Machine.LoadAverage} at the start.");
        text.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL: {Machine.Postgres}.");
        if (!string.IsNullOrWhiteSpace(Conditions))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Conditions: {Conditions}.");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"Phases: lifecycle {Options.LifecycleWarmupSeconds} s warm-up + {Options.LifecycleSeconds} s measured with {Options.Backlog} orders in flight; intake {Options.IntakeRate}/s for {Options.IntakeSeconds} s; saturation {Options.SaturationConcurrency} senders for {Options.SaturationSeconds} s; baseline {Options.EmptyJobs:N0} empty jobs.");
        text.AppendLine();
        text.Append(Table());
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"![throughput and latency over the run]({chart})");
        if (Levels.FirstOrDefault()?.Lifecycle is { TopStatements.Count: > 0 } profiled)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## Where PostgreSQL's time goes (lifecycle run, {Levels[0].StoredOrders:N0} stored; per order of the {profiled.ProfiledOrders} followed to the end)");
            text.AppendLine();
            text.AppendLine("| calls/order | exec ms/order | rows/call | WAL records/order | buffers/order | statement |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var t in profiled.TopStatements!.Take(StatementsShown))
            {
                var orders = Math.Max(1, profiled.ProfiledOrders);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {t.Calls / (double)orders:0.00} | {t.ExecMs / orders:0.000} | {(t.Calls == 0 ? 0 : t.Rows / (double)t.Calls):0.0} | {t.WalRecords / (double)orders:0.0} | {t.Buffers / (double)orders:0} | `{Short(t.Query).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)}` |");
            }

            if (profiled.CompletionPollExecMsPerOrder is { } pollMs)
            {
                text.AppendLine();
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"Left out of this table and inside PostgreSQL's CPU: the bench's own completion polls, {profiled.CompletionPolls} of them, {pollMs:0.000} ms of execution per order.");
            }
        }

        if (Levels.FirstOrDefault()?.Intake is { TopStatements.Count: > 0 } intake)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"## While intake ran at {intake.OfferedPerSecond}/s ({intake.Acknowledged:N0} acknowledged): server {F(intake.ServerCores, "0.00", " cores")}, PostgreSQL {F(intake.PostgresCores, "0.00", " cores")}, load generator {F(intake.LoadGeneratorCores, "0.00", " cores")}");
            text.AppendLine();
            text.AppendLine("| calls | exec ms | rows/call | statement |");
            text.AppendLine("|---|---|---|---|");
            foreach (var t in intake.TopStatements!.Take(StatementsShown))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {t.Calls} | {t.ExecMs:0} | {(t.Calls == 0 ? 0 : t.Rows / (double)t.Calls):0.0} | `{Short(t.Query).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)}` |");
            }
        }

        return text.ToString();
    }

    private static string F(double? value, string format, string unit) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) + unit : "–";

    /// <summary>The window's figure (steady state), then the whole run's marginal one (warm-up and drain, idle subtracted).</summary>
    private static string CpuPerOrder(double? window, double? run, ProcessCost? split, int? orders) =>
        $"{F(window, "0.0", " ms")} in the window{(split is { } c && orders > 0 ? $" ({c.KernelShare:0%} of it in the kernel, {(double)c.Switches / orders.Value:0} context switches per order, {(double)c.VoluntarySwitches / orders.Value:0} of them waits)" : "")}; {F(run, "0.0", " ms")} over the run";

    private static string Target(bool? met, string target) => met switch
    {
        true => $"{target}: met",
        false => $"{target}: **missed**",
        null => target,
    };
}

public sealed class LevelResult
{
    public int StoredOrders { get; init; }
    public double SeedSeconds { get; set; }
    /// <summary>The stored orders were copied from a database an earlier run seeded (SeedSeconds is then 0).</summary>
    public bool SeededCopy { get; set; }
    public LifecycleResult? Lifecycle { get; set; }
    public IntakeLatency? Intake { get; set; }
    public double? SaturationOrdersPerSecond { get; set; }
    public double PeakRssMb { get; set; }
}

public sealed record LifecycleResult(int Orders, double Seconds, double OrdersPerSecond, double? TransactionsPerOrder, double? StatementsPerOrder,
    double? StatementsWithoutTxControlPerOrder, double TransactionsPerSecond, double? CpuMsPerOrder, double ServerCores,
    int CostedOrders, int Undrained, double IdleTransactionsPerSecond, double? PostgresCpuMsPerOrder = null, double? PostgresCores = null,
    IReadOnlyList<StatementCost>? TopStatements = null, int ProfiledOrders = 0)
{
    /// <summary>Server CPU in the measured window ÷ orders completed in it: the steady state, idle work included.</summary>
    public double? WindowCpuMsPerOrder { get; init; }
    public double? WindowPostgresCpuMsPerOrder { get; init; }
    /// <summary>WAL records and bytes the statements wrote, and shared buffers they touched, per order (marginal, as the statements).</summary>
    public double? WalRecordsPerOrder { get; init; }
    public double? WalBytesPerOrder { get; init; }
    public double? BuffersPerOrder { get; init; }
    /// <summary>The window's user and kernel CPU and context switches, for the server and for PostgreSQL.</summary>
    public ProcessCost? WindowServer { get; init; }
    public ProcessCost? WindowPostgres { get; init; }
    /// <summary>Where all of the machine's CPU went in the window (see <see cref="MachineShare"/>).</summary>
    public MachineShare? WindowMachine { get; init; }
    /// <summary>The bench's own completion polls in the lifecycle run (left out of the profile, inside PostgreSQL's CPU).</summary>
    public long? CompletionPolls { get; init; }
    public double? CompletionPollExecMsPerOrder { get; init; }
}

public sealed record IntakeLatency(int OfferedPerSecond, int Acknowledged, int Failed, double P50Ms, double P95Ms, double P99Ms)
{
    /// <summary>Cores busy while it ran: the server, PostgreSQL and the bench's own load generator.</summary>
    public double? ServerCores { get; init; }
    public double? PostgresCores { get; init; }
    public double? LoadGeneratorCores { get; init; }
    /// <summary>What PostgreSQL spent its time on meanwhile (the acknowledgements and whatever background work ran).</summary>
    public IReadOnlyList<StatementCost>? TopStatements { get; init; }
    /// <summary>Background progress meanwhile: status events recorded per second (each a workflow step that moved an order).</summary>
    public double? BackgroundEventsPerSecond { get; init; }
    /// <summary>Orders acknowledged but not yet stored (still in the intake inbox) when the run ended.</summary>
    public long? InboxAtEnd { get; init; }
    /// <summary>The p99 of each <see cref="WindowSeconds"/> s window in turn (by when each order was due), when the run had two or more.</summary>
    public IReadOnlyList<double>? P99ByWindowMs { get; init; }

    public const int WindowSeconds = 30;

    /// <summary>
    /// The p99 of each whole <see cref="WindowSeconds"/> s window of a run of <paramref name="seconds"/> s (the remainder goes to
    /// the last), by when each order was due; NaN for a window in which every request failed. Null for a run of one window.
    /// </summary>
    public static List<double>? P99ByWindow(IReadOnlyCollection<(double Offset, double Ms)> answers, int seconds)
    {
        var windows = seconds / WindowSeconds;
        if (windows < 2)
        {
            return null;
        }

        var byWindow = answers.ToLookup(a => Math.Min((int)(a.Offset / WindowSeconds), windows - 1), a => a.Ms);
        return Enumerable.Range(0, windows).Select(w => Stats.Percentile(byWindow[w].ToList(), 0.99)).ToList();
    }

    /// <summary>"; p99 per 30 s window 31.2, 28.0, 44.9 ms", or nothing.</summary>
    [JsonIgnore]
    public string WindowsText => P99ByWindowMs is { Count: > 1 } w
        ? $"; p99 per {WindowSeconds} s window {string.Join(", ", w.Select(x => double.IsNaN(x) ? "–" : x.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} ms"
        : "";
}

public sealed record PhaseMark(double At, string Phase);

public sealed record MachineInfo(int Cores, string CpuModel, double MemoryGb, string LoadAverage, string Postgres);

public static class Machine
{
    public static MachineInfo Describe(string postgres)
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        return new MachineInfo(Environment.ProcessorCount, model, double.Parse(memKb, CultureInfo.InvariantCulture) / 1048576, load, postgres);
    }
}
