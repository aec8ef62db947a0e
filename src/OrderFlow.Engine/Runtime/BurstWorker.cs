using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrderFlow.Engine.Runtime;

/// <summary>
/// Runs bursts in this process without a job per burst: the instance row is the queue (<c>pending</c>, or a bookmark whose
/// <c>resume_at</c> has come). A dispatch from this process hands the id straight to a worker, costing the database
/// nothing; a poll (every <see cref="EngineOptions.BurstPollMilliseconds"/>) finds due timers and work committed by other
/// processes. Each burst is one transaction that takes its instance's row lock with SKIP LOCKED, so processes sharing a
/// database never wait on each other's bursts, and the instance is left pending for whoever comes next if it was busy.
/// </summary>
public sealed class BurstWorker(
    NpgsqlDataSource dataSource,
    BurstQueue queue,
    BurstRunner runner,
    BurstThrottle throttle,
    TimeProvider clock,
    IOptions<EngineOptions> options,
    ILogger<BurstWorker> logger) : BackgroundService
{
    private readonly Channel<Guid> _ready = queue.Ready;
    private readonly ConcurrentDictionary<Guid, bool> _active = queue.Active;
    private readonly ConcurrentDictionary<Guid, (int Failures, DateTimeOffset Until)> _backoff = new();

    private int PageSize => options.Value.BurstWorkers * 8;

    private void Dispatch(Guid instanceId) => queue.Dispatch(instanceId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = Enumerable.Range(0, options.Value.BurstWorkers).Select(i => Task.Run(() => WorkAsync(i, stoppingToken), stoppingToken)).ToList();
        var poll = TimeSpan.FromMilliseconds(options.Value.BurstPollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var found = 0;
            try
            {
                var due = await FindDueAsync(stoppingToken);
                found = due.Count;
                foreach (var id in due)
                {
                    Dispatch(id);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Looking for due bursts failed; trying again");
            }

            try
            {
                // A full page means more is due: look again once the workers have taken this one. The cadence is real time;
                // what is due is decided by the injected clock.
                await Task.Delay(found >= PageSize ? TimeSpan.FromMilliseconds(50) : poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _ready.Writer.TryComplete();
        await Task.WhenAll(workers);
    }

    /// <summary>Instances with work nobody here has in hand: pending, or a timer or retry that has come due.</summary>
    private async Task<List<Guid>> FindDueAsync(CancellationToken ct)
    {
        // Enough in hand already (a surge, or bursts held back by the throttle): looking for more would only list the
        // ids in hand to the database again, a cost growing with their number squared. Looked for once the queue is short.
        if (_ready.Reader.Count >= PageSize)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _backoff)
        {
            if (entry.Until <= now && !_active.ContainsKey(id))
            {
                _backoff.TryRemove(id, out _);
            }
        }

        var busy = _active.Keys.Concat(_backoff.Keys).ToArray();
        await using var command = dataSource.CreateCommand("""
            SELECT id FROM engine.workflow_instances WHERE pending AND NOT (id = ANY ($1))
            UNION
            SELECT instance_id FROM engine.bookmarks WHERE resume_at <= $2 AND NOT (instance_id = ANY ($1))
            LIMIT $3
            """);
        command.Parameters.Add(new() { Value = busy });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = PageSize });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task WorkAsync(int worker, CancellationToken ct)
    {
        await foreach (var id in _ready.Reader.ReadAllAsync(CancellationToken.None))
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await throttle.WaitTurnAsync(worker, ct);
                    await runner.RunAsync(id, skipLocked: true, ct);
                    _backoff.TryRemove(id, out _);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    // The burst rolled back and the instance stays pending: retried by the poll after a growing pause.
                    var failures = _backoff.TryGetValue(id, out var previous) ? previous.Failures + 1 : 1;
                    var pause = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, failures)));
                    _backoff[id] = (failures, clock.GetUtcNow() + pause);
                    logger.LogError(e, "Burst of {WorkflowInstanceId} failed ({Failures} in a row); trying again in {PauseSeconds} s", id, failures, pause.TotalSeconds);
                    _active.TryRemove(id, out _);
                    break;
                }

                // Dispatched again while it ran: the new work may have committed after the burst read its bookmarks.
                if (_active.TryUpdate(id, false, true))
                {
                    continue;
                }

                if (_active.TryRemove(new KeyValuePair<Guid, bool>(id, false)))
                {
                    break;
                }
            }
        }
    }
}

/// <summary>
/// The dispatcher half of the <see cref="BurstWorker"/>: ids handed to this process's workers. Kept apart from the worker,
/// which needs the runner, because the runner itself dispatches (work left at the activity limit).
/// </summary>
public sealed class BurstQueue : IBurstDispatcher
{
    internal Channel<Guid> Ready { get; } = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = false });

    /// <summary>Queued or running here; the value says "dispatched again while running": run once more when done.</summary>
    internal ConcurrentDictionary<Guid, bool> Active { get; } = new();

    public void Dispatch(Guid instanceId)
    {
        if (Active.TryAdd(instanceId, false))
        {
            Ready.Writer.TryWrite(instanceId);
        }
        else
        {
            Active[instanceId] = true;
        }
    }

    /// <summary>Nothing to do: the timer is a bookmark with its time, which the worker's poll finds when it comes due (on any process).</summary>
    public void Schedule(Guid instanceId, DateTimeOffset at)
    {
    }
}
