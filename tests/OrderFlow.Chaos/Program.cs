using System.Diagnostics;
using Npgsql;
using OrderFlow.Chaos;

var options = ChaosOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"chaos: {error}\n{ChaosOptions.Usage}");
    return 2;
}

Directory.CreateDirectory(options.Logs);
var databaseName = $"orderflow_chaos_{Environment.ProcessId}";
await using (var admin = new NpgsqlConnection(options.AdminDatabase))
{
    await admin.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", admin);
    await drop.ExecuteNonQueryAsync();
    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", admin);
    await create.ExecuteNonQueryAsync();
}

options.Database = new NpgsqlConnectionStringBuilder(options.AdminDatabase) { Database = databaseName, MaxPoolSize = 50 }.ConnectionString;
try
{
    return await RunAsync(options);
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = new NpgsqlConnection(options.AdminDatabase);
    await admin.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", admin);
    await drop.ExecuteNonQueryAsync();
}

static async Task<int> RunAsync(ChaosOptions options)
{
    using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(30) };
    await using var db = NpgsqlDataSource.Create(options.Database);
    await using var fleet = new Fleet(options, http);
    var all = Stopwatch.StartNew();
    Console.WriteLine($"chaos: profile {options.Profile}, {options.Servers} servers from port {options.Port}, simulator on {options.SimulatorPort}, scenarios {string.Join(",", options.Scenarios)}");
    await fleet.StartAsync();
    var history = new History(db, http, fleet);
    var scenarios = new Scenarios(options, fleet, http, db, history);
    await scenarios.CalmAsync();

    var titles = new Dictionary<int, (string Title, Func<Scenario, Task> Run)>
    {
        [1] = ("servers killed with SIGKILL while orders flow", scenarios.KillsAsync),
        [2] = ("several server processes on one database", scenarios.ScaleOutAsync),
        [3] = ("supplier misbehaviour", scenarios.SupplierMisbehaviourAsync),
        [4] = ("database paused and backends terminated", scenarios.DatabaseFaultsAsync),
        [5] = ("1,000 concurrent deliveries of one order webhook", scenarios.ConcurrentDeliveriesAsync),
        [6] = ("overload: 10x the sustainable intake rate", scenarios.OverloadAsync),
        [7] = ("orphaned bursts resume", scenarios.OrphanedBurstsAsync),
    };

    var results = new List<Scenario>();
    foreach (var number in options.Scenarios)
    {
        var (title, run) = titles[number];
        var scenario = new Scenario(number, title);
        Console.WriteLine($"scenario {number}: {title}");
        var clock = Stopwatch.StartNew();
        try
        {
            await run(scenario);
        }
        catch (Exception e)
        {
            scenario.Require(false, $"the scenario failed: {e.GetType().Name}: {e.Message}");
        }

        scenario.Duration = clock.Elapsed;
        Console.WriteLine($"  => {(scenario.Passed ? "passed" : "FAILED")} in {scenario.Duration.TotalSeconds:F0} s");
        results.Add(scenario);
    }

    Console.WriteLine();
    Console.WriteLine($"chaos: {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed in {all.Elapsed.TotalSeconds:F0} s");
    foreach (var failed in results.Where(r => !r.Passed))
    {
        Console.WriteLine($"  scenario {failed.Number} ({failed.Title}): {string.Join("; ", failed.Violations)}");
    }

    return results.All(r => r.Passed) ? 0 : 1;
}
