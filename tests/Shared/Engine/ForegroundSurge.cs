using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Engine;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Testing;

/// <summary>
/// The host's <see cref="BurstThrottle"/> on a fake clock of its own, driven as a surge of merchants' webhooks would drive
/// it. The clock moves only when a step of answers is reported, so the throttle never sees the foreground go quiet and
/// stays where the test left it: on the system clock it would give every worker back a step (100 ms) after the last report, and
/// a test would have to keep reporting for as long as it wants background work held back.
/// </summary>
public sealed class ForegroundSurge
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private BurstThrottle? _throttle;

    /// <summary>The throttle the host resolved (after <see cref="AddTo"/> and the host's start).</summary>
    public BurstThrottle Throttle => _throttle ?? throw new InvalidOperationException("The host has not resolved its BurstThrottle: register it with AddTo and start the host first.");

    /// <summary>
    /// Replaces the engine's throttle with one built from the host's <see cref="EngineOptions"/> on this surge's clock
    /// (call after <c>AddOrderFlowEngine</c>: the last registration is the one resolved).
    /// </summary>
    public void AddTo(IServiceCollection services) =>
        services.AddSingleton(sp => _throttle = new BurstThrottle(sp.GetRequiredService<IOptions<EngineOptions>>().Value, _clock));

    /// <summary>Steps of slow answers at the surge rate until the throttle lets no burst run (halved per step, down to 0 by default).</summary>
    public void StopBursts()
    {
        for (var i = 0; i < 10 && Throttle.Allowed > 0; i++)
        {
            Step(Throttle, _clock, 80);
        }

        Assert.Equal(0, Throttle.Allowed);
    }

    /// <summary>The surge ends: a step of one quick answer is no surge, and every worker comes back at once.</summary>
    public void End()
    {
        Step(Throttle, _clock, 5, reports: 1);
        Assert.False(Throttle.Throttled);
    }

    /// <summary>
    /// One step of <paramref name="reports"/> answers taking <paramref name="latencyMs"/> each, spread evenly over it (10 in
    /// a step of 100 ms is the default surge rate of 100/s; the default target is 10 ms).
    /// </summary>
    public static void Step(BurstThrottle throttle, FakeTimeProvider clock, double latencyMs, int reports = 10)
    {
        var step = BurstThrottle.Step.Ticks;
        for (var i = 0; i < reports; i++)
        {
            // The last answer of the step lands on its end exactly, whatever the rounding.
            clock.Advance(TimeSpan.FromTicks(step * (i + 1) / reports - step * i / reports));
            throttle.ReportForegroundLatency(TimeSpan.FromMilliseconds(latencyMs));
        }
    }
}
