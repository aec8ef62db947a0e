namespace OrderFlow.Bench.Tests;

public class WindowArithmeticTests
{
    private static IReadOnlyDictionary<int, (long, long)> Tasks(params (int Tid, long Voluntary, long Involuntary)[] tasks) =>
        tasks.ToDictionary(t => t.Tid, t => (t.Voluntary, t.Involuntary));

    [Fact]
    public void Switches_since_a_sample_count_live_tasks_from_their_earlier_count_and_new_tasks_from_zero()
    {
        var before = new ProcessSample(1_000, 400, Tasks((1, 100, 10), (2, 50, 5), (3, 70, 7)));
        // Task 2 went on; task 3 ended (lost: the figure is a floor); task 4 started; task 1's id was reused by a new
        // thread with a smaller count, which must not subtract.
        var after = new ProcessSample(1_600, 700, Tasks((1, 40, 1), (2, 80, 9), (4, 25, 3)));

        var cost = after.Since(before);

        Assert.Equal(600, cost.UserMs);
        Assert.Equal(300, cost.KernelMs);
        Assert.Equal(900, cost.TotalMs);
        Assert.Equal(30 + 25, cost.VoluntarySwitches);
        Assert.Equal(4 + 3, cost.InvoluntarySwitches);
        Assert.Equal(62, cost.Switches);
        Assert.Equal(300.0 / 900, cost.KernelShare, 9);
    }

    [Fact]
    public void No_cpu_is_no_kernel_share() => Assert.Equal(0, new ProcessCost(0, 0, 0, 0).KernelShare);

    [Fact]
    public void Counters_subtract_field_by_field_the_wal_and_buffers_too()
    {
        var earlier = new Counters(100, 5, 2_000, 1_800, 10) { WalRecords = 9_000, WalBytes = 1_000_000, Buffers = 40_000 };
        var later = new Counters(160, 6, 2_900, 2_600, 14) { WalRecords = 9_450, WalBytes = 1_060_000, Buffers = 42_000 };

        var d = later.Minus(earlier);

        Assert.Equal(new Counters(60, 1, 900, 800, 4) { WalRecords = 450, WalBytes = 60_000, Buffers = 2_000 }, d);
    }

    [Fact]
    public void The_idle_floor_takes_each_measure_at_its_lowest_slice_by_slice()
    {
        // Slice 1: autovacuum ran (WAL and PostgreSQL CPU high); slice 2: a sweep ran (commits and server CPU high).
        var vacuum = IdleRates.Of(new Counters(10, 0, 40, 30, 0) { WalRecords = 5_000, WalBytes = 800_000, Buffers = 9_000 }, 20, 400, 2);
        var sweep = IdleRates.Of(new Counters(80, 0, 300, 250, 0) { WalRecords = 60, WalBytes = 9_000, Buffers = 700 }, 90, 30, 1);

        var floor = IdleRates.Lowest([vacuum, sweep]);

        Assert.Equal(new IdleRates(5, 20, 15, 60, 9_000, 700, 10, 30), floor);
        Assert.Throws<ArgumentException>(() => IdleRates.Lowest([]));
    }

    [Fact]
    public void The_marginal_cost_takes_the_idle_rate_over_the_run_away_and_is_never_negative()
    {
        Assert.Equal(3.0, Marginal.PerOrder(total: 400, idlePerSecond: 10, seconds: 10, orders: 100));
        Assert.Equal(0.0, Marginal.PerOrder(total: 50, idlePerSecond: 10, seconds: 10, orders: 100));
        Assert.Null(Marginal.PerOrder(total: 400, idlePerSecond: 10, seconds: 10, orders: 0));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var hundred = Enumerable.Range(1, 100).Select(i => (double)i).ToList();

        Assert.Equal(99, Stats.Percentile(hundred, 0.99));
        Assert.Equal(50, Stats.Percentile(hundred, 0.50));
        Assert.Equal(7, Stats.Percentile([7.0], 0.99));
        Assert.True(double.IsNaN(Stats.Percentile([], 0.99)));
    }

    [Fact]
    public void Each_30_s_window_gets_its_own_p99_and_the_remainder_goes_to_the_last()
    {
        // 100 s: three windows, the last 40 s long. Window 1 fast, window 2 slow, the answer at 95 s in window 3.
        var answers = new List<(double Offset, double Ms)>();
        answers.AddRange(Enumerable.Range(0, 100).Select(i => (i * 0.29, 2.0)));
        answers.AddRange(Enumerable.Range(0, 100).Select(i => (30 + i * 0.29, 40.0)));
        answers.AddRange(Enumerable.Range(0, 99).Select(i => (60 + i * 0.3, 5.0)));
        answers.Add((95.0, 80.0));

        var windows = IntakeLatency.P99ByWindow(answers, 100);

        Assert.Equal([2.0, 40.0, 5.0], windows);
        Assert.Equal([2.0, 40.0, 80.0], IntakeLatency.P99ByWindow([.. answers, (96.0, 80.0)], 100));
    }

    [Fact]
    public void A_run_of_one_window_has_no_windows_and_a_window_without_answers_shows_as_a_gap()
    {
        Assert.Null(IntakeLatency.P99ByWindow([(1.0, 3.0)], 45));

        var gap = IntakeLatency.P99ByWindow([(1.0, 3.0), (61.0, 4.5)], 90)!;
        Assert.True(double.IsNaN(gap[1]));

        var text = new IntakeLatency(500, 2, 0, 3, 4.5, 4.5) { P99ByWindowMs = gap }.WindowsText;
        Assert.Equal("; p99 per 30 s window 3.0, –, 4.5 ms", text);
    }
}
