using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using OrderFlow.SupplierSimulator;

namespace OrderFlow.Chaos;

/// <summary>The fault scenarios of issue 7. Each sends its own orders (a prefix of its own) and checks them from the records.</summary>
internal sealed class Scenarios(ChaosOptions options, Fleet fleet, HttpClient http, NpgsqlDataSource db, History history)
{
    private static readonly JsonObject CalmKnobs = new()
    {
        ["latencyMs"] = 0, ["errorRate"] = 0, ["dropAfterCommitRate"] = 0, ["stallRate"] = 0, ["stallSeconds"] = 8,
        ["stockOutRate"] = 0, ["rejectRate"] = 0, ["acceptDelaySeconds"] = 1, ["shipDelaySeconds"] = 1, ["transitSeconds"] = 3,
        ["splitShipmentRate"] = 0.3, ["storefrontFailureRate"] = 0, ["stock"] = 1_000_000,
    };

    private readonly string _run = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);

    private TimeSpan SettleTimeout => TimeSpan.FromSeconds(options.Long ? 600 : 240);

    public Task CalmAsync() => fleet.SetKnobsAsync((JsonObject)CalmKnobs.DeepClone());

    private Storefront NewStorefront(int scenario) => new(fleet, http, $"chaos{scenario}-{_run}-");

    private async Task SettleAndCheckAsync(Scenario s, Storefront storefront)
    {
        var took = await history.WaitSettledAsync(storefront.Acknowledged.Keys.ToList(), SettleTimeout);
        s.Print($"settled {took.TotalSeconds:F0} s after the faults stopped");
        s.Record(await history.CheckAsync(storefront));
    }

    /// <summary>5: 1,000 concurrent deliveries of one order webhook give exactly one order and only 2xx answers.</summary>
    public async Task ConcurrentDeliveriesAsync(Scenario s)
    {
        var storefront = NewStorefront(5);
        var order = storefront.NewOrder();
        var body = DemoOrders.ToJson(order);
        var deliveries = options.Long ? 1000 : 1000;
        using var gate = new SemaphoreSlim(0);
        var sends = Enumerable.Range(0, deliveries).Select(async _ =>
        {
            await gate.WaitAsync();
            return await storefront.SendOneAsync(body, order.OrderId, $"msg_{order.OrderId}", TimeSpan.Zero);
        }).ToList();
        gate.Release(deliveries);
        var results = await Task.WhenAll(sends);

        await using var connection = await db.OpenConnectionAsync();
        // Orders acknowledged: intake answers once an order is durable in its inbox (intake_events), stored moments later.
        var created = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM fulfillment.intake_events WHERE merchant_id = 'demo-shop' AND merchant_order_id = @id", new { id = order.OrderId });
        var answers = string.Join(", ", storefront.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"));
        var failed = deliveries - storefront.Answers.Where(a => a.Key is >= 200 and < 300).Sum(a => a.Value);
        s.Print($"{deliveries} concurrent deliveries of one webhook over {fleet.Count} servers: answers {answers}; {failed} not 2xx; orders created: {created}");
        s.Require(created == 1, $"{created} orders for one webhook");
        s.Require(failed == 0 && results.All(r => r), $"{failed} deliveries were not answered 2xx");
        await SettleAndCheckAsync(s, storefront);
    }

    /// <summary>1: servers SIGKILLed at random every 5–25 s while orders flow.</summary>
    public async Task KillsAsync(Scenario s)
    {
        var storefront = NewStorefront(1);
        var duration = TimeSpan.FromSeconds(options.Long ? 300 : 30);
        var rate = options.Long ? 8 : 4;
        var (shortest, longest) = options.Long ? (5, 25) : (5, 12);
        using var stop = new CancellationTokenSource();
        var kills = 0;
        var killer = Task.Run(async () =>
        {
            var random = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(random.Next(shortest, longest + 1)), stop.Token).ContinueWith(_ => { });
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                var victim = random.Next(fleet.Count);
                fleet.Kill(victim);
                kills++;
                Console.WriteLine($"    SIGKILL server-{victim}");
                await Task.Delay(TimeSpan.FromSeconds(random.Next(1, 4)));
                await fleet.StartServerAsync(victim);
            }
        });

        await storefront.SendAsync(rate, duration, TimeSpan.FromSeconds(120));
        stop.Cancel();
        await killer;
        s.Print($"{storefront.Acknowledged.Count} orders acknowledged at {rate}/s over {duration.TotalSeconds:F0} s; {kills} servers killed with SIGKILL; {storefront.Abandoned} sends abandoned");
        await SettleAndCheckAsync(s, storefront);
    }

    /// <summary>3: the supplier commits and drops the connection, answers 5xx, or stalls past the timeout.</summary>
    public async Task SupplierMisbehaviourAsync(Scenario s)
    {
        var storefront = NewStorefront(3);
        var knobs = (JsonObject)CalmKnobs.DeepClone();
        knobs["dropAfterCommitRate"] = 0.25;
        knobs["errorRate"] = 0.15;
        knobs["stallRate"] = 0.1;
        knobs["stallSeconds"] = 8;
        await fleet.SetKnobsAsync(knobs);
        var duration = TimeSpan.FromSeconds(options.Long ? 180 : 20);
        await storefront.SendAsync(4, duration, TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(10));
        await CalmAsync();
        s.Print($"{storefront.Acknowledged.Count} orders while 25% of placements committed then dropped, 15% of supplier calls got 503 and 10% stalled 8 s (timeout 5 s)");
        await SettleAndCheckAsync(s, storefront);
    }

    /// <summary>2: all server processes on one database under load: no burst twice, no placement twice.</summary>
    public async Task ScaleOutAsync(Scenario s)
    {
        var storefront = NewStorefront(2);
        var duration = TimeSpan.FromSeconds(options.Long ? 120 : 15);
        var rate = options.Long ? 15 : 8;
        var clock = Stopwatch.StartNew();
        await storefront.SendAsync(rate, duration, TimeSpan.FromSeconds(120));
        s.Print($"{storefront.Acknowledged.Count} orders at {rate}/s over {fleet.Count} server processes");
        await SettleAndCheckAsync(s, storefront);
        await using var connection = await db.OpenConnectionAsync();
        var servers = await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT split_part(id, ':', 2)) FROM hangfire.server");
        s.Print($"{servers} Hangfire servers registered; whole run {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>4: PostgreSQL paused for 10 s (SIGSTOP of the postmaster and this database's backends), then random backends terminated.</summary>
    public async Task DatabaseFaultsAsync(Scenario s)
    {
        var storefront = NewStorefront(4);
        var duration = TimeSpan.FromSeconds(options.Long ? 60 : 40);
        var startedAt = DateTime.UtcNow;
        var sending = storefront.SendAsync(4, duration, TimeSpan.FromSeconds(180));
        await Task.Delay(TimeSpan.FromSeconds(12));
        var pausedAt = DateTime.UtcNow;
        await using var admin = await db.OpenConnectionAsync();
        var backends = (await admin.QueryAsync<int>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")).ToList();
        DateTime resumedAt;
        if (options.PostgresData is { } data && File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
            Signals.Send("STOP", backends.Append(postmaster));
            await Task.Delay(TimeSpan.FromSeconds(10));
            Signals.Send("CONT", backends.Append(postmaster));
            resumedAt = DateTime.UtcNow;
            s.Print($"PostgreSQL paused 10 s (SIGSTOP of the postmaster and {backends.Count} backends)");
        }
        else
        {
            resumedAt = DateTime.UtcNow;
            s.Print("PostgreSQL is not private to this run: not paused (only backends terminated)");
        }

        var probe = NewStorefront(40);
        var probeOrder = probe.NewOrder();
        await probe.SendOneAsync(DemoOrders.ToJson(probeOrder), probeOrder.OrderId, $"msg_{probeOrder.OrderId}", TimeSpan.FromSeconds(120));
        var acceptingAfter = DateTime.UtcNow - resumedAt;
        var terminated = 0;
        for (var round = 0; round < 3; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await using var killer = await db.OpenConnectionAsync();
            terminated += await killer.ExecuteScalarAsync<int>("""
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM (
                    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND random() < 0.3) x
                """);
        }

        await sending;
        // The rounds above also terminated idle connections of this driver's own pool; the next scenario must not get one.
        db.Clear();
        var settle = await history.WaitSettledAsync([probeOrder.OrderId], TimeSpan.FromSeconds(120));
        s.Print($"{terminated} backends terminated with pg_terminate_backend in 3 rounds");
        s.Print($"recovery: intake answered 2xx {acceptingAfter.TotalSeconds:F1} s after SIGCONT; a probe order sent then was delivered {(DateTime.UtcNow - resumedAt).TotalSeconds:F0} s after SIGCONT ({settle.TotalSeconds:F0} s of waiting)");
        s.Require(acceptingAfter < TimeSpan.FromSeconds(30), $"intake took {acceptingAfter.TotalSeconds:F0} s to recover");
        foreach (var (id, order) in probe.Acknowledged)
        {
            storefront.Acknowledged[id] = order;
        }

        await SettleAndCheckAsync(s, storefront);

        // Throughput: supplier placements per 2 s window, before the pause and from SIGCONT on.
        await using var connection = await db.OpenConnectionAsync();
        var placed = (await connection.QueryAsync<DateTime>(
            "SELECT so.placed_at FROM fulfillment.supplier_orders so JOIN fulfillment.orders o ON o.id = so.order_id WHERE o.merchant_order_id = ANY(@ids) AND so.placed_at IS NOT NULL",
            new { ids = storefront.Acknowledged.Keys.ToArray() })).Select(t => t.ToUniversalTime()).ToList();
        var before = placed.Count(t => t >= startedAt.AddSeconds(4) && t < pausedAt) / (pausedAt - startedAt.AddSeconds(4)).TotalSeconds;
        var recovered = Enumerable.Range(0, 60).Select(w => resumedAt.AddSeconds(2 * w))
            .FirstOrDefault(w => placed.Count(t => t >= w && t < w.AddSeconds(2)) / 2.0 >= 0.8 * before, DateTime.MaxValue);
        TimeSpan? recovery = recovered == DateTime.MaxValue ? null : recovered.AddSeconds(2) - resumedAt;
        s.Print($"throughput: {before:F1} placements/s before the pause; back to at least 80% of it {(recovery is { } r ? $"{r.TotalSeconds:F0} s" : "not within 120 s")} after SIGCONT");
        s.Require(recovery is { } back && back <= TimeSpan.FromSeconds(30), "throughput not back to normal within 30 s");
    }

    /// <summary>6: a burst of 10× the sustainable intake rate gets 429 with Retry-After, never 5xx, and loses nothing.</summary>
    public async Task OverloadAsync(Scenario s)
    {
        const int perServer = 10;
        fleet.SetServerEnvironment("OrderFlow__Intake__RateLimits__PerMerchantPerSecond", $"{perServer}");
        fleet.SetServerEnvironment("OrderFlow__Intake__RateLimits__PerMerchantBurst", $"{perServer}");
        for (var i = 0; i < fleet.Count; i++)
        {
            fleet.Kill(i);
            await fleet.StartServerAsync(i);
        }

        var sustainable = perServer * fleet.Count;
        var storefront = NewStorefront(6);
        await storefront.SendAsync(sustainable * 10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(300));
        var answers = string.Join(", ", storefront.Answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"));
        s.Print($"{sustainable * 10}/s for 5 s against a limit of {sustainable}/s: answers {answers}; 429 without Retry-After: {storefront.TooManyWithoutRetryAfter}");
        s.Require(storefront.ServerErrors == 0, $"{storefront.ServerErrors} answers were 5xx");
        s.Require(storefront.Answers.ContainsKey(429), "no 429 under 10x overload");
        s.Require(storefront.TooManyWithoutRetryAfter == 0, "429 without Retry-After");
        await SettleAndCheckAsync(s, storefront);
    }

    /// <summary>7: bursts in flight when every server dies are picked up again within 2 minutes.</summary>
    public async Task OrphanedBurstsAsync(Scenario s)
    {
        var storefront = NewStorefront(7);
        var knobs = (JsonObject)CalmKnobs.DeepClone();
        knobs["latencyMs"] = 3000;
        await fleet.SetKnobsAsync(knobs);
        await storefront.SendAsync(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        for (var i = 0; i < fleet.Count; i++)
        {
            fleet.Kill(i);
        }

        var killedAt = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync();
        var orphaned = await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM fulfillment.orders o
            WHERE o.merchant_order_id = ANY(@ids) AND NOT EXISTS (
                SELECT 1 FROM engine.journal j WHERE j.instance_id = o.workflow_instance_id AND j.activity_id = 'place' AND j.event = 'Completed')
            """, new { ids = storefront.Acknowledged.Keys.ToArray() });
        await CalmAsync();
        for (var i = 0; i < fleet.Count; i++)
        {
            await fleet.StartServerAsync(i);
        }

        var restartedAfter = killedAt.Elapsed;
        while (killedAt.Elapsed < TimeSpan.FromMinutes(4))
        {
            // Acknowledged orders still in the inbox wait too.
            var waiting = await connection.ExecuteScalarAsync<long>("""
                SELECT (SELECT count(*) FROM fulfillment.orders o
                        WHERE o.merchant_order_id = ANY(@ids) AND NOT EXISTS (
                            SELECT 1 FROM engine.journal j WHERE j.instance_id = o.workflow_instance_id AND j.activity_id = 'place' AND j.event = 'Completed'))
                     + (SELECT count(*) FROM fulfillment.intake_events WHERE merchant_order_id = ANY(@ids) AND payload IS NOT NULL)
                """, new { ids = storefront.Acknowledged.Keys.ToArray() });
            if (waiting == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        var resumed = killedAt.Elapsed;
        s.Print($"{orphaned} of {storefront.Acknowledged.Count} orders were mid-placement when every server got SIGKILL; servers back after {restartedAfter.TotalSeconds:F0} s; all placed {resumed.TotalSeconds:F0} s after the kill");
        s.Require(resumed < TimeSpan.FromMinutes(2), $"orphaned bursts took {resumed.TotalSeconds:F0} s to resume");
        await SettleAndCheckAsync(s, storefront);
    }
}
