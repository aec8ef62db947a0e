using Microsoft.Extensions.Options;

namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Lets latency-sensitive foreground work (a merchant waiting for its webhook's acknowledgement) go before bursts, which
/// nobody waits on by the millisecond. The host reports how long each piece of foreground work took. During a surge (at
/// least <see cref="EngineOptions.ForegroundSurgePerSecond"/> reports a second) whose slowest answer in a
/// <see cref="Step"/> exceeds <see cref="EngineOptions.ForegroundLatencyTargetMilliseconds"/>, this process runs fewer
/// bursts at once (halved per step, down to <see cref="EngineOptions.MinBurstWorkersUnderPressure"/>, 0 by default: the
/// surge waits in durable queues, not in the merchants' connections); it adds one back per step while the foreground is
/// well under its target, and gives them all back as soon as a step is not a surge or the foreground has been quiet for a
/// second. Outside surges a slow answer costs no throughput: the engine runs at full width. Each process throttles only
/// itself.
/// </summary>
public sealed class BurstThrottle
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock;
    private readonly int _max;
    private readonly int _min;
    private readonly double _targetMs;
    private readonly int _surgePerStep;
    private int _reportsInStep;
    private readonly Lock _gate = new();
    private TaskCompletionSource _raised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _worstInStepMs;
    private long _stepStarted;
    private long _lastReport;
    private int _allowed;

    public BurstThrottle(IOptions<EngineOptions> options)
        : this(options.Value, TimeProvider.System)
    {
    }

    // The cadence is real time, like the worker's poll: it paces this process's CPU, not the workflows' domain clock.
    internal BurstThrottle(EngineOptions options, TimeProvider clock)
    {
        _clock = clock;
        _max = options.BurstWorkers;
        _min = Math.Min(options.MinBurstWorkersUnderPressure, _max);
        _targetMs = options.ForegroundLatencyTargetMilliseconds;
        _surgePerStep = (int)Math.Ceiling(options.ForegroundSurgePerSecond * Step.TotalSeconds);
        _allowed = _max;
        _stepStarted = _lastReport = clock.GetTimestamp();
    }

    /// <summary>Bursts this process may run at once now.</summary>
    public int Allowed => Volatile.Read(ref _allowed);

    /// <summary>Fewer than all: background work should come in small pieces, each a short wait for the foreground.</summary>
    public bool Throttled => Allowed < _max;

    /// <summary>How long a piece of foreground work took, from its arrival to its answer.</summary>
    public void ReportForegroundLatency(TimeSpan latency)
    {
        lock (_gate)
        {
            _lastReport = _clock.GetTimestamp();
            _worstInStepMs = Math.Max(_worstInStepMs, latency.TotalMilliseconds);
            _reportsInStep++;
            if (_clock.GetElapsedTime(_stepStarted) < Step)
            {
                return;
            }

            // Outside a surge the engine runs at full width at once; within one, halve while slow and add one back while
            // well under (doubling overshoots: each overshoot is a spike in the merchants' answers).
            var surging = _reportsInStep >= _surgePerStep;
            var allowed = !surging ? _max
                : _worstInStepMs > _targetMs ? Math.Max(_min, _allowed / 2)
                : _worstInStepMs < _targetMs / 2 ? Math.Min(_max, _allowed + 1)
                : _allowed;
            _worstInStepMs = 0;
            _reportsInStep = 0;
            _stepStarted = _lastReport;
            Set(allowed);
        }
    }

    /// <summary>Waits until a worker numbered <paramref name="worker"/> (from 0) may run a burst.</summary>
    public async ValueTask WaitTurnAsync(int worker, CancellationToken ct)
    {
        while (worker >= Allowed)
        {
            Task raised;
            lock (_gate)
            {
                if (_clock.GetElapsedTime(_lastReport) >= Quiet)
                {
                    Set(_max);
                    return;
                }

                raised = _raised.Task;
            }

            // Woken when the foreground gives workers back; checked again at the quiet limit if it simply went silent.
            await raised.WaitAsync(Quiet, _clock, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ct.ThrowIfCancellationRequested();
        }
    }

    private void Set(int allowed)
    {
        var before = _allowed;
        Volatile.Write(ref _allowed, allowed);
        if (allowed > before)
        {
            _raised.TrySetResult();
            _raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
