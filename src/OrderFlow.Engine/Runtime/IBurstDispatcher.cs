namespace OrderFlow.Engine.Runtime;

/// <summary>Gets a burst of an instance run by some process, now or at a time.</summary>
public interface IBurstDispatcher
{
    void Dispatch(Guid instanceId);

    void Schedule(Guid instanceId, DateTimeOffset at);
}
