using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Server.Hosting;

/// <summary>Host settings, bound from <c>OrderFlow:Server</c>.</summary>
public sealed class ServerOptions
{
    public const string Section = "OrderFlow:Server";

    /// <summary>
    /// Hangfire workers in this process; each runs one sweep (tracking, catalogue, engine) at a time. Bursts do not use them:
    /// they run on the engine's burst worker (<c>OrderFlow:Engine:BurstWorkers</c>).
    /// </summary>
    [Range(1, 200)]
    public int HangfireWorkers { get; set; } = 4;

    /// <summary>
    /// How often each idle Hangfire worker asks the database for a job, in milliseconds. Hangfire carries only the recurring
    /// sweeps (every 5 s or more in production), so a job waits at most this long to start; every worker of every process
    /// polls, so this is a cost per process (4 workers at 250 ms were 16 of an idle server's 56 transactions a second).
    /// </summary>
    [Range(100, 60_000)]
    public int HangfireQueuePollMilliseconds { get; set; } = 1000;
}
