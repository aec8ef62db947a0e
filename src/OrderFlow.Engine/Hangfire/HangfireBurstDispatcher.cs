using Hangfire;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine.Hangfire;

/// <summary>Dispatches bursts as Hangfire jobs, so any server process on the database may run them.</summary>
public sealed class HangfireBurstDispatcher(IBackgroundJobClient jobs) : IBurstDispatcher
{
    public void Dispatch(Guid instanceId) => jobs.Enqueue<BurstJob>(j => j.RunAsync(instanceId, CancellationToken.None));

    public void Schedule(Guid instanceId, DateTimeOffset at) => jobs.Schedule<BurstJob>(j => j.RunAsync(instanceId, CancellationToken.None), at);
}
