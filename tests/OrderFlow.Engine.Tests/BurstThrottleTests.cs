using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using OrderFlow.Engine.Runtime;
using static OrderFlow.Testing.ForegroundSurge;

namespace OrderFlow.Engine.Tests;

/// <summary>Foreground work over its latency target takes burst workers away; they come back as it recovers or goes quiet.</summary>
public sealed class BurstThrottleTests
{
    private static (BurstThrottle Throttle, FakeTimeProvider Clock) Create(int workers = 16, int min = 1, int targetMs = 20)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return (new BurstThrottle(new EngineOptions
        {
            BurstWorkers = workers, MinBurstWorkersUnderPressure = min, ForegroundLatencyTargetMilliseconds = targetMs, ForegroundSurgePerSecond = 100,
        }, clock), clock);
    }

    [Fact]
    public void Report_OverTargetForSeveralSteps_HalvesDownToTheMinimum()
    {
        var (throttle, clock) = Create(workers: 16, min: 2);

        var seen = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            Step(throttle, clock, 80);
            seen.Add(throttle.Allowed);
        }

        Assert.Equal([8, 4, 2, 2, 2], seen);
    }

    [Fact]
    public void Report_SlowButNoSurge_KeepsEveryWorker()
    {
        var (throttle, clock) = Create(workers: 16);

        for (var i = 0; i < 5; i++)
        {
            Step(throttle, clock, 500, reports: 5);
        }

        Assert.Equal(16, throttle.Allowed);
    }

    [Fact]
    public void Report_SurgeEnds_AllWorkersComeBackEvenWhileAnswersStaySlow()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);
        for (var i = 0; i < 6; i++)
        {
            Step(throttle, clock, 80);
        }

        Assert.Equal(0, throttle.Allowed);
        Step(throttle, clock, 80, reports: 3);

        Assert.Equal(16, throttle.Allowed);
    }

    [Fact]
    public void Report_SurgeWellUnderTarget_AddsOneWorkerPerStep()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);
        for (var i = 0; i < 6; i++)
        {
            Step(throttle, clock, 80);
        }

        var seen = new List<int>();
        foreach (var latency in new[] { 5, 5, 15, 5, 5, 5 })
        {
            Step(throttle, clock, latency);
            seen.Add(throttle.Allowed);
        }

        Assert.Equal([1, 2, 2, 3, 4, 5], seen);
    }

    [Fact]
    public async Task WaitTurn_WorkerAboveAllowed_WaitsUntilWorkersAreGivenBack()
    {
        var (throttle, clock) = Create(workers: 4);
        Step(throttle, clock, 100);
        Step(throttle, clock, 100);
        Assert.Equal(1, throttle.Allowed);

        var first = throttle.WaitTurnAsync(0, CancellationToken.None).AsTask();
        var third = throttle.WaitTurnAsync(2, CancellationToken.None).AsTask();
        await first;
        Assert.False(third.IsCompleted);

        Step(throttle, clock, 1);
        Assert.Equal(2, throttle.Allowed);
        Assert.False(third.IsCompleted);
        Step(throttle, clock, 1);
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, throttle.Allowed);
    }

    [Fact]
    public async Task WaitTurn_ForegroundGoesQuiet_AllWorkersRunAgain()
    {
        var (throttle, clock) = Create(workers: 8);
        Step(throttle, clock, 100);
        Step(throttle, clock, 100);
        Step(throttle, clock, 100);
        var last = throttle.WaitTurnAsync(7, CancellationToken.None).AsTask();
        Assert.False(last.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));

        await last.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(8, throttle.Allowed);
    }

    /// <summary>Arrivals at 100/s, the surge rate, for two steps: the tenth stops the bursts.</summary>
    private static void SurgeArrives(BurstThrottle throttle, FakeTimeProvider clock)
    {
        for (var i = 0; i < 20; i++)
        {
            throttle.ReportForegroundArrival();
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
    }

    [Fact]
    public void Arrival_SurgeStartsWhileAtFullWidth_StopsBurstsBeforeAnyAnswer()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);
        clock.Advance(TimeSpan.FromSeconds(5));

        var seen = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            throttle.ReportForegroundArrival();
            seen.Add(throttle.Allowed);
            clock.Advance(TimeSpan.FromMilliseconds(2));
        }

        // 100/s is 10 arrivals in a step of 100 ms: the tenth, 18 ms in, is the surge.
        Assert.Equal([16, 16, 16, 16, 16, 16, 16, 16, 16, 0], seen);
    }

    [Fact]
    public void Arrival_BelowTheSurgeRate_KeepsEveryWorker()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);

        for (var i = 0; i < 50; i++)
        {
            throttle.ReportForegroundArrival();
            throttle.ReportForegroundLatency(TimeSpan.FromMilliseconds(200));
            clock.Advance(TimeSpan.FromMilliseconds(12));
        }

        Assert.Equal(16, throttle.Allowed);
    }

    [Fact]
    public async Task Arrival_BatchAnsweredThenSilence_AllWorkersBackAStepLater()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);
        for (var i = 0; i < 40; i++)
        {
            throttle.ReportForegroundArrival();
        }

        Assert.Equal(0, throttle.Allowed);
        var worker = throttle.WaitTurnAsync(15, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(30));
        for (var i = 0; i < 40; i++)
        {
            throttle.ReportForegroundLatency(TimeSpan.FromMilliseconds(30));
        }

        await Task.Delay(50);
        Assert.False(worker.IsCompleted);

        // The batch is answered and nothing else comes: a step of silence ends the surge.
        clock.Advance(BurstThrottle.Step);
        await worker.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(16, throttle.Allowed);
    }

    [Fact]
    public void Arrival_SurgeOnset_AnswersWellUnderTargetGiveWorkersBackOnePerStep()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);
        SurgeArrives(throttle, clock);

        Assert.Equal(0, throttle.Allowed);
        var seen = new List<int>();
        for (var step = 0; step < 3; step++)
        {
            for (var i = 0; i < 10; i++)
            {
                throttle.ReportForegroundArrival();
            }

            Step(throttle, clock, 5);
            seen.Add(throttle.Allowed);
        }

        // Only the onset drops to the minimum: from there the arrivals of a running surge change nothing by themselves.
        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public void Report_AnswersHeldUpButArrivalsAtSurgeRate_StaysASurge()
    {
        var (throttle, clock) = Create(workers: 16, min: 0);
        SurgeArrives(throttle, clock);

        // A step in which ten more arrived and a single slow answer came back: still a surge, and a slow one.
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            throttle.ReportForegroundArrival();
        }

        throttle.ReportForegroundLatency(TimeSpan.FromMilliseconds(300));

        Assert.Equal(0, throttle.Allowed);
    }

    [Fact]
    public async Task WaitTurn_ArrivalsKeepComingWithoutAnswers_IsNotQuiet()
    {
        var (throttle, clock) = Create(workers: 4, min: 0);
        SurgeArrives(throttle, clock);

        var first = throttle.WaitTurnAsync(0, CancellationToken.None).AsTask();
        for (var i = 0; i < 30; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            throttle.ReportForegroundArrival();
            await Task.Yield();
        }

        await Task.Delay(50);
        Assert.False(first.IsCompleted);
        Assert.Equal(0, throttle.Allowed);

        clock.Advance(TimeSpan.FromMilliseconds(250));
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4, throttle.Allowed);
    }

    [Fact]
    public void Metrics_EachHoldCountedOnce_AndItsLengthRecordedWhenAllWorkersComeBack()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var engaged = new MetricCollector<long>(meters, EngineMetrics.MeterName, "orderflow.engine.throttle.engaged");
        using var held = new MetricCollector<double>(meters, EngineMetrics.MeterName, "orderflow.engine.throttle.held");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new BurstThrottle(new EngineOptions
        {
            BurstWorkers = 16, MinBurstWorkersUnderPressure = 0, ForegroundLatencyTargetMilliseconds = 20, ForegroundSurgePerSecond = 100,
        }, clock, new EngineMetrics(meters));

        // Slow answers in a surge: 8 at the end of the first step (held from then), 4, 2, 1, 0, 0; the seventh step is no
        // surge, and all 16 come back 600 ms after they were first held.
        for (var i = 0; i < 6; i++)
        {
            Step(throttle, clock, 80);
        }

        Assert.Empty(held.GetMeasurementSnapshot());
        Step(throttle, clock, 80, reports: 3);

        Assert.Equal(16, throttle.Allowed);
        Assert.Equal(1, engaged.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(600, Assert.Single(held.GetMeasurementSnapshot()).Value, precision: 6);
    }
}
