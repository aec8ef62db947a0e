using ScottPlot;

namespace OrderFlow.Bench;

/// <summary>The run over time: acknowledgements and completions per second (left axis), intake p99 latency (right axis), phases marked.</summary>
public static class Chart
{
    public static void Render(BenchReport report, string path)
    {
        var plot = new Plot();
        var points = report.Timeline;
        double[] xs = [.. points.Select(p => (double)p.Second)];
        var acks = plot.Add.Scatter(xs, points.Select(p => (double)p.Acks).ToArray());
        acks.LegendText = "intake acknowledged / s";
        acks.MarkerSize = 0;
        var done = plot.Add.Scatter(xs, points.Select(p => (double)p.Completions).ToArray());
        done.LegendText = "lifecycle complete / s";
        done.MarkerSize = 0;

        var withLatency = points.Where(p => p.P99Ms is not null).ToList();
        if (withLatency.Count > 0)
        {
            var p99 = plot.Add.Scatter(withLatency.Select(p => (double)p.Second).ToArray(), withLatency.Select(p => p.P99Ms!.Value).ToArray());
            p99.LegendText = "intake p99 ms (right)";
            p99.MarkerSize = 2;
            p99.LineWidth = 1;
            p99.Axes.YAxis = plot.Axes.Right;
        }

        var rss = plot.Add.Scatter(xs, points.Select(p => p.RssMb).ToArray());
        rss.LegendText = "server RSS MB (right)";
        rss.MarkerSize = 0;
        rss.LinePattern = LinePattern.Dotted;
        rss.Axes.YAxis = plot.Axes.Right;

        foreach (var phase in report.Phases)
        {
            var line = plot.Add.VerticalLine(phase.At);
            line.LabelText = phase.Phase;
            line.LineColor = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
        }

        plot.Title($"OrderFlow bench {report.StartedAt:yyyy-MM-dd HH:mm} UTC ({report.Mode})");
        plot.Axes.Bottom.Label.Text = "seconds since the start";
        plot.Axes.Left.Label.Text = "orders per second";
        plot.Axes.Right.Label.Text = "ms / MB";
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1600, 700);
    }
}
