using System.Diagnostics;
using ActivityContext = OrderFlow.Engine.Activities.ActivityContext;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Expressions;

namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Runs one burst of an instance: under the instance's row lock, executes every runnable activity until each path
/// has completed, faulted or is waiting, then commits state, journal, bookmarks and incidents in one transaction.
/// A crash before the commit leaves the previous state, so the burst runs again from there.
/// </summary>
public sealed class BurstRunner(
    NpgsqlDataSource dataSource,
    DefinitionStore definitions,
    ActivityRegistry registry,
    IServiceScopeFactory scopeFactory,
    ExpressionEvaluator evaluator,
    TimeProvider clock,
    RandomSource random,
    IBurstDispatcher dispatcher,
    EngineMetrics metrics,
    IBurstCheckpoints checkpoints,
    IOptions<EngineOptions> options,
    ILogger<BurstRunner> logger)
{
    private readonly EngineOptions _options = options.Value;

    /// <summary>Runs a burst; returns how many activities executed (0 when there was nothing to do).</summary>
    public Task<int> RunAsync(Guid instanceId, CancellationToken cancellationToken = default) => RunAsync(instanceId, skipLocked: false, cancellationToken);

    /// <summary>
    /// Runs a burst. With <paramref name="skipLocked"/>, an instance whose row another transaction holds (a burst elsewhere, a
    /// resume in progress) is left alone at once rather than waited for; its work stays pending for the next look.
    /// </summary>
    public async Task<int> RunAsync(Guid instanceId, bool skipLocked, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // The lock and the ready bookmarks in one round trip; a bookmark falling due while the lock was awaited waits for the next burst.
        var (instance, ready) = await InstanceRepository.LockAndTakeReadyAsync(connection, tx, instanceId, _options.InstanceLockTimeoutSeconds, skipLocked,
            clock.GetUtcNow(), cancellationToken);
        if (instance is null)
        {
            if (!skipLocked)
            {
                logger.LogWarning("Burst requested for unknown instance {WorkflowInstanceId}", instanceId);
            }

            return 0;
        }

        using var logScope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["WorkflowInstanceId"] = instanceId,
            [_options.CorrelationLogProperty] = instance.CorrelationId,
        });

        if (instance.Status is InstanceStatuses.Completed or InstanceStatuses.Cancelled)
        {
            await InstanceRepository.ClearPendingAsync(connection, tx, instanceId, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return 0;
        }

        await checkpoints.ReachedAsync(BurstCheckpoint.Locked, instanceId, null, cancellationToken);
        var now = clock.GetUtcNow();
        var definition = await definitions.GetVersionAsync(instance.DefinitionId, instance.DefinitionVersion, connection, tx, cancellationToken)
            ?? throw new InvalidOperationException($"Definition {instance.DefinitionId} v{instance.DefinitionVersion} is missing.");

        await using var services = scopeFactory.CreateAsyncScope();
        var scope = new ExecutionScope(instanceId, instance.DefinitionId, instance.DefinitionVersion, instance.CorrelationId,
            instance.Variables, instance.State.Outputs, connection, tx, services.ServiceProvider, clock, logger, evaluator, cancellationToken);
        var burst = new Burst(Guid.NewGuid(), definition, instance.State, scope, now);

        var work = new Queue<Step>(instance.State.Queue.Select(w => new Step(w, null)));
        instance.State.Queue.Clear();
        foreach (var bookmark in ready)
        {
            work.Enqueue(bookmark.Kind == BookmarkKinds.Retry
                ? new Step(new WorkItem(bookmark.ActivityId, Attempt: bookmark.Attempt), null)
                : new Step(new WorkItem(bookmark.ActivityId, Attempt: bookmark.Attempt), bookmark));
        }

        var executed = 0;
        while (work.TryDequeue(out var step))
        {
            if (executed >= _options.MaxActivitiesPerBurst)
            {
                instance.State.Queue.Add(step.Item);
                instance.State.Queue.AddRange(work.Select(s => s.Item));
                break;
            }

            executed++;
            await checkpoints.ReachedAsync(BurstCheckpoint.BeforeActivity, instanceId, step.Item.ActivityId, cancellationToken);
            foreach (var next in await ExecuteAsync(burst, step))
            {
                work.Enqueue(new Step(next, null));
            }

            await checkpoints.ReachedAsync(BurstCheckpoint.AfterActivity, instanceId, step.Item.ActivityId, cancellationToken);
        }

        var status = await InstanceRepository.SaveBurstAsync(connection, tx, instance, burst, clock.GetUtcNow(), cancellationToken);
        await checkpoints.ReachedAsync(BurstCheckpoint.BeforeCommit, instanceId, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await checkpoints.ReachedAsync(BurstCheckpoint.AfterCommit, instanceId, null, cancellationToken);

        metrics.BurstCompleted(Stopwatch.GetElapsedTime(started), executed, status);
        await RunAfterCommitAsync(scope, cancellationToken);
        await checkpoints.ReachedAsync(BurstCheckpoint.BeforeDispatch, instanceId, null, cancellationToken);
        if (instance.State.Queue.Count > 0)
        {
            dispatcher.Dispatch(instanceId);
        }

        foreach (var resumeAt in burst.NewBookmarks.Where(b => b.ResumeAt is not null).Select(b => b.ResumeAt!.Value).Distinct())
        {
            dispatcher.Schedule(instanceId, resumeAt);
        }

        return executed;
    }

    private async Task<IReadOnlyList<WorkItem>> ExecuteAsync(Burst burst, Step step)
    {
        var node = burst.Definition.FindActivity(step.Item.ActivityId);
        var descriptor = node is null ? null : registry.Find(node.Type);
        if (node is null || descriptor?.ImplementationType is null)
        {
            burst.Incident(step.Item.ActivityId, node?.Type ?? "?", $"Activity '{step.Item.ActivityId}' of type '{node?.Type}' cannot run in this process.", step.Item.Attempt);
            return [];
        }

        if (descriptor.Type == Activities.BuiltIn.JoinActivity.TypeName && !JoinArrived(burst, node, step.Item))
        {
            burst.Journal(node, JournalEvents.Absorbed, step.Item.Attempt, null, null, null, null, 0);
            return [];
        }

        // A retry or a resume continues the same execution, so its effects keep the idempotency key of the first try;
        // only arriving at the activity again (a loop) starts a new execution.
        var previous = burst.State.Executions.GetValueOrDefault(node.Id);
        var sameExecution = previous > 0 && (step.Bookmark is not null || step.Item.Attempt > 1 || step.Item.Repeat);
        var count = sameExecution ? previous : previous + 1;
        burst.State.Executions[node.Id] = count;
        var context = new ActivityContext(burst.Scope, node.Id, node.Type, node.Inputs, descriptor.Inputs, step.Item.Attempt, count,
            step.Bookmark?.Payload, step.Bookmark?.State);
        var activity = (IActivity)burst.Scope.Services.GetRequiredService(descriptor.ImplementationType);
        var afterCommitMark = burst.Scope.AfterCommitActions.Count;
        var started = Stopwatch.GetTimestamp();
        await burst.Savepoints.BeginAsync();
        ActivityResult result;
        try
        {
            result = step.Bookmark is null ? await activity.ExecuteAsync(context) : await activity.ResumeAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !burst.Scope.CancellationToken.IsCancellationRequested)
        {
            await burst.Savepoints.RollbackAsync();
            burst.Scope.AfterCommitActions.RemoveRange(afterCommitMark, burst.Scope.AfterCommitActions.Count - afterCommitMark);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            HandleFailure(burst, node, descriptor, context, e, elapsed);
            return [];
        }

        var duration = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (context.ActivityOutput.Count > 0)
        {
            burst.State.Outputs[node.Id] = context.ActivityOutput.DeepClone();
        }

        if (result.IsHalted)
        {
            burst.Journal(node, JournalEvents.Halted, context.Attempt, context.EvaluatedInputs, context.ActivityOutput, result.HaltReason, null, duration);
            burst.Incident(node.Id, node.Type, result.HaltReason!, context.Attempt);
            return [];
        }

        if (result.Bookmark is { } wait)
        {
            burst.Wait(node.Id, wait, context.Attempt);
            burst.Journal(node, JournalEvents.Waiting, context.Attempt, context.EvaluatedInputs, context.ActivityOutput, null, [wait.Name], duration);
            return [];
        }

        burst.Journal(node, JournalEvents.Completed, context.Attempt, context.EvaluatedInputs, context.ActivityOutput, null, [.. result.Outcomes], duration);
        return burst.Definition.Connections
            .Where(c => c.Source == node.Id && result.Outcomes.Contains(c.Outcome))
            .Select(c => new WorkItem(c.Target, node.Id))
            .ToList();
    }

    private void HandleFailure(Burst burst, ActivityNode node, ActivityDescriptor descriptor, ActivityContext context, Exception error, double elapsedMs)
    {
        var policy = node.Retry ?? descriptor.DefaultRetry ?? RetryPolicy.None;
        var retryable = error is not (ActivityInputException or ExpressionException);
        if (retryable && context.Attempt < policy.MaxAttempts)
        {
            var nextAttempt = context.Attempt + 1;
            var at = burst.Now + policy.DelayBefore(nextAttempt, random.NextDouble());
            burst.Retry(node.Id, nextAttempt, at);
            burst.Journal(node, JournalEvents.RetryScheduled, context.Attempt, context.EvaluatedInputs, null, error.Message, null, elapsedMs);
            // A failure that will be retried logs its type and message, not its stack: a supplier down fails every order's
            // placement at each attempt (90 s of a server with every supplier unreachable logged 174,000 lines with the
            // stacks, 118,000 without). The last attempt logs the stack with its incident (below).
            logger.LogWarning("Activity {ActivityId} failed on attempt {Attempt} ({ErrorType}: {Error}); retrying at {RetryAt}",
                node.Id, context.Attempt, error.GetType().Name, error.Message, at);
            return;
        }

        burst.Journal(node, JournalEvents.Faulted, context.Attempt, context.EvaluatedInputs, null, error.Message, null, elapsedMs);
        burst.Incident(node.Id, node.Type, error.Message, context.Attempt);
        logger.LogError(error, "Activity {ActivityId} faulted after {Attempt} attempts; incident raised", node.Id, context.Attempt);
    }

    /// <summary>Records an arrival at a Join; true when it should fire (all inbound sources arrived, or the first for WaitAny).</summary>
    private static bool JoinArrived(Burst burst, ActivityNode join, WorkItem item)
    {
        var inbound = burst.Definition.Connections.Where(c => c.Target == join.Id).Select(c => c.Source).Distinct().ToList();
        var arrived = burst.State.Joins.TryGetValue(join.Id, out var list) ? list : burst.State.Joins[join.Id] = [];
        if (item.From is { } from && !arrived.Contains(from))
        {
            arrived.Add(from);
        }

        var waitAny = join.Inputs["mode"]?.GetValue<string>() == "WaitAny";
        var complete = inbound.All(arrived.Contains);
        if (complete)
        {
            burst.State.Joins.Remove(join.Id);
        }

        return waitAny ? arrived.Count == 1 : complete;
    }

    private async Task RunAfterCommitAsync(ExecutionScope scope, CancellationToken ct)
    {
        foreach (var action in scope.AfterCommitActions)
        {
            try
            {
                await action(scope.Services, ct);
            }
            catch (Exception e)
            {
                // The committed rows are the truth; sweeps pick up whatever an after-commit action failed to start.
                logger.LogWarning(e, "After-commit action failed; the sweep will retry it");
            }
        }
    }

    private sealed record Step(WorkItem Item, ReadyBookmark? Bookmark);
}
