using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>What <c>./orderflow bench</c> passes to the driver; every duration has a full and a <c>--quick</c> default.</summary>
public sealed class BenchOptions
{
    public required string ServerDll { get; init; }
    public required string PostgresAdmin { get; init; }
    public required string SimulatorUrl { get; init; }
    public int Port { get; init; } = 5600;
    public string OutputDirectory { get; init; } = "bench/results";
    public string MailDirectory { get; init; } = ".orderflow/bench-mail";
    public string LogDirectory { get; init; } = ".orderflow/logs";
    public string Database { get; init; } = "orderflow_bench";
    public bool Quick { get; init; }
    public int[] Seeds { get; init; } = [10_000, 1_000_000];
    public int LifecycleWarmupSeconds { get; init; }
    public int LifecycleSeconds { get; init; }
    public int Backlog { get; init; }
    public int IntakeRate { get; init; } = 500;
    public int IntakeSeconds { get; init; }
    public int SaturationSeconds { get; init; }
    public int SaturationConcurrency { get; init; } = 64;
    public int EmptyJobs { get; init; }
    public int HangfireWorkers { get; init; } = 20;
    public string Conditions { get; init; } = "";
    /// <summary>Seed the stored orders again even when a database seeded by an earlier run can be copied.</summary>
    public bool FreshSeed { get; init; }
    /// <summary>The simulator's process, when the caller started it here: its CPU is part of the window's machine split.</summary>
    public int? SimulatorPid { get; init; }

    public const string Usage = """
        OrderFlow.Bench --server-dll PATH --pg CONNSTRING --sim URL [options]
          --port P                server port (default 5600)
          --quick                 short phases and 10k/100k seeds (development)
          --seeds A,B             orders stored before the growth runs (default 10000,1000000)
          --warmup-seconds S      lifecycle warm-up before the window (default 90; quick 60): a new server spends
                                  its first minute compiling (tiered JIT), which a long-running one does not
          --lifecycle-seconds S   measured lifecycle window (default 60; quick 20)
          --backlog N             orders in flight during the lifecycle run (default 1500; quick 300)
          --intake-rate R         offered rate of the latency run (default 500)
          --intake-seconds S      length of the latency run (default 90; quick 10); its p99 is over the whole run,
                                  and each 30 s window's p99 is printed beside it
          --saturation-seconds S  length of the saturation run (default 20; quick 8)
          --concurrency C         senders of the saturation run (default 64)
          --jobs N                empty Hangfire jobs of the baseline (default 20000; quick 5000)
          --out DIR               where results go (default bench/results)
          --logs DIR              where the server's log goes (default .orderflow/logs)
          --mail DIR              where the server's e-mails go (default .orderflow/bench-mail)
          --conditions TEXT       how the machine was when measured (printed with the results)
          --fresh-seed            seed the stored orders again instead of copying the database an earlier run seeded
          --sim-pid PID           the simulator's process id, to count its CPU in the lifecycle window's machine split
        """;

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "server-dll", "pg", "sim", "port", "seeds", "warmup-seconds", "lifecycle-seconds", "backlog", "intake-rate", "intake-seconds",
        "saturation-seconds", "concurrency", "jobs", "out", "logs", "mail", "conditions", "sim-pid",
    };

    /// <summary>The options, or null with <paramref name="error"/> naming the argument at fault.</summary>
    public static BenchOptions? Parse(string[] args, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        var freshSeed = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
                continue;
            }

            if (args[i] == "--fresh-seed")
            {
                freshSeed = true;
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{args[i]}'";
                return null;
            }

            if (!ValueOptions.Contains(args[i][2..]))
            {
                error = $"unknown option '{args[i]}'";
                return null;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            values[args[i][2..]] = args[++i];
        }

        error = null;
        foreach (var required in new[] { "server-dll", "pg", "sim" })
        {
            if (!values.ContainsKey(required))
            {
                error = $"--{required} is required";
                return null;
            }
        }

        int Int(string key, int full, int quickValue)
        {
            if (!values.TryGetValue(key, out var text))
            {
                return quick ? quickValue : full;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return n;
            }

            throw new FormatException($"--{key} must be a positive whole number, got '{text}'");
        }

        try
        {
            var seeds = values.TryGetValue("seeds", out var s)
                ? s.Split(',').Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new FormatException($"--seeds must be positive whole numbers separated by commas, got '{s}'")).ToArray()
                : quick ? [10_000, 100_000] : [10_000, 1_000_000];
            return new BenchOptions
            {
                ServerDll = values["server-dll"],
                PostgresAdmin = values["pg"],
                SimulatorUrl = values["sim"].TrimEnd('/'),
                Port = Int("port", 5600, 5600),
                OutputDirectory = values.GetValueOrDefault("out", "bench/results"),
                MailDirectory = values.GetValueOrDefault("mail", ".orderflow/bench-mail"),
                LogDirectory = values.GetValueOrDefault("logs", ".orderflow/logs"),
                Quick = quick,
                Seeds = seeds,
                LifecycleWarmupSeconds = Int("warmup-seconds", 90, 60),
                LifecycleSeconds = Int("lifecycle-seconds", 60, 20),
                Backlog = Int("backlog", 1500, 300),
                IntakeRate = Int("intake-rate", 500, 500),
                IntakeSeconds = Int("intake-seconds", 90, 10),
                SaturationSeconds = Int("saturation-seconds", 20, 8),
                SaturationConcurrency = Int("concurrency", 64, 64),
                EmptyJobs = Int("jobs", 20_000, 5_000),
                Conditions = values.GetValueOrDefault("conditions", ""),
                FreshSeed = freshSeed,
                SimulatorPid = values.ContainsKey("sim-pid") ? Int("sim-pid", 0, 0) : null,
            };
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }
}
