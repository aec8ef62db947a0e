using System.Text.Json;
using ScottPlot;

namespace OrderFlow.Bench;

/// <summary>
/// The run over time, as four panels on one time axis, each on its own scale: complete orders per second, a 5 s mean (the
/// lifecycle's few dozen would be a flat line beside saturation's thousands), with the baseline's empty Hangfire jobs per
/// second in the same panel (the ratio's two sides on one scale), intake acknowledgements per second, their p99 latency
/// per second, and the server's memory. Lines break where a series has no data (between latency runs, while no server runs); phases are
/// dashed lines, named once at the top.
/// </summary>
public static class Chart
{
    private const int Width = 1600;
    private const int PanelHeight = 260;

    public static void Render(BenchReport report, string path) =>
        Render($"OrderFlow bench {report.StartedAt:yyyy-MM-dd HH:mm} UTC ({report.Mode})", report.Timeline, report.Phases, path);

    /// <summary>Draws the chart of a run stored as JSON (bench/results/bench-….json) again, as the .png beside it.</summary>
    public static string RenderStored(string json)
    {
        var run = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!;
        var png = Path.ChangeExtension(json, ".png");
        Render($"OrderFlow bench {run["startedAt"]!.GetValue<DateTimeOffset>():yyyy-MM-dd HH:mm} UTC ({run["mode"]})",
            run["timeline"].Deserialize<List<SecondPoint>>(BenchReport.Json) ?? [], run["phases"].Deserialize<List<PhaseMark>>(BenchReport.Json) ?? [], png);
        return png;
    }

    /// <summary>
    /// Completions per second averaged over the last <paramref name="seconds"/> seconds: the driver learns of completions
    /// once a second, so single seconds alternate between a poll's whole batch and nothing.
    /// </summary>
    public static IEnumerable<(int Second, double? Value)> TrailingMean(IReadOnlyList<SecondPoint> points, int seconds, Func<SecondPoint, int> count)
    {
        var bySecond = points.ToDictionary(p => p.Second, count);
        return points.Select(p => (p.Second, (double?)Enumerable.Range(p.Second - seconds + 1, seconds)
            .Sum(s => bySecond.GetValueOrDefault(s)) / seconds));
    }

    /// <summary>The baseline's empty jobs per second (5 s mean), only where it ran: its peer, drawn beside the orders.</summary>
    public static IEnumerable<(int Second, double? Value)> EmptyJobsPerSecond(IReadOnlyList<SecondPoint> points)
    {
        var ran = points.Where(p => p.EmptyJobs > 0).Select(p => p.Second).ToList();
        return ran.Count == 0
            ? []
            : TrailingMean(points, 5, p => p.EmptyJobs).Where(p => p.Second >= ran[0] && p.Second <= ran[^1]);
    }

    private static void Render(string title, IReadOnlyList<SecondPoint> points, IReadOnlyList<PhaseMark> phases, string path)
    {
        var end = Math.Max(1, points.Count > 0 ? points.Max(p => p.Second) : 1);
        var panels = new[]
        {
            Panel(phases, "per second (5 s mean)", TrailingMean(points, 5, p => p.Completions), end, Colors.DarkOrange, markers: false,
                legend: "complete orders", second: (EmptyJobsPerSecond(points), Colors.SlateGray, "empty Hangfire jobs (the baseline)")),
            Panel(phases, "acknowledged / s", points.Select(p => (p.Second, (double?)p.Acks)), end, Colors.SteelBlue, markers: false),
            Panel(phases, "intake p99 ms", points.Select(p => (p.Second, p.P99Ms)), end, Colors.ForestGreen, markers: true),
            Panel(phases, "server RSS MB", points.Select(p => (p.Second, p.RssMb > 0 ? p.RssMb : (double?)null)), end, Colors.Crimson, markers: false),
        };

        panels[0].Title(title);
        NamePhases(panels[0], phases, end);
        panels[^1].Axes.Bottom.Label.Text = "seconds since the start";

        var figure = new Multiplot();
        foreach (var empty in figure.GetPlots())
        {
            figure.RemovePlot(empty);
        }

        foreach (var panel in panels)
        {
            // The same padding on every panel lines their time axes up.
            panel.Layout.Fixed(new PixelPadding(90, 30, 45, 40));
            figure.AddPlot(panel);
        }

        figure.SavePng(path, Width, PanelHeight * panels.Length);
    }

    private static Plot Panel(IReadOnlyList<PhaseMark> phases, string name, IEnumerable<(int Second, double? Value)> series, int end, Color color, bool markers,
        string? legend = null, (IEnumerable<(int Second, double? Value)> Series, Color Color, string Legend)? second = null)
    {
        var plot = new Plot();
        Draw(plot, series, color, markers, legend);
        if (second is { } other && Draw(plot, other.Series, other.Color, markers, other.Legend))
        {
            plot.ShowLegend(Alignment.LowerCenter); // the top holds the phases' names
        }

        foreach (var phase in phases)
        {
            var mark = plot.Add.VerticalLine(phase.At);
            mark.LineColor = Colors.Gray.WithAlpha(0.8);
            mark.LinePattern = LinePattern.Dashed;
        }

        plot.Axes.Left.Label.Text = name;
        plot.Axes.SetLimitsX(0, end);
        plot.Axes.AutoScaleY();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(0, Math.Max(1, limits.Top * 1.15));
        return plot;
    }

    /// <summary>Draws a series in its segments, naming it once in the legend; false when it has no point.</summary>
    private static bool Draw(Plot plot, IEnumerable<(int Second, double? Value)> series, Color color, bool markers, string? legend)
    {
        var drawn = false;
        foreach (var segment in Segments(series))
        {
            var line = plot.Add.Scatter(segment.Select(p => (double)p.Second).ToArray(), segment.Select(p => p.Value).ToArray());
            line.Color = color;
            line.LineWidth = 1.5f;
            line.MarkerSize = markers ? 3 : 0;
            line.LegendText = drawn ? "" : legend ?? "";
            drawn = true;
        }

        return drawn;
    }

    /// <summary>The series cut where it has no value or skips seconds, so no line is drawn across a gap.</summary>
    private static List<List<(int Second, double Value)>> Segments(IEnumerable<(int Second, double? Value)> series)
    {
        var segments = new List<List<(int Second, double Value)>>();
        List<(int Second, double Value)>? current = null;
        var last = int.MinValue;
        foreach (var (second, value) in series.OrderBy(p => p.Second))
        {
            if (value is not { } v)
            {
                current = null;
                continue;
            }

            if (current is null || second - last > 2)
            {
                current = [];
                segments.Add(current);
            }

            current.Add((second, v));
            last = second;
        }

        return segments;
    }

    /// <summary>Phase names at the top of the first panel, on alternating rows where phases follow each other closely.</summary>
    private static void NamePhases(Plot plot, IReadOnlyList<PhaseMark> phases, int end)
    {
        var top = plot.Axes.GetLimits().Top;
        var previous = double.MinValue;
        var row = 0;
        foreach (var phase in phases)
        {
            // Closer than a tenth of the run to the name before: one row down, so the two names do not overlap.
            row = phase.At - previous < end / 10.0 ? (row + 1) % 3 : 0;
            previous = phase.At;
            var name = plot.Add.Text(phase.Phase, phase.At, top * (0.98 - row * 0.12));
            name.LabelFontSize = 12;
            name.LabelFontColor = Colors.DimGray;
            // Near the right edge the name goes to the line's left, so it is not cut off.
            name.LabelAlignment = phase.At > end * 0.85 ? Alignment.UpperRight : Alignment.UpperLeft;
            name.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
        }
    }
}
