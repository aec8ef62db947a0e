using System.Collections.Concurrent;
using OrderFlow.Engine.Activities;

namespace OrderFlow.Engine.Tests.Support;

/// <summary>Records the idempotency key of every execution per instance; fails the first <c>failTimes</c> of them.</summary>
public sealed class KeyRecordingActivity : IActivity
{
    public static ConcurrentDictionary<Guid, ConcurrentQueue<string>> Keys { get; } = new();

    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Test.RecordKey", Category = "Test", DisplayName = "Record key",
        Inputs = [new InputDescriptor("failTimes", "number", "Fail times", Default: 0)],
        DefaultRetry = new RetryPolicy { MaxAttempts = 2, InitialDelaySeconds = 10, Jitter = 0 },
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var keys = Keys.GetOrAdd(context.InstanceId, _ => new ConcurrentQueue<string>());
        keys.Enqueue(context.IdempotencyKey);
        if (keys.Count <= context.GetInput<int>("failTimes"))
        {
            // The remote side committed the effect; only the answer was lost.
            throw new HttpRequestException("connection dropped after commit");
        }

        return ValueTask.FromResult(ActivityResult.Done());
    }
}
