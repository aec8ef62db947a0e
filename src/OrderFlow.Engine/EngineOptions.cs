using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Engine;

/// <summary>Settings of the workflow engine, bound from <c>OrderFlow:Engine</c>.</summary>
public sealed class EngineOptions
{
    public const string Section = "OrderFlow:Engine";

    /// <summary>Folder whose <c>*.json</c> workflow files are published at start-up when they changed; relative to the binaries.</summary>
    public string? WorkflowsDirectory { get; set; }

    /// <summary>Most activity executions in one burst before the runner commits and continues in a new burst (guards loops).</summary>
    [Range(10, 100_000)]
    public int MaxActivitiesPerBurst { get; set; } = 500;

    /// <summary>How long a burst waits for another burst of the same instance to finish.</summary>
    [Range(1, 600)]
    public int InstanceLockTimeoutSeconds { get; set; } = 60;

    /// <summary>Pending work older than this is dispatched again by the sweep (covers a crash between commit and dispatch).</summary>
    [Range(1, 3600)]
    public int RedispatchAfterSeconds { get; set; } = 15;

    /// <summary>Bursts run at once by one process's <see cref="Runtime.BurstWorker"/> (each holds a connection while it runs).</summary>
    [Range(1, 200)]
    public int BurstWorkers { get; set; } = 16;

    /// <summary>Bursts still run at once while foreground work is over its latency target (see <see cref="Runtime.BurstThrottle"/>).</summary>
    [Range(0, 200)]
    public int MinBurstWorkersUnderPressure { get; set; }

    /// <summary>
    /// How long foreground work (acknowledging a merchant's webhook) may take before this process runs fewer bursts at once
    /// to make room for it. Only during a surge (<see cref="ForegroundSurgePerSecond"/>): at 500 webhooks a second on two
    /// cores, 10 ms kept the p99 acknowledgement at 26–41 ms where 20 ms let it reach 45–47 ms, once 199 ms; the background
    /// did ~40% less meanwhile, leaving more orders in the durable inbox for after the surge (docs/benchmarks-history.md,
    /// "Acknowledgements first").
    /// </summary>
    [Range(1, 60_000)]
    public int ForegroundLatencyTargetMilliseconds { get; set; } = 10;

    /// <summary>
    /// Foreground work a second from which it counts as a surge that bursts make room for: arrivals or answers at that rate
    /// within a step of 100 ms (the arrival that reaches it stops the bursts at once).
    /// </summary>
    [Range(1, 1_000_000)]
    public int ForegroundSurgePerSecond { get; set; } = 100;

    /// <summary>How often the burst worker looks for due timers and for work committed by other processes.</summary>
    [Range(50, 60_000)]
    public int BurstPollMilliseconds { get; set; } = 1000;

    /// <summary>The log property that carries the instance's correlation id (the order workflow sets "OrderId").</summary>
    [Required]
    public string CorrelationLogProperty { get; set; } = "CorrelationId";

    [Required]
    public ExpressionOptions Expressions { get; set; } = new();
}

/// <summary>Sandbox limits for JavaScript expressions.</summary>
public sealed class ExpressionOptions
{
    [Range(10, 10_000)]
    public int TimeoutMilliseconds { get; set; } = 250;

    [Range(100_000, 256_000_000)]
    public long MemoryLimitBytes { get; set; } = 8_000_000;

    [Range(100, 10_000_000)]
    public int MaxStatements { get; set; } = 50_000;

    [Range(4, 1_000)]
    public int MaxRecursionDepth { get; set; } = 64;
}
