using Hangfire;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine.Hangfire;

/// <summary>The Hangfire job that runs one burst. Takes an id only; running it twice is harmless (the second finds nothing to do).</summary>
public sealed class BurstJob(BurstRunner runner)
{
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900])]
    [Queue("bursts")]
    public Task RunAsync(Guid instanceId, CancellationToken cancellationToken) => runner.RunAsync(instanceId, cancellationToken);
}
