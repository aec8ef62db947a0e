using System.Globalization;

namespace OrderFlow.Bench;

/// <summary>
/// The whole machine's CPU so far, from the first line of <c>/proc/stat</c>: busy (user, nice, system, interrupts), idle,
/// idle while a task waited for I/O (here mostly PostgreSQL's WAL flushes at commit; the kernel's figure is a hint, not an
/// exact count) and stolen (time this paravirtualised guest was ready to run but the host ran something else).
/// With the server's, PostgreSQL's, the simulator's and the bench's own CPU it says where all of the cores went in a window.
/// </summary>
public sealed record MachineCpu(double BusyMs, double IdleMs, double IoWaitMs, double StealMs)
{
    /// <summary>Null when /proc/stat cannot be read (not Linux).</summary>
    public static MachineCpu? Read()
    {
        try
        {
            return Parse(File.ReadLines("/proc/stat").FirstOrDefault() ?? "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The aggregate <c>cpu</c> line: user nice system idle iowait irq softirq steal [guest guest_nice], in clock ticks. Guest
    /// time is already counted in user and nice, so it is not added again. Null when the line is not one.
    /// </summary>
    public static MachineCpu? Parse(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 9 || f[0] != "cpu")
        {
            return null;
        }

        var ticks = new long[8];
        for (var i = 0; i < ticks.Length; i++)
        {
            if (!long.TryParse(f[1 + i], NumberStyles.None, CultureInfo.InvariantCulture, out ticks[i]))
            {
                return null;
            }
        }

        return new MachineCpu(
            (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) * ProcStat.MsPerTick,
            ticks[3] * ProcStat.MsPerTick,
            ticks[4] * ProcStat.MsPerTick,
            ticks[7] * ProcStat.MsPerTick);
    }

    public MachineCpu Since(MachineCpu before) =>
        new(BusyMs - before.BusyMs, IdleMs - before.IdleMs, IoWaitMs - before.IoWaitMs, StealMs - before.StealMs);

    public double TotalMs => BusyMs + IdleMs + IoWaitMs + StealMs;
}

/// <summary>
/// Where the machine's CPU went over an interval: the processes the bench knows (in the lifecycle window the server,
/// PostgreSQL, the simulator playing suppliers, storefronts and the SMS provider, and the bench itself sending orders and
/// polling for their completion), the rest of the busy time (other processes, and interrupts not charged to a process),
/// idle and stolen by the host.
/// </summary>
public sealed record MachineShare(double TotalMs, IReadOnlyList<MachinePart> Processes, double OtherMs, double IdleMs, double IoWaitMs, double StealMs)
{
    public static MachineShare Of(MachineCpu machine, params MachinePart[] processes) =>
        new(machine.TotalMs, processes, Math.Max(0, machine.BusyMs - processes.Sum(p => p.Ms)), machine.IdleMs, machine.IoWaitMs, machine.StealMs);

    /// <summary>E.g. "server 31%, PostgreSQL 55%, simulator 6%, load generator 4%, other 2%, idle 1% (+1% waiting for I/O), stolen by the host 0%".</summary>
    public string Text()
    {
        string P(double ms) => TotalMs > 0 ? (ms / TotalMs).ToString("0%", CultureInfo.InvariantCulture) : "–";
        return string.Join(", ", Processes.Select(p => $"{p.Name} {P(p.Ms)}")
            .Concat([$"other {P(OtherMs)}", $"idle {P(IdleMs)} (+{P(IoWaitMs)} waiting for I/O)", $"stolen by the host {P(StealMs)}"]));
    }
}

/// <summary>One process's (or cluster's) CPU in a <see cref="MachineShare"/>.</summary>
public sealed record MachinePart(string Name, double Ms);
