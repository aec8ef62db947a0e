namespace OrderFlow.Bench;

/// <summary>
/// Whether PostgreSQL's shared memory sits on huge pages, read from <c>/proc/meminfo</c>: the pages taken or promised
/// (<c>HugePages_Total - HugePages_Free + HugePages_Rsvd</c>; the bench's cluster is the machine's only user of them).
/// On this paravirtualised machine it moved PostgreSQL's CPU per order by a third, so every report says which it was.
/// </summary>
public static class HugePages
{
    public static string Describe(string meminfo)
    {
        var values = meminfo.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => long.TryParse(parts[1].Trim().Split(' ')[0], out var n) ? n : 0L);
        long Read(string key) => values.GetValueOrDefault(key);

        var total = Read("HugePages_Total");
        var inUse = total - Read("HugePages_Free") + Read("HugePages_Rsvd");
        var sizeMb = Read("Hugepagesize") / 1024;
        return inUse > 0
            ? $"huge pages: {inUse} of {total} × {sizeMb} MB in use"
            : total > 0
                ? $"huge pages: {total} × {sizeMb} MB reserved, none in use (shared memory on 4 kB pages)"
                : "huge pages: none reserved (shared memory on 4 kB pages)";
    }

    /// <summary>This machine's state, or an empty string where there is no <c>/proc/meminfo</c>.</summary>
    public static string DescribeMachine() => File.Exists("/proc/meminfo") ? Describe(File.ReadAllText("/proc/meminfo")) : "";
}
