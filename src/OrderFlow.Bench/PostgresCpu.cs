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

    /// <summary>CPU time of the whole cluster so far, in milliseconds.</summary>
    public double Milliseconds() => Sample().TotalMs;

    /// <summary>The postmaster (with the children it has reaped) and every live child: user and kernel time, and context switches.</summary>
    public ProcessSample Sample() => ProcessSample.OfParentAndChildren(postmasterPid, Children());

    private IEnumerable<int> Children()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmasterPid && ProcStat.Read(pid) is { } child && child.Ppid == postmasterPid)
            {
                yield return pid;
            }
        }
    }
}
