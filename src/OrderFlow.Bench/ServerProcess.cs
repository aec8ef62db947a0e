using System.Diagnostics;
using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// The OrderFlow server under test, started by the bench (environment <c>Demo</c>: merchant, suppliers at the simulator and
/// the storefront subscription are seeded), so its CPU time and memory can be read from <c>/proc</c>.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    private ServerProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
        _sampler = Task.Run(SampleAsync);
    }

    public int Pid => _process.Id;

    /// <summary>Highest resident set seen by the sampler (every 250 ms), in bytes.</summary>
    public long PeakRssBytes { get; private set; }

    public long CurrentRssBytes { get; private set; }

    public static async Task<ServerProcess> StartAsync(BenchOptions options, string connectionString, string logFile)
    {
        var serverDir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(options.ServerDll)!, "../../.."));
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = serverDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.GetFullPath(options.ServerDll));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{options.Port}");
        var env = info.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Demo";
        env["ConnectionStrings__OrderFlow"] = connectionString;
        env["OrderFlow__Demo__SimulatorBaseUrl"] = options.SimulatorUrl;
        // The simulator also plays the SMS provider: every order's SMS must be sent for it to count as complete.
        env["OrderFlow__Sms__ProviderUrl"] = $"{options.SimulatorUrl.TrimEnd('/')}/sms/messages";
        env["OrderFlow__Fulfillment__PublicBaseUrl"] = $"http://127.0.0.1:{options.Port}";
        env["OrderFlow__Mail__PickupDirectory"] = Path.GetFullPath(options.MailDirectory);
        // The bench measures capacity: intake limits far above what one machine can take.
        env["OrderFlow__Intake__RateLimits__PerMerchantPerSecond"] = "1000000";
        env["OrderFlow__Intake__RateLimits__PerMerchantBurst"] = "1000000";
        env["OrderFlow__Intake__RateLimits__PerAddressPerSecond"] = "1000000";
        env["OrderFlow__Intake__RateLimits__PerAddressBurst"] = "1000000";
        // One log line per order at Information would measure the console sink; warnings and errors still go to the log.
        env["Serilog__MinimumLevel__Default"] = "Warning";

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log);
        // The bench stopped from outside (SIGTERM from ./orderflow's cleanup) must not leave its server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        };

        try
        {
            await WaitForHealthAsync(options, process, logFile);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitForHealthAsync(BenchOptions options, Process process, string logFile)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited during start-up (code {process.ExitCode}); see {logFile}");
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{options.Port}/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The server did not become healthy within 3 minutes; see {logFile}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>User plus system CPU time of the server process so far, in milliseconds.</summary>
    public double CpuMilliseconds() => ProcStat.Read(Pid) is { } stat ? stat.UserMs + stat.KernelMs : throw new IOException($"The server (pid {Pid}) has ended.");

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        CurrentRssBytes = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                        PeakRssBytes = Math.Max(PeakRssBytes, CurrentRssBytes);
                    }
                }

                await Task.Delay(250, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully; killed after 15 s.
            Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        // No server, no memory: the timeline shows none until the next one starts.
        CurrentRssBytes = 0;
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
