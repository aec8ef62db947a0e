using System.Collections.Concurrent;
using Npgsql;
using OrderFlow.Engine.Activities;

namespace OrderFlow.Engine.Tests.Support;

/// <summary>Fails its first <c>failTimes</c> executions per instance, then completes.</summary>
public sealed class FlakyActivity : IActivity
{
    public static ConcurrentDictionary<Guid, int> Calls { get; } = new();

    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Test.Flaky", Category = "Test", DisplayName = "Flaky",
        Inputs = [new InputDescriptor("failTimes", "number", "Fail times", Default: 0)],
        Outcomes = ["Done", "Other"],
        DefaultRetry = new RetryPolicy { MaxAttempts = 3, InitialDelaySeconds = 10, Jitter = 0 },
    };

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var call = Calls.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1);
        if (call <= context.GetInput<int>("failTimes"))
        {
            throw new InvalidOperationException($"flaky failure {call}");
        }

        return ValueTask.FromResult(ActivityResult.Done());
    }
}

/// <summary>Takes a while, so two processes running the same burst would overlap.</summary>
public sealed class SlowActivity : IActivity
{
    public static ConcurrentDictionary<Guid, int> Executions { get; } = new();

    public ActivityDescriptor Descriptor { get; } = new() { Type = "Test.Slow", Category = "Test", DisplayName = "Slow" };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        Executions.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1);
        await Task.Delay(300, context.CancellationToken);
        return ActivityResult.Done();
    }
}

/// <summary>
/// Writes a row under the burst's transaction; with <c>fail</c> it writes, then runs a statement PostgreSQL rejects, which
/// leaves the transaction aborted until the activity's savepoint is rolled back.
/// </summary>
public sealed class WritingActivity : IActivity
{
    public const string Table = "public.engine_test_writes";

    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Test.Write", Category = "Test", DisplayName = "Write",
        Inputs = [new InputDescriptor("key", "string", "Key"), new InputDescriptor("fail", "boolean", "Fail", Default: false)],
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        await using (var insert = new NpgsqlCommand($"INSERT INTO {Table} (instance_id, key) VALUES ($1, $2)", context.Connection, context.Transaction)
        {
            Parameters = { new() { Value = context.InstanceId }, new() { Value = context.GetRequiredString("key") } },
        })
        {
            await insert.ExecuteNonQueryAsync(context.CancellationToken);
        }

        if (context.GetInput<bool>("fail"))
        {
            await using var broken = new NpgsqlCommand("SELECT 1 / 0", context.Connection, context.Transaction);
            await broken.ExecuteScalarAsync(context.CancellationToken);
        }

        return ActivityResult.Done();
    }
}
