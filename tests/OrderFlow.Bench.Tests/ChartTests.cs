namespace OrderFlow.Bench.Tests;

/// <summary>The chart's first panel: complete orders per second and, where the baseline ran, its empty jobs per second.</summary>
public class ChartTests
{
    private static List<SecondPoint> Run(int seconds, Func<int, int> completions, Func<int, int> emptyJobs) =>
        [.. Enumerable.Range(0, seconds).Select(s => new SecondPoint(s, 0, completions(s), 0, null, 0, emptyJobs(s)))];

    [Fact]
    public void Empty_jobs_are_a_five_second_mean_drawn_only_where_the_baseline_ran()
    {
        // Orders in seconds 0-9, the baseline's jobs in 12-16 (100 a second), nothing after.
        var points = Run(25, s => s < 10 ? 50 : 0, s => s is >= 12 and <= 16 ? 100 : 0);

        var jobs = Chart.EmptyJobsPerSecond(points).ToList();

        Assert.Equal([12, 13, 14, 15, 16], jobs.Select(p => p.Second));
        Assert.Equal([20.0, 40.0, 60.0, 80.0, 100.0], jobs.Select(p => p.Value!.Value));
        Assert.Equal(50.0, Chart.TrailingMean(points, 5, p => p.Completions).Single(p => p.Second == 9).Value);
    }

    [Fact]
    public void A_run_without_a_baseline_has_no_empty_jobs_line() =>
        Assert.Empty(Chart.EmptyJobsPerSecond(Run(10, _ => 5, _ => 0)));

    [Fact]
    public void Timeline_counts_empty_jobs_in_the_second_they_were_seen()
    {
        var timeline = new Timeline();
        timeline.EmptyJobsDone(5);
        timeline.EmptyJobsDone(7);

        Assert.Equal(12, timeline.Points().Sum(p => p.EmptyJobs));
        Assert.All(timeline.Points(), p => Assert.Equal(0, p.Completions));
    }

    [Fact]
    public void A_stored_run_from_before_the_empty_jobs_series_is_drawn_again()
    {
        // Runs stored before 1 December 23:48 have no "emptyJobs" per second: they read as 0 and the chart has no baseline line.
        var directory = Directory.CreateTempSubdirectory("orderflow-chart-");
        try
        {
            var json = Path.Combine(directory.FullName, "run.json");
            File.Copy(RepositoryFile("bench/results/bench-20261201-211802-full.json"), json);

            var png = Chart.RenderStored(json);

            Assert.True(new FileInfo(png).Length > 10_000);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException($"No OrderFlow.sln above {AppContext.BaseDirectory}.");
    }
}
