using Microsoft.Extensions.Options;

namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Lets latency-sensitive foreground work (a merchant waiting for its webhook's acknowledgement) go before bursts, which
/// nobody waits on by the millisecond. The host reports each piece of foreground work when it arrives and how long it took
/// when it is answered. A surge is foreground work at <see cref="EngineOptions.ForegroundSurgePerSecond"/> or more, arriving
/// or answered, within a <see cref="Step"/>. The arrival that starts one, while the engine runs at full width, takes it down
/// at once to as few bursts as it may run under pressure (<see cref="EngineOptions.MinBurstWorkersUnderPressure"/>, 0 by
/// default: the surge waits in durable queues, not in the merchants' connections), without waiting for slow answers to show
/// it: those would come only after the cores had gone to the bursts. Then, per step of the surge, it halves the bursts while
/// the step's slowest answer exceeds <see cref="EngineOptions.ForegroundLatencyTargetMilliseconds"/> and adds one back while
/// the answers are well under it; it gives them all back as soon as a step is not a surge or nothing has arrived or been
/// answered for a step. Outside surges a slow answer costs no throughput: the engine runs at full width. Each process
/// throttles only itself.
/// </summary>
public sealed class BurstThrottle
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    // No arrival and no answer for a step: at a surge's rate of 100 a second, a gap that long is one in 20,000.
    private static readonly TimeSpan Quiet = Step;

    private readonly TimeProvider _clock;
    private readonly int _max;
    private readonly int _min;
    private readonly double _targetMs;
    private readonly int _surgePerStep;
    private int _reportsInStep;
    private int _arrivalsInStep;
    private int _arrivalsInWindow;
    private long _windowStarted;
    private readonly Lock _gate = new();
    private TaskCompletionSource _raised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _worstInStepMs;
    private long _stepStarted;
    private long _lastHeard;
    private int _allowed;
    private readonly EngineMetrics? _metrics;
    private long _heldSince;

    public BurstThrottle(IOptions<EngineOptions> options, EngineMetrics metrics)
        : this(options.Value, TimeProvider.System, metrics)
    {
    }

    // The cadence is real time, like the worker's poll: it paces this process's CPU, not the workflows' domain clock.
    internal BurstThrottle(EngineOptions options, TimeProvider clock, EngineMetrics? metrics = null)
    {
        _clock = clock;
        _metrics = metrics;
        _max = options.BurstWorkers;
        _min = Math.Min(options.MinBurstWorkersUnderPressure, _max);
        _targetMs = options.ForegroundLatencyTargetMilliseconds;
        _surgePerStep = (int)Math.Ceiling(options.ForegroundSurgePerSecond * Step.TotalSeconds);
        _allowed = _max;
        _stepStarted = _lastHeard = _windowStarted = clock.GetTimestamp();
    }

    /// <summary>Bursts this process may run at once now.</summary>
    public int Allowed => Volatile.Read(ref _allowed);

    /// <summary>Fewer than all: background work should come in small pieces, each a short wait for the foreground.</summary>
    public bool Throttled => Allowed < _max;

    /// <summary>
    /// A piece of foreground work arrived. The arrival that makes a step's worth at the surge rate, while every worker may
    /// run, takes them down to the minimum at once; from there the answers' latency decides, step by step.
    /// </summary>
    public void ReportForegroundArrival()
    {
        lock (_gate)
        {
            _lastHeard = _clock.GetTimestamp();
            _arrivalsInStep++;
            // Arrivals are counted over windows of a step of their own: the answers' step begins at an answer, and the
            // first answers of a surge come only once its first arrivals have been served.
            if (_clock.GetElapsedTime(_windowStarted) >= Step)
            {
                _windowStarted = _lastHeard;
                _arrivalsInWindow = 0;
            }

            // A batch a client sends at once starts a surge too: its answers come first, and a step of silence after
            // them gives the bursts back.
            if (++_arrivalsInWindow >= _surgePerStep && _allowed == _max)
            {
                Set(_min);
            }
        }
    }

    /// <summary>How long a piece of foreground work took, from its arrival to its answer.</summary>
    public void ReportForegroundLatency(TimeSpan latency)
    {
        lock (_gate)
        {
            _lastHeard = _clock.GetTimestamp();
            _worstInStepMs = Math.Max(_worstInStepMs, latency.TotalMilliseconds);
            _reportsInStep++;
            if (_clock.GetElapsedTime(_stepStarted) < Step)
            {
                return;
            }

            // Outside a surge the engine runs at full width at once; within one, halve while slow and add one back while
            // well under (doubling overshoots: each overshoot is a spike in the merchants' answers).
            // Arrivals count too: in a step whose answers are held up, few of them come back.
            var surging = Math.Max(_reportsInStep, _arrivalsInStep) >= _surgePerStep;
            var allowed = !surging ? _max
                : _worstInStepMs > _targetMs ? Math.Max(_min, _allowed / 2)
                : _worstInStepMs < _targetMs / 2 ? Math.Min(_max, _allowed + 1)
                : _allowed;
            _worstInStepMs = 0;
            _reportsInStep = 0;
            _arrivalsInStep = 0;
            _stepStarted = _lastHeard;
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
                if (_clock.GetElapsedTime(_lastHeard) >= Quiet)
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
        // What operators see of it (metrics): how often the bursts were held back for the foreground, and for how long.
        if (before == _max && allowed < _max)
        {
            _heldSince = _clock.GetTimestamp();
            _metrics?.ThrottleEngaged();
        }
        else if (before < _max && allowed == _max)
        {
            _metrics?.ThrottleReleased(_clock.GetElapsedTime(_heldSince));
        }

        if (allowed > before)
        {
            _raised.TrySetResult();
            _raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
