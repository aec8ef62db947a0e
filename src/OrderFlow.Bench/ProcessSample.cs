using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// User and kernel CPU and context switches of a group of processes at one moment, from /proc. On this class of machine (a
/// paravirtualised guest) a context switch is dear and the kernel's share of the CPU is large, so round trips and wake-ups per
/// order say more about a change than the CPU milliseconds alone, which move with the host's load from hour to hour.
/// </summary>
public sealed record ProcessSample(double UserMs, double KernelMs, IReadOnlyDictionary<int, (long Voluntary, long Involuntary)> SwitchesByTask)
{
    public double TotalMs => UserMs + KernelMs;

    /// <summary>A process with all its threads (the server): CPU of the whole thread group, switches of each live thread.</summary>
    public static ProcessSample OfProcess(int pid)
    {
        var (user, kernel) = ProcStat.Read(pid) is { } stat ? (stat.UserMs, stat.KernelMs) : (0, 0);
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

    /// <summary>
    /// A parent and its single-threaded children (PostgreSQL's postmaster and its backends): the CPU of all of them, with
    /// that of the children the parent has reaped (its cutime and cstime), and the switches of each live one.
    /// </summary>
    public static ProcessSample OfParentAndChildren(int parent, IEnumerable<int> children)
    {
        double user = 0, kernel = 0;
        var switches = new Dictionary<int, (long, long)>();
        foreach (var pid in children.Prepend(parent))
        {
            if (ProcStat.Read(pid) is { } stat && Switches($"/proc/{pid}/status") is { } count)
            {
                user += stat.UserMs + (pid == parent ? stat.ReapedUserMs : 0);
                kernel += stat.KernelMs + (pid == parent ? stat.ReapedKernelMs : 0);
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

/// <summary>One process's line of <c>/proc/&lt;pid&gt;/stat</c>: its parent and its CPU, and that of the children it has reaped.</summary>
public sealed record ProcStat(int Ppid, double UserMs, double KernelMs, double ReapedUserMs, double ReapedKernelMs)
{
    // sysconf(_SC_CLK_TCK) is 100 on every Linux this runs on.
    private const double MsPerTick = 10;

    /// <summary>Null when the process has ended (or cannot be read).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at ')' + 2 with field 3 (state): ppid is field 4,
            // utime, stime, cutime and cstime fields 14-17.
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double Ms(int i) => long.Parse(f[i], CultureInfo.InvariantCulture) * MsPerTick;
            return new ProcStat(int.Parse(f[1], CultureInfo.InvariantCulture), Ms(11), Ms(12), Ms(13), Ms(14));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>CPU split into user and kernel time, and context switches (voluntary and involuntary), over an interval.</summary>
public sealed record ProcessCost(double UserMs, double KernelMs, long VoluntarySwitches, long InvoluntarySwitches)
{
    public double TotalMs => UserMs + KernelMs;

    public long Switches => VoluntarySwitches + InvoluntarySwitches;

    public double KernelShare => UserMs + KernelMs > 0 ? KernelMs / (UserMs + KernelMs) : 0;
}
