namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Called at the points between the steps of a burst. Production wires <see cref="NoBurstCheckpoints"/>; the deterministic
/// simulation throws from here to crash a burst between any two steps (before or after its commit).
/// </summary>
public interface IBurstCheckpoints
{
    ValueTask ReachedAsync(BurstCheckpoint checkpoint, Guid instanceId, string? activityId, CancellationToken cancellationToken);
}

/// <summary>Where a burst is: after the lock, around each activity, around the commit, before the follow-up dispatch.</summary>
public enum BurstCheckpoint
{
    Locked,
    BeforeActivity,
    AfterActivity,
    BeforeCommit,
    AfterCommit,
    BeforeDispatch,
}

/// <summary>The production checkpoints: nothing happens.</summary>
public sealed class NoBurstCheckpoints : IBurstCheckpoints
{
    public ValueTask ReachedAsync(BurstCheckpoint checkpoint, Guid instanceId, string? activityId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
