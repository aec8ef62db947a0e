namespace OrderFlow.Chaos;

/// <summary>The command line of <c>./orderflow chaos</c> (the script fills in the paths and the database).</summary>
public sealed class ChaosOptions
{
    public const string Usage = """
        OrderFlow.Chaos --admin-db <npgsql> --server-dir <dir> --server-dll <dll> --simulator-dir <dir> --simulator-dll <dll> --logs <dir>
                        [--profile short|long] [--port 5380] [--sim-port 5390] [--servers 2] [--pg-data <dir>] [--scenarios 5,1,3,2,4,6,7]
        """;

    public string Profile { get; private set; } = "short";
    /// <summary>A connection string to the server's maintenance database: the run creates a database of its own there and drops it at the end.</summary>
    public string AdminDatabase { get; private set; } = "";

    /// <summary>The run's own database (set once it is created).</summary>
    public string Database { get; set; } = "";
    public string ServerDirectory { get; private set; } = "";
    public string ServerDll { get; private set; } = "";
    public string SimulatorDirectory { get; private set; } = "";
    public string SimulatorDll { get; private set; } = "";
    public string Logs { get; private set; } = "";
    public int Port { get; private set; } = 5380;
    public int SimulatorPort { get; private set; } = 5390;
    public int Servers { get; private set; } = 2;

    /// <summary>The PostgreSQL data directory, only when the cluster is private to this run: then it may be paused with SIGSTOP.</summary>
    public string? PostgresData { get; private set; }

    public IReadOnlyList<int> Scenarios { get; private set; } = [];

    public bool Long => Profile == "long";

    public static ChaosOptions? Parse(string[] args, out string? error)
    {
        var o = new ChaosOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                error = $"{args[i]} needs a value";
                return null;
            }

            switch (args[i])
            {
                case "--profile" when value is "short" or "long": o.Profile = value; break;
                case "--admin-db": o.AdminDatabase = value; break;
                case "--server-dir": o.ServerDirectory = value; break;
                case "--server-dll": o.ServerDll = value; break;
                case "--simulator-dir": o.SimulatorDirectory = value; break;
                case "--simulator-dll": o.SimulatorDll = value; break;
                case "--logs": o.Logs = value; break;
                case "--pg-data": o.PostgresData = value; break;
                case "--port" when int.TryParse(value, out var p): o.Port = p; break;
                case "--sim-port" when int.TryParse(value, out var s): o.SimulatorPort = s; break;
                case "--servers" when int.TryParse(value, out var n) && n is >= 2 and <= 3: o.Servers = n; break;
                case "--scenarios":
                    o.Scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
                    break;
                default:
                    error = $"unknown option or bad value: {args[i]} {value}";
                    return null;
            }

            i++;
        }

        foreach (var (name, given) in new[] { ("--admin-db", o.AdminDatabase), ("--server-dll", o.ServerDll), ("--simulator-dll", o.SimulatorDll), ("--logs", o.Logs) })
        {
            if (string.IsNullOrEmpty(given))
            {
                error = $"{name} is required";
                return null;
            }
        }

        if (o.Scenarios.Count == 0)
        {
            // Every scenario in both profiles; the long one runs each for longer. Overload (6) changes the servers' rate limits, so it comes last.
            o.Scenarios = [5, 1, 3, 2, 4, 7, 6];
        }

        return o;
    }
}
