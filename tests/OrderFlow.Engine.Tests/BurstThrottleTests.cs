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
}
