using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// CPU time of the whole PostgreSQL cluster (postmaster, every backend and background process, and the children that have
/// exited, which the postmaster has reaped into its cutime/cstime), from /proc: what the database costs per order next to
/// the server's own CPU.
/// </summary>
public sealed class PostgresCpu(int postmasterPid)
{
    /// <summary>The cluster whose data directory is <paramref name="dataDirectory"/>, or null when its postmaster cannot be read here.</summary>
    public static PostgresCpu? For(string dataDirectory)
    {
        try
        {
            var pid = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            return File.Exists($"/proc/{pid}/stat") ? new PostgresCpu(pid) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public double Milliseconds()
    {
        long ticks = 0;
        if (Fields(postmasterPid) is { } own)
        {
            // utime, stime, cutime, cstime: fields 14-17.
            ticks += own.Utime + own.Stime + own.Cutime + own.Cstime;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmasterPid && Fields(pid) is { } child && child.Ppid == postmasterPid)
            {
                ticks += child.Utime + child.Stime;
            }
        }

        return ticks * 1000.0 / 100;
    }

    /// <summary>The postmaster and every live child: user and kernel time, and context switches (see <see cref="ProcessSample"/>).</summary>
    public ProcessSample Sample()
    {
        var pids = new List<int> { postmasterPid };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmasterPid && Fields(pid) is { } child && child.Ppid == postmasterPid)
            {
                pids.Add(pid);
            }
        }

        return ProcessSample.OfProcesses(pids);
    }

    private static (int Ppid, long Utime, long Stime, long Cutime, long Cstime)? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17.
            return (int.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[11], CultureInfo.InvariantCulture), long.Parse(f[12], CultureInfo.InvariantCulture),
                long.Parse(f[13], CultureInfo.InvariantCulture), long.Parse(f[14], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process ended while the directory was listed.
            return null;
        }
    }
}
