using System.Diagnostics.Metrics;

namespace OrderFlow.Engine.Runtime;

/// <summary>OpenTelemetry-friendly metrics of the engine (meter "OrderFlow.Engine").</summary>
public sealed class EngineMetrics
{
    public const string MeterName = "OrderFlow.Engine";

    private readonly Histogram<double> _burstDuration;
    private readonly Counter<long> _activities;
    private readonly Counter<long> _bursts;
    private readonly Counter<long> _throttleEngaged;
    private readonly Histogram<double> _throttleHeld;

    public EngineMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _burstDuration = meter.CreateHistogram<double>("orderflow.engine.burst.duration", "ms", "Wall time of one burst, lock to commit.");
        _activities = meter.CreateCounter<long>("orderflow.engine.activities", "{activity}", "Activity executions.");
        _bursts = meter.CreateCounter<long>("orderflow.engine.bursts", "{burst}", "Bursts by resulting instance status.");
        _throttleEngaged = meter.CreateCounter<long>("orderflow.engine.throttle.engaged", "{surge}",
            "Times this process ran fewer bursts to let a surge of foreground work (intake) through first.");
        _throttleHeld = meter.CreateHistogram<double>("orderflow.engine.throttle.held", "ms",
            "How long this process ran fewer bursts than it may, each time, until all were given back.");
    }

    public void BurstCompleted(TimeSpan duration, int activities, string status)
    {
        _burstDuration.Record(duration.TotalMilliseconds);
        _activities.Add(activities);
        _bursts.Add(1, new KeyValuePair<string, object?>("status", status));
    }

    public void ThrottleEngaged() => _throttleEngaged.Add(1);

    public void ThrottleReleased(TimeSpan held) => _throttleHeld.Record(held.TotalMilliseconds);
}
