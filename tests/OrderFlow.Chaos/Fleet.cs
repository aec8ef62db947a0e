using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderFlow.Chaos;

/// <summary>The processes under test: two or three servers on one database and the supplier simulator. Kills and restarts them.</summary>
internal sealed class Fleet(ChaosOptions options, HttpClient http) : IAsyncDisposable
{
    private readonly Process?[] _servers = new Process?[options.Servers];
    private readonly Dictionary<string, string> _serverEnvironment = [];
    private Process? _simulator;

    public string SimulatorUrl => $"http://127.0.0.1:{options.SimulatorPort}";

    public int Count => _servers.Length;

    public string ServerUrl(int i) => $"http://127.0.0.1:{options.Port + i}";

    public bool IsUp(int i) => _servers[i] is { HasExited: false };

    public IEnumerable<int> Up() => Enumerable.Range(0, Count).Where(IsUp);

    /// <summary>Extra environment for servers started from now on (e.g. lower rate limits for the overload scenario).</summary>
    public void SetServerEnvironment(string name, string value) => _serverEnvironment[name] = value;

    public async Task StartAsync()
    {
        _simulator = Spawn(options.SimulatorDirectory, options.SimulatorDll, SimulatorUrl, "simulator", []);
        await WaitHealthyAsync(SimulatorUrl, _simulator, "simulator");
        // The first server migrates alone; the others then start together.
        await StartServerAsync(0);
        await Task.WhenAll(Enumerable.Range(1, Count - 1).Select(StartServerAsync));
    }

    public async Task StartServerAsync(int i)
    {
        var environment = new Dictionary<string, string>(_serverEnvironment)
        {
            ["ConnectionStrings__OrderFlow"] = options.Database,
            ["ASPNETCORE_ENVIRONMENT"] = "Demo",
            ["OrderFlow__Demo__SimulatorBaseUrl"] = SimulatorUrl,
            // The simulator also plays the SMS provider (the Demo settings name the demo's port).
            ["OrderFlow__Sms__ProviderUrl"] = $"{SimulatorUrl.TrimEnd('/')}/sms/messages",
            ["OrderFlow__Fulfillment__PublicBaseUrl"] = ServerUrl(i),
            ["OrderFlow__Mail__PickupDirectory"] = MailDirectory,
            ["OrderFlow__Server__HangfireWorkers"] = "8",
        };
        _servers[i] = Spawn(options.ServerDirectory, options.ServerDll, ServerUrl(i), $"server-{i}", environment);
        await WaitHealthyAsync(ServerUrl(i), _servers[i]!, $"server-{i}");
    }

    public string MailDirectory => Path.Combine(options.Logs, "chaos-mail");

    /// <summary>SIGKILL: no shutdown hooks, no flushing; whatever the process had in flight is orphaned.</summary>
    public void Kill(int i)
    {
        if (_servers[i] is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public async Task SetKnobsAsync(JsonObject knobs)
    {
        using var response = await http.PutAsJsonAsync($"{SimulatorUrl}/admin/knobs", knobs);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _servers.Append(_simulator).OfType<Process>())
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    private Process Spawn(string directory, string dll, string url, string name, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", url])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var log = new StreamWriter(Path.Combine(options.Logs, $"chaos-{name}.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private async Task WaitHealthyAsync(string url, Process process, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the {name} exited during start-up (log: chaos-{name}.log)");
            }

            try
            {
                using var response = await http.GetAsync($"{url}/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(300);
        }

        throw new TimeoutException($"the {name} did not answer {url}/health within 180 s");
    }
}
