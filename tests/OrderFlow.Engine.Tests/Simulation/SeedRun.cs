using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderFlow.Engine.Hangfire;
using OrderFlow.Engine.Runtime;
using OrderFlow.Engine.Tests.Support;

namespace OrderFlow.Engine.Tests.Simulation;

/// <summary>
/// One seed of the simulation. Everything that varies comes from <c>new Random(seed)</c>: how many orders, how the supplier
/// fails, which job runs next, which jobs run twice or concurrently (Hangfire is at-least-once), where bursts crash and
/// whether the crashed job comes back, when events arrive and whether they arrive twice, when the outbox pump dies between
/// sending and marking, when the sweep and ops step in, and how far the fake clock jumps.
/// </summary>
public sealed class SeedRun(EngineHost host, int seed, SeedStats stats)
{
    private const int MaxRounds = 600;

    private readonly Random _rng = new(seed);
    private readonly SimSupplier _supplier = host.Services.GetRequiredService<SimSupplier>();
    private readonly CrashingCheckpoints _crashes = host.Services.GetRequiredService<CrashingCheckpoints>();
    private readonly IWorkflowRuntime _runtime = host.Services.GetRequiredService<IWorkflowRuntime>();
    private readonly List<(Guid Id, DateTimeOffset Due)> _jobs = [];
    private readonly Dictionary<string, SupplierEvents> _events = [];
    private readonly Dictionary<(Guid, string), int> _acknowledged = [];
    private readonly Dictionary<string, int> _notificationsReceived = [];
    private readonly List<string> _trace = [];
    private Guid[] _ids = [];
    private DateTimeOffset _lastSweep;
    private double _crashChance;

    private SeedStats Stats => stats;

    private DateTimeOffset Now => host.Clock.GetUtcNow();

    /// <summary>Runs the seed; returns null when every invariant held, else what broke followed by the seed's trace.</summary>
    public async Task<string?> RunAsync()
    {
        try
        {
            await StartAsync();
            for (var round = 0; ; round++)
            {
                if (round == MaxRounds)
                {
                    return Fail($"not finished after {MaxRounds} rounds: {await DescribeAsync()}");
                }

                await RoundAsync();
                if (await FinishedAsync())
                {
                    break;
                }

                AdvanceClock();
            }

            var broken = await CheckInvariantsAsync();
            return broken.Count == 0 ? null : Fail(string.Join("; ", broken));
        }
        catch (Exception e)
        {
            return Fail($"unexpected {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            _crashes.Disarm();
        }
    }

    private async Task StartAsync()
    {
        host.Dispatcher.Dispatched.Clear();
        host.Dispatcher.Scheduled.Clear();
        _supplier.Reset(seed, new Random(_rng.Next()), failBefore: _rng.NextDouble() * 0.4, failAfter: _rng.NextDouble() * 0.4);
        _crashChance = _rng.NextDouble() * 0.3;
        _lastSweep = Now;
        _ids = new Guid[_rng.Next(1, 4)];
        for (var i = 0; i < _ids.Length; i++)
        {
            _ids[i] = await host.StartInstanceAsync(SimWorkflow.Id, new JsonObject { ["seed"] = seed });
            if (_rng.NextDouble() < 0.9)
            {
                _jobs.Add((_ids[i], Now));
            }
            else
            {
                Trace($"start of {Short(_ids[i])} committed, its dispatch lost");
            }
        }
    }

    private async Task RoundAsync()
    {
        CollectDispatches();
        while (_jobs.Any(j => j.Due <= Now) && _rng.NextDouble() < 0.85)
        {
            var due = _jobs.Select((j, i) => (j, i)).Where(x => x.j.Due <= Now).ToList();
            var (job, index) = due[_rng.Next(due.Count)];
            if (_rng.NextDouble() >= 0.1)
            {
                _jobs.RemoveAt(index);
            }
            else
            {
                Stats.DuplicateJobs++;
            }

            await RunJobAsync(job.Id);
            CollectDispatches();
        }

        await DeliverEventsAsync();
        if (_rng.NextDouble() < 0.5)
        {
            await PumpAsync();
        }

        if (Now - _lastSweep >= TimeSpan.FromSeconds(15) && _rng.NextDouble() < 0.8)
        {
            _lastSweep = Now;
            await host.Services.GetRequiredService<EngineSweepJob>().RunAsync(CancellationToken.None);
            Stats.Sweeps++;
        }

        if (_rng.NextDouble() < 0.3)
        {
            await RetryIncidentsAsync();
        }

        CollectDispatches();
    }

    private async Task RunJobAsync(Guid id)
    {
        var roll = _rng.NextDouble();
        Stats.Bursts++;
        if (roll < _crashChance)
        {
            _crashes.Arm(_rng.Next(1, 10));
            try
            {
                await host.Runner.RunAsync(id);
                Trace($"burst {Short(id)} (crash armed, not reached)");
            }
            catch (SimulatedCrash crash)
            {
                Stats.Crashes++;
                var retried = _rng.NextDouble() < 0.5;
                Trace($"burst {Short(id)}: {crash.Message}; job {(retried ? "retried by Hangfire" : "lost")}");
                if (retried)
                {
                    _jobs.Add((id, Now.AddSeconds(_rng.Next(1, 60))));
                }
            }
            finally
            {
                _crashes.Disarm();
            }
        }
        else if (roll < _crashChance + 0.05)
        {
            Stats.ConcurrentBursts++;
            Trace($"burst {Short(id)} twice at once");
            await Task.WhenAll(host.Runner.RunAsync(id), host.Runner.RunAsync(id));
        }
        else
        {
            var executed = await host.Runner.RunAsync(id);
            Trace($"burst {Short(id)}: {executed} activities");
        }
    }

    /// <summary>The supplier accepts and ships each order it created; the events are polled until the engine takes them, and sometimes sent again.</summary>
    private async Task DeliverEventsAsync()
    {
        foreach (var order in _supplier.Ledger.Values)
        {
            if (!_events.ContainsKey(order.Id))
            {
                var acceptAt = order.PlacedAt.AddSeconds(_rng.Next(1, 300));
                _events[order.Id] = new SupplierEvents(order, acceptAt, acceptAt.AddSeconds(_rng.Next(1, 3600)));
            }
        }

        foreach (var events in _events.Values)
        {
            await DeliverAsync(events, SimWorkflow.Accepted, events.AcceptedAt);
            await DeliverAsync(events, SimWorkflow.Shipped, events.ShippedAt);
        }
    }

    private async Task DeliverAsync(SupplierEvents events, string name, DateTimeOffset availableAt)
    {
        var next = events.NextAttempt.GetValueOrDefault(name, availableAt);
        if (next > Now || events.Done.Contains(name) || _rng.NextDouble() < 0.3)
        {
            return;
        }

        var payload = new JsonObject { ["supplierOrderId"] = events.Order.Id, ["event"] = name };
        IReadOnlyList<Guid> resumed;
        if (_rng.NextDouble() < 0.1)
        {
            // The receiver committed the resume and died before dispatching the burst: the sweep must notice.
            await using var connection = await host.DataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            resumed = await _runtime.ResumeAsync(name, events.Order.Id, payload, connection, tx);
            await tx.CommitAsync();
            Trace($"{name} {events.Order.Id} resumed {resumed.Count}, dispatch lost");
        }
        else
        {
            resumed = await _runtime.ResumeAsync(name, events.Order.Id, payload);
            Trace($"{name} {events.Order.Id} resumed {resumed.Count}");
        }

        foreach (var id in resumed)
        {
            _acknowledged[(id, name)] = _acknowledged.GetValueOrDefault((id, name)) + 1;
        }

        if (events.Acknowledged.Contains(name))
        {
            events.Done.Add(name);
        }
        else if (resumed.Count > 0)
        {
            events.Acknowledged.Add(name);
            if (_rng.NextDouble() < 0.3)
            {
                Stats.DuplicateEvents++;
            }
            else
            {
                events.Done.Add(name);
            }
        }

        events.NextAttempt[name] = Now.AddSeconds(_rng.Next(5, 60));
    }

    /// <summary>Sends unsent outbox rows; the pump may die after sending and before marking, so a receiver sees some twice.</summary>
    private async Task PumpAsync()
    {
        await using var connection = await host.DataSource.OpenConnectionAsync();
        var rows = new List<(long Id, string Key)>();
        await using (var select = new NpgsqlCommand("SELECT id, key FROM sim.outbox WHERE sent_at IS NULL AND instance_id = ANY($1) ORDER BY id", connection)
        {
            Parameters = { new() { Value = _ids } },
        })
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        foreach (var (id, key) in rows)
        {
            _notificationsReceived[key] = _notificationsReceived.GetValueOrDefault(key) + 1;
            if (_rng.NextDouble() < 0.15)
            {
                Trace($"pump sent {key} and died before marking it");
                return;
            }

            await using var mark = new NpgsqlCommand("UPDATE sim.outbox SET sent_at = $2 WHERE id = $1", connection)
            {
                Parameters = { new() { Value = id }, new() { Value = Now } },
            };
            await mark.ExecuteNonQueryAsync();
        }
    }

    private async Task RetryIncidentsAsync()
    {
        var operations = host.Services.GetRequiredService<InstanceOperations>();
        foreach (var incident in await QueryAsync<Guid>("SELECT id FROM engine.incidents WHERE instance_id = ANY($1) AND resolved_at IS NULL ORDER BY created_at, id"))
        {
            var result = await operations.RetryIncidentAsync(incident, "sim:ops");
            Stats.IncidentsRetried++;
            Trace($"ops retried incident {Short(incident)}: {result.Status}");
        }
    }

    private void CollectDispatches()
    {
        while (host.Dispatcher.Dispatched.TryDequeue(out var id))
        {
            if (_ids.Contains(id))
            {
                _jobs.Add((id, Now));
            }
        }

        while (host.Dispatcher.Scheduled.TryDequeue(out var scheduled))
        {
            if (_ids.Contains(scheduled.Id))
            {
                _jobs.Add((scheduled.Id, scheduled.At));
            }
        }
    }

    /// <summary>Jumps to the next thing that is due (a job, an event, the next sweep), plus a little.</summary>
    private void AdvanceClock()
    {
        var candidates = _jobs.Select(j => j.Due)
            .Concat(_events.Values.SelectMany(e => e.Pending()))
            .Where(t => t > Now)
            .ToList();
        if (_jobs.Count == 0 || candidates.Count == 0)
        {
            // Nothing queued: only the sweep can find work whose dispatch was lost.
            candidates.Add(_lastSweep.AddSeconds(16));
        }

        var step = candidates.Where(t => t > Now).DefaultIfEmpty(Now.AddSeconds(1)).Min() - Now + TimeSpan.FromSeconds(_rng.Next(0, 5));
        host.Clock.Advance(step > TimeSpan.Zero ? step : TimeSpan.FromSeconds(1));
    }

    private async Task<bool> FinishedAsync() =>
        await ScalarAsync("""
            SELECT (SELECT count(*) FROM engine.workflow_instances WHERE id = ANY($1) AND status <> 'Completed')
                 + (SELECT count(*) FROM sim.outbox WHERE instance_id = ANY($1) AND sent_at IS NULL)
            """) == 0;

    private async Task<List<string>> CheckInvariantsAsync()
    {
        var broken = new List<string>();
        foreach (var id in _ids)
        {
            var placed = _supplier.Ledger.Values.Count(o => o.InstanceId == id);
            if (placed != 1)
            {
                broken.Add($"{Short(id)}: {placed} supplier orders (keys {string.Join(", ", _supplier.Ledger.Values.Where(o => o.InstanceId == id).Select(o => o.IdempotencyKey))})");
            }

            foreach (var name in new[] { SimWorkflow.Accepted, SimWorkflow.Shipped })
            {
                var acks = _acknowledged.GetValueOrDefault((id, name));
                if (acks != 1)
                {
                    broken.Add($"{Short(id)}: bookmark {name} resumed {acks} times");
                }
            }
        }

        var completed = await RowsAsync("""
            SELECT instance_id::text || ' ' || activity_id, count(*) FROM engine.journal
            WHERE instance_id = ANY($1) AND event = 'Completed' GROUP BY 1
            """);
        foreach (var id in _ids)
        {
            foreach (var activity in SimWorkflow.Activities)
            {
                var n = completed.GetValueOrDefault($"{id} {activity}");
                if (n != 1)
                {
                    broken.Add($"{Short(id)}: {activity} completed {n} times in the journal");
                }
            }
        }

        var notifications = await RowsAsync("SELECT instance_id::text || ' ' || kind, count(*) FROM sim.outbox WHERE instance_id = ANY($1) GROUP BY 1");
        foreach (var id in _ids)
        {
            foreach (var kind in SimWorkflow.NotificationKinds)
            {
                var n = notifications.GetValueOrDefault($"{id} {kind}");
                if (n != 1)
                {
                    broken.Add($"{Short(id)}: {n} '{kind}' notifications in the outbox");
                }
            }
        }

        var keys = await QueryAsync<string>("SELECT key FROM sim.outbox WHERE instance_id = ANY($1)");
        broken.AddRange(keys.Where(k => !_notificationsReceived.ContainsKey(k)).Select(k => $"notification {k} never received"));
        if (keys.Distinct().Count() != keys.Count)
        {
            broken.Add("two outbox rows share an idempotency key");
        }

        if (await ScalarAsync("SELECT count(*) FROM engine.bookmarks WHERE instance_id = ANY($1)") is var left and > 0)
        {
            broken.Add($"{left} bookmarks left behind");
        }

        if (await ScalarAsync("SELECT count(*) FROM engine.incidents WHERE instance_id = ANY($1) AND resolved_at IS NULL") is var open and > 0)
        {
            broken.Add($"{open} open incidents");
        }

        Stats.Instances += _ids.Length;
        Stats.SupplierCalls += _supplier.Calls;
        Stats.NotificationsResent += _notificationsReceived.Values.Sum() - _notificationsReceived.Count;
        return broken;
    }

    private async Task<string> DescribeAsync()
    {
        var statuses = await RowsAsync("SELECT id::text || ' ' || status, 1 FROM engine.workflow_instances WHERE id = ANY($1)");
        return string.Join(", ", statuses.Keys) + $"; {_jobs.Count} jobs queued";
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = host.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _ids });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var command = host.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _ids });
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetFieldValue<T>(0));
        }

        return list;
    }

    private async Task<Dictionary<string, long>> RowsAsync(string sql)
    {
        await using var command = host.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _ids });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return rows;
    }

    private void Trace(string line) => _trace.Add($"{Now:HH:mm:ss} {line}");

    private string Fail(string what) =>
        $"seed {seed}: {what}\n  replay: ORDERFLOW_SIM_SEED={seed} dotnet test tests/OrderFlow.Engine.Tests --filter FullyQualifiedName~DeterministicSimulation\n  last steps:\n    "
        + string.Join("\n    ", _trace.TakeLast(40));

    private static string Short(Guid id) => id.ToString("N")[^6..];

    private sealed class SupplierEvents(SimSupplierOrder order, DateTimeOffset acceptedAt, DateTimeOffset shippedAt)
    {
        public SimSupplierOrder Order { get; } = order;
        public DateTimeOffset AcceptedAt { get; } = acceptedAt;
        public DateTimeOffset ShippedAt { get; } = shippedAt;
        public Dictionary<string, DateTimeOffset> NextAttempt { get; } = [];
        public HashSet<string> Done { get; } = [];
        public HashSet<string> Acknowledged { get; } = [];

        public IEnumerable<DateTimeOffset> Pending()
        {
            if (!Done.Contains(SimWorkflow.Accepted))
            {
                yield return NextAttempt.GetValueOrDefault(SimWorkflow.Accepted, AcceptedAt);
            }

            if (!Done.Contains(SimWorkflow.Shipped))
            {
                yield return NextAttempt.GetValueOrDefault(SimWorkflow.Shipped, ShippedAt);
            }
        }
    }
}

/// <summary>What the seeds did, summed, for the test's output.</summary>
public sealed class SeedStats
{
    public int Instances { get; set; }
    public int Bursts { get; set; }
    public int Crashes { get; set; }
    public int DuplicateJobs { get; set; }
    public int ConcurrentBursts { get; set; }
    public int DuplicateEvents { get; set; }
    public int Sweeps { get; set; }
    public int IncidentsRetried { get; set; }
    public int SupplierCalls { get; set; }
    public int NotificationsResent { get; set; }

    public void Add(SeedStats other)
    {
        Instances += other.Instances;
        Bursts += other.Bursts;
        Crashes += other.Crashes;
        DuplicateJobs += other.DuplicateJobs;
        ConcurrentBursts += other.ConcurrentBursts;
        DuplicateEvents += other.DuplicateEvents;
        Sweeps += other.Sweeps;
        IncidentsRetried += other.IncidentsRetried;
        SupplierCalls += other.SupplierCalls;
        NotificationsResent += other.NotificationsResent;
    }
}
