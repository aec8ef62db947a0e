using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// User and kernel CPU and context switches of a group of processes at one moment, from /proc. On this class of machine (a
/// paravirtualised guest) a context switch is dear and the kernel's share of the CPU is large, so round trips and wake-ups per
/// order say more about a change than the CPU milliseconds alone, which move with the host's load from hour to hour.
/// </summary>
public sealed record ProcessSample(double UserMs, double KernelMs, IReadOnlyDictionary<int, (long Voluntary, long Involuntary)> SwitchesByTask)
{
    // sysconf(_SC_CLK_TCK) is 100 on every Linux this runs on.
    private const double MsPerTick = 10;

    /// <summary>A process with all its threads (the server): CPU of the whole thread group, switches of each live thread.</summary>
    public static ProcessSample OfProcess(int pid)
    {
        var (user, kernel) = Cpu(pid) ?? (0, 0);
        var switches = new Dictionary<int, (long, long)>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out var tid) && Switches($"{task}/status") is { } count)
                {
                    switches[tid] = count;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended.
        }

        return new ProcessSample(user, kernel, switches);
    }

    /// <summary>A set of single-threaded processes (PostgreSQL's postmaster and its children).</summary>
    public static ProcessSample OfProcesses(IEnumerable<int> pids)
    {
        double user = 0, kernel = 0;
        var switches = new Dictionary<int, (long, long)>();
        foreach (var pid in pids)
        {
            if (Cpu(pid) is { } cpu && Switches($"/proc/{pid}/status") is { } count)
            {
                user += cpu.User;
                kernel += cpu.Kernel;
                switches[pid] = count;
            }
        }

        return new ProcessSample(user, kernel, switches);
    }

    /// <summary>
    /// What happened between <paramref name="before"/> and this sample. Switches count the tasks alive now (a task started
    /// since counts from zero); those of a task that ended in between are lost, so the figure is a floor.
    /// </summary>
    public ProcessCost Since(ProcessSample before) => new(
        UserMs - before.UserMs,
        KernelMs - before.KernelMs,
        SwitchesByTask.Sum(t => Math.Max(0, t.Value.Voluntary - before.SwitchesByTask.GetValueOrDefault(t.Key).Voluntary)),
        SwitchesByTask.Sum(t => Math.Max(0, t.Value.Involuntary - before.SwitchesByTask.GetValueOrDefault(t.Key).Involuntary)));

    private static (double User, double Kernel)? Cpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at ')' + 2 with field 3; utime and stime are 14 and 15.
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(f[11], CultureInfo.InvariantCulture) * MsPerTick, long.Parse(f[12], CultureInfo.InvariantCulture) * MsPerTick);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Voluntary switches (the task blocked: a socket read, a lock, a latch) and involuntary ones (it was preempted).</summary>
    private static (long Voluntary, long Involuntary)? Switches(string statusPath)
    {
        try
        {
            long? voluntary = null, involuntary = null;
            foreach (var line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    voluntary = long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    involuntary = long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            return voluntary is { } v && involuntary is { } i ? (v, i) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>CPU split into user and kernel time, and context switches (voluntary and involuntary), over an interval.</summary>
public sealed record ProcessCost(double UserMs, double KernelMs, long VoluntarySwitches, long InvoluntarySwitches)
{
    public long Switches => VoluntarySwitches + InvoluntarySwitches;

    public double KernelShare => UserMs + KernelMs > 0 ? KernelMs / (UserMs + KernelMs) : 0;
}
