using System.Diagnostics;

namespace OrderFlow.Bench.Tests;

public class ProcReadingTests
{
    // A PostgreSQL backend's line: its title holds spaces and a ')' of its own, which must not end the command name.
    private const string BackendStat =
        "4242 (postgres: orderflow bench [local] idle) x) S 1000 4242 4242 0 -1 4194560 912 0 0 0 1234 567 89 10 20 0 1 0 5000 " +
        "222515200 3000 18446744073709551615 1 1 0 0 0 0 4194304 19935232 84487 0 0 0 17 1 0 0 0 0 0";

    [Fact]
    public void A_stat_line_gives_the_parent_and_the_cpu_in_milliseconds_even_with_a_parenthesis_in_the_title()
    {
        var stat = ProcStat.Parse(BackendStat);

        Assert.NotNull(stat);
        Assert.Equal(1000, stat.Ppid);
        Assert.Equal(12_340, stat.UserMs);   // 1234 ticks of 10 ms
        Assert.Equal(5_670, stat.KernelMs);
        Assert.Equal(890, stat.ReapedUserMs);
        Assert.Equal(100, stat.ReapedKernelMs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (postgres")]
    [InlineData("4242 (postgres) S 1000 1 2")]
    [InlineData("4242 (postgres) S parent 4242 4242 0 -1 4194560 912 0 0 0 1234 567 89 10 20")]
    [InlineData("4242 (postgres) S 1000 4242 4242 0 -1 4194560 912 0 0 0 12x4 567 89 10 20")]
    public void A_line_that_is_not_a_stat_line_gives_nothing(string line) => Assert.Null(ProcStat.Parse(line));

    [Fact]
    public void This_process_is_read_with_its_parent()
    {
        var stat = ProcStat.Read(Environment.ProcessId);

        Assert.NotNull(stat);
        Assert.Equal(ParentOf(Environment.ProcessId), stat.Ppid);
        Assert.Null(ProcStat.Read(int.MaxValue));
    }

    [Fact]
    public void A_status_file_gives_both_kinds_of_switch_and_nothing_when_one_is_missing()
    {
        string[] status = ["Name:\tpostgres", "State:\tS (sleeping)", "voluntary_ctxt_switches:\t120", "nonvoluntary_ctxt_switches:\t7"];

        Assert.Equal((120L, 7L), ProcessSample.ParseSwitches(status));
        Assert.Null(ProcessSample.ParseSwitches(status[..3]));
        Assert.Null(ProcessSample.ParseSwitches(["voluntary_ctxt_switches:\tmany", "nonvoluntary_ctxt_switches:\t7"]));
    }

    [Fact]
    public void A_sample_of_this_process_counts_a_thread_that_blocks_and_the_cpu_it_burns()
    {
        var before = ProcessSample.OfProcess(Environment.ProcessId);
        var thread = new Thread(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                Thread.Sleep(2);   // each sleep blocks the thread: one voluntary switch at least
            }

            // 300 ms of CPU, not of wall time: the test run shares the cores with other test projects.
            var start = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            while ((Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds < 300 && wall.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.SpinWait(1000);
            }
        });
        thread.Start();
        thread.Join();
        // A thread started and ended in between is lost to the switch count (the documented floor); this one is not
        // running any more either, so count its switches on a thread that stays alive: the test's own.
        var alive = ProcessSample.OfProcess(Environment.ProcessId);
        for (var i = 0; i < 20; i++)
        {
            Thread.Sleep(2);
        }

        var after = ProcessSample.OfProcess(Environment.ProcessId);
        var burned = after.Since(before);
        var blocked = after.Since(alive);

        Assert.InRange(burned.TotalMs, 290, 60_000);   // at least the 300 ms burned, read in 10 ms ticks
        Assert.True(blocked.VoluntarySwitches >= 20, $"{blocked.VoluntarySwitches} voluntary switches for 20 sleeps");
    }

    private static int ParentOf(int pid) => int.Parse(
        File.ReadAllText($"/proc/{pid}/status").Split('\n').First(l => l.StartsWith("PPid:", StringComparison.Ordinal))[5..].Trim(),
        System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // PostgreSQL on huge pages: 160 reserved, 52 free of which 41 promised to its mapping and not yet touched.
    [InlineData("HugePages_Total:     160\nHugePages_Free:       52\nHugePages_Rsvd:       41\nHugePages_Surp:        0\nHugepagesize:       2048 kB\n",
        "huge pages: 149 of 160 × 2 MB in use")]
    [InlineData("HugePages_Total:     160\nHugePages_Free:      160\nHugePages_Rsvd:        0\nHugepagesize:       2048 kB\n",
        "huge pages: 160 × 2 MB reserved, none in use (shared memory on 4 kB pages)")]
    [InlineData("MemTotal:       24000000 kB\nHugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugepagesize:       2048 kB\n",
        "huge pages: none reserved (shared memory on 4 kB pages)")]
    public void Meminfo_says_whether_shared_memory_is_on_huge_pages(string meminfo, string expected) =>
        Assert.Equal(expected, HugePages.Describe(meminfo));

    [Fact]
    public void Proc_stat_cpu_line_splits_into_busy_idle_iowait_and_stolen()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest is already inside user)
        var before = MachineCpu.Parse("cpu  1000 10 300 5000 40 20 30 7 500 0")!;
        var after = MachineCpu.Parse("cpu  1700 10 500 5100 60 25 35 57 900 0")!;
        Assert.Equal(new MachineCpu(13_600, 50_000, 400, 70), before);

        var window = after.Since(before);
        Assert.Equal(new MachineCpu(9_100, 1_000, 200, 500), window);   // busy 700+200+5+5 ticks, idle 100, iowait 20, steal 50
        Assert.Equal(10_800, window.TotalMs);

        // A per-CPU line, a short line or a non-number is not the aggregate line.
        Assert.Null(MachineCpu.Parse("cpu0 1000 10 300 5000 40 20 30 7 0 0"));
        Assert.Null(MachineCpu.Parse("cpu  1000 10 300"));
        Assert.Null(MachineCpu.Parse("cpu  1000 10 300 x 40 20 30 7 0 0"));
    }

    [Fact]
    public void Machine_share_names_every_process_and_puts_the_rest_under_other()
    {
        // 2 cores for 10 s: 20,000 ms, of which 18,000 busy, 1,200 idle, 400 idle waiting for I/O, 400 stolen.
        var share = MachineShare.Of(new MachineCpu(18_000, 1_200, 400, 400), new("server", 6_000), new("PostgreSQL", 10_000), new("simulator", 1_000));
        Assert.Equal(1_000, share.OtherMs);
        Assert.Equal("server 30%, PostgreSQL 50%, simulator 5%, other 5%, idle 6% (+2% waiting for I/O), stolen by the host 2%", share.Text());

        // Processes sampled a moment apart from /proc/stat can add up to a little more than the busy time: other is then 0, not negative.
        Assert.Equal(0, MachineShare.Of(new MachineCpu(1_000, 0, 0, 0), new MachinePart("server", 1_010)).OtherMs);
    }
}
