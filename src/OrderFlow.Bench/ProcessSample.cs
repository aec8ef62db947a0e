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

    private static (long Voluntary, long Involuntary)? Switches(string statusPath)
    {
        try
        {
            return ParseSwitches(File.ReadLines(statusPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Voluntary switches (the task blocked: a socket read, a lock, a latch) and involuntary ones (it was preempted), from the
    /// lines of a <c>/proc/&lt;pid&gt;/status</c> file; null when either is missing or unreadable.
    /// </summary>
    public static (long Voluntary, long Involuntary)? ParseSwitches(IEnumerable<string> statusLines)
    {
        long? voluntary = null, involuntary = null;
        foreach (var line in statusLines)
        {
            var value = line[(line.IndexOf(':') + 1)..].Trim();
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                voluntary = long.TryParse(value, CultureInfo.InvariantCulture, out var v) ? v : null;
            }
            else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                involuntary = long.TryParse(value, CultureInfo.InvariantCulture, out var i) ? i : null;
            }
        }

        return voluntary is { } vol && involuntary is { } invol ? (vol, invol) : null;
    }
}

/// <summary>One process's line of <c>/proc/&lt;pid&gt;/stat</c>: its parent and its CPU, and that of the children it has reaped.</summary>
public sealed record ProcStat(int Ppid, double UserMs, double KernelMs, double ReapedUserMs, double ReapedKernelMs)
{
    // sysconf(_SC_CLK_TCK) is 100 on every Linux this runs on (the unit of /proc/<pid>/stat and /proc/stat alike).
    internal const double MsPerTick = 10;

    /// <summary>Null when the process has ended (or cannot be read).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The fields of one <c>/proc/&lt;pid&gt;/stat</c> line; null when it is not one.</summary>
    public static ProcStat? Parse(string stat)
    {
        // Fields after the command name (which may hold spaces and parentheses) start at the last ')' + 2 with field 3 (state):
        // ppid is field 4; utime, stime, cutime and cstime are fields 14-17.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        var f = stat[(close + 2)..].Split(' ');
        if (f.Length < 15 || !int.TryParse(f[1], CultureInfo.InvariantCulture, out var ppid))
        {
            return null;
        }

        var ticks = new long[4];
        for (var i = 0; i < 4; i++)
        {
            if (!long.TryParse(f[11 + i], CultureInfo.InvariantCulture, out ticks[i]))
            {
                return null;
            }
        }

        return new ProcStat(ppid, ticks[0] * MsPerTick, ticks[1] * MsPerTick, ticks[2] * MsPerTick, ticks[3] * MsPerTick);
    }
}

/// <summary>CPU split into user and kernel time, and context switches (voluntary and involuntary), over an interval.</summary>
public sealed record ProcessCost(double UserMs, double KernelMs, long VoluntarySwitches, long InvoluntarySwitches)
{
    public double TotalMs => UserMs + KernelMs;

    public long Switches => VoluntarySwitches + InvoluntarySwitches;

    public double KernelShare => UserMs + KernelMs > 0 ? KernelMs / (UserMs + KernelMs) : 0;
}
