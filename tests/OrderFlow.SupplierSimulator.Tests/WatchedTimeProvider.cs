using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace OrderFlow.SupplierSimulator.Tests;

/// <summary>A fake clock that reports each timer created, so a test advances time only once the code under test is waiting.</summary>
public sealed class WatchedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _created = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Enqueue(dueTime);
        return timer;
    }

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> has been created; fails after 10 s of real time.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_created.Contains(dueTime))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No timer due in {dueTime} was created.");
            }

            await Task.Delay(10);
        }
    }
}
