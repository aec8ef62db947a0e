using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>Crashes the next burst at its n-th checkpoint once armed; does nothing otherwise.</summary>
public sealed class CrashingCheckpoints : IBurstCheckpoints
{
    private int _crashAt;
    private int _reached;

    public BurstCheckpoint? LastCrash { get; private set; }

    public void Arm(int crashAtCheckpoint)
    {
        _crashAt = crashAtCheckpoint;
        _reached = 0;
        LastCrash = null;
    }

    public void Disarm() => _crashAt = 0;

    public ValueTask ReachedAsync(BurstCheckpoint checkpoint, Guid instanceId, string? activityId, CancellationToken cancellationToken)
    {
        if (_crashAt > 0 && ++_reached == _crashAt)
        {
            _crashAt = 0;
            LastCrash = checkpoint;
            throw new SimulatedCrash($"{checkpoint} {activityId}".TrimEnd());
        }

        return ValueTask.CompletedTask;
    }
}
