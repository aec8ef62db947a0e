using System.Diagnostics;

namespace OrderFlow.Chaos;

/// <summary>POSIX signals by process id, through kill(1): how faults are injected without Docker.</summary>
internal static class Signals
{
    public static void Send(string signal, IEnumerable<int> pids)
    {
        var list = pids.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (list.Count == 0)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, .. list]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }
}
