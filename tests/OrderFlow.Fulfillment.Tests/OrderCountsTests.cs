using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;
using OrderFlow.Engine.Persistence;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>
/// The console's counts per status do not count every order: the merchants' totals come from counters the orders' insert
/// and delete triggers keep (migration 0100), the statuses but delivered from the orders in them. They must equal a
/// count of the orders after any mix of writes, concurrent ones included, with or without folds.
/// </summary>
public sealed class OrderCountsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static readonly string[] Merchants = ["count-a", "count-b", "count-c"];

    private static async Task<FulfillmentHost> StartAsync(string connectionString)
    {
        var host = await FulfillmentHost.StartAsync(connectionString);
        await host.ExecuteAsync("INSERT INTO fulfillment.merchants (id, name) SELECT m, m FROM unnest(@merchants) AS m ON CONFLICT DO NOTHING",
            ("merchants", Merchants));
        return host;
    }

    /// <summary>Stores <paramref name="n"/> orders in one statement, spread over the merchants and statuses.</summary>
    private static Task InsertOrdersAsync(FulfillmentHost host, int n, string prefix) => host.ExecuteAsync("""
        INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tracking_token, created_at, updated_at)
        SELECT gen_random_uuid(), (@merchants)[1 + i % 3], @prefix || i, (@statuses)[1 + (i * 7) % array_length(@statuses, 1)], 'EUR', '{}', '{}', 10,
               @prefix || '-token-' || i, now(), now()
        FROM generate_series(1, @n) AS i
        """, ("merchants", Merchants), ("statuses", OrderStatuses.All.ToArray()), ("prefix", prefix), ("n", n));

    private static async Task<Dictionary<string, long>> TruthAsync(FulfillmentHost host, string[]? merchants)
    {
        await using var command = host.DataSource.CreateCommand(
            "SELECT status, count(*) FROM fulfillment.orders WHERE $1::text[] IS NULL OR merchant_id = ANY($1) GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)merchants ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        var truth = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            truth[reader.GetString(0)] = reader.GetInt64(1);
        }

        return truth;
    }

    private static async Task AssertCountsMatchAsync(FulfillmentHost host)
    {
        var queries = host.Services.GetRequiredService<OrderQueries>();
        foreach (var merchants in new[] { null, new[] { "count-a" }, new[] { "count-b", "count-c" } })
        {
            var truth = await TruthAsync(host, merchants);
            var stats = await queries.StatsAsync(default, merchants);
            Assert.Equal(truth.Values.Sum(), stats.Total);
            Assert.Equal(OrderStatuses.All.ToDictionary(s => s, s => truth.GetValueOrDefault(s)), stats.ByStatus);
        }
    }

    [Fact]
    public async Task Counts_FollowInsertsStatusChangesAndDeletes_BeforeAndAfterAFold()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await InsertOrdersAsync(host, 300, "mix");
        await AssertCountsMatchAsync(host);
        Assert.True((await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_id LIKE 'count-%'")) >= 300);

        // Status changes one at a time (as the status event makes them), several in a set, one that changes nothing,
        // a move to another merchant, and deletes.
        await host.ExecuteAsync("UPDATE fulfillment.orders SET status = 'delivered' WHERE id = (SELECT id FROM fulfillment.orders WHERE merchant_order_id = 'mix1')");
        await host.ExecuteAsync("UPDATE fulfillment.orders SET status = 'shipped' WHERE merchant_order_id LIKE 'mix1%' AND status <> 'shipped'");
        await host.ExecuteAsync("UPDATE fulfillment.orders SET status = status, updated_at = now() WHERE merchant_order_id LIKE 'mix2%'");
        await host.ExecuteAsync("UPDATE fulfillment.orders SET merchant_id = 'count-c' WHERE merchant_order_id LIKE 'mix3%' AND merchant_id = 'count-a'");
        await host.ExecuteAsync("DELETE FROM fulfillment.orders WHERE merchant_order_id LIKE 'mix4%'");
        await AssertCountsMatchAsync(host);

        var fold = host.Services.GetRequiredService<OrderCountsFoldJob>();
        Assert.True(await fold.RunAsync(default) > 0);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_counts WHERE slot <> 0"));
        await AssertCountsMatchAsync(host);

        // A status event through the publisher moves its order from one count to the other.
        var orderId = await host.ScalarAsync<Guid>("SELECT id FROM fulfillment.orders WHERE merchant_order_id = 'mix5'");
        var publisher = host.Services.GetRequiredService<StatusPublisher>();
        await using (var connection = await host.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await publisher.PublishStatusAsync(connection, tx, orderId, OrderStatuses.Exception, null, default);
            await publisher.PublishStatusAsync(connection, tx, orderId, OrderStatuses.Cancelled, null, default);
            await tx.CommitAsync();
        }

        Assert.Equal("cancelled", await host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", orderId)));
        await AssertCountsMatchAsync(host);
    }

    [Fact]
    public async Task Counts_StayExact_UnderConcurrentInsertsOfSeveralMerchantsAndStatusChanges_WhileFoldsRun()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await InsertOrdersAsync(host, 600, "race");
        var ids = (await TruthIdsAsync(host)).ToArray();
        var fold = host.Services.GetRequiredService<OrderCountsFoldJob>();
        using var stop = new CancellationTokenSource();

        // Each transaction inserts orders of all three merchants in two statements, in an order of its own, and moves a few
        // orders: with counter rows shared between connections, two such transactions would lock the same rows in opposite
        // orders and one would die of a deadlock.
        async Task WriterAsync(int seed)
        {
            var random = new Random(seed);
            for (var t = 0; t < 25; t++)
            {
                await using var connection = await host.DataSource.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                foreach (var merchants in random.Next(2) == 0 ? new[] { Merchants[..2], Merchants[1..] } : [Merchants[1..], Merchants[..2]])
                {
                    await using var insert = new NpgsqlCommand("""
                        INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tracking_token, created_at, updated_at)
                        SELECT gen_random_uuid(), m, 'w' || gen_random_uuid(), 'received', 'EUR', '{}', '{}', 10, gen_random_uuid()::text, now(), now()
                        FROM unnest($1::text[]) AS m
                        """, connection, tx) { Parameters = { new() { Value = merchants } } };
                    await insert.ExecuteNonQueryAsync();
                }

                // The orders themselves are locked in id order, so any deadlock would be the counters'.
                foreach (var id in Enumerable.Range(0, 3).Select(_ => ids[random.Next(ids.Length)]).Distinct().Order())
                {
                    await using var update = new NpgsqlCommand("UPDATE fulfillment.orders SET status = $1 WHERE id = $2", connection, tx)
                    {
                        Parameters = { new() { Value = OrderStatuses.All[random.Next(OrderStatuses.All.Count)] }, new() { Value = id } },
                    };
                    await update.ExecuteNonQueryAsync();
                }

                await tx.CommitAsync();
            }
        }

        var folds = 0;
        var folding = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await fold.RunAsync(default);
                folds++;
                await Task.Delay(5);
            }
        });
        await Task.WhenAll(Enumerable.Range(1, 8).Select(seed => Task.Run(() => WriterAsync(seed))));
        await stop.CancelAsync();
        await folding;

        Assert.True(folds > 1, $"{folds} folds ran beside the writers");
        await AssertCountsMatchAsync(host);
        await fold.RunAsync(default);
        await AssertCountsMatchAsync(host);
    }

    [Fact]
    public async Task TheMigration_CountsTheOrdersStoredBeforeIt()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await InsertOrdersAsync(host, 500, "before");
        // Back to the schema before 0100, with the orders still there, and migrate again.
        await host.ExecuteAsync("""
            DROP TABLE fulfillment.order_counts;
            DROP FUNCTION fulfillment.order_counts_changed, fulfillment.order_counts_moved, fulfillment.order_counts_truncated CASCADE;
            DELETE FROM public.orderflow_migrations WHERE module = 'fulfillment' AND name = '0100_order_counts.sql';
            """);

        await SqlMigrator.RunAsync(host.DataSource, "fulfillment", typeof(OrderQueries).Assembly);

        Assert.True(await host.ScalarAsync<long>("SELECT sum(count)::bigint FROM fulfillment.order_counts WHERE slot = 0") >= 500);
        await AssertCountsMatchAsync(host);
        await InsertOrdersAsync(host, 10, "after");
        await AssertCountsMatchAsync(host);
    }

    private static async Task<List<Guid>> TruthIdsAsync(FulfillmentHost host)
    {
        await using var command = host.DataSource.CreateCommand("SELECT id FROM fulfillment.orders WHERE merchant_order_id LIKE 'race%'");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>
    /// The gauge orderflow.orders.by_status gives the same counts, read in the background when a collector asks, and not
    /// read again within <see cref="OrdersByStatusGauge.MaxAge"/>.
    /// </summary>
    [Fact]
    public async Task Gauge_ReportsTheCountsPerStatus_ReadAgainOnlyOnceTheyAreOlderThanMaxAge()
    {
        await using var host = await StartAsync(db.ConnectionString);
        await InsertOrdersAsync(host, 60, "gauge-");
        using var gauge = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), FulfillmentMetrics.MeterName, "orderflow.orders.by_status");

        var truth = await TruthAsync(host, null);
        Assert.Equal(OrderStatuses.All.ToDictionary(s => s, s => truth.GetValueOrDefault(s)), await CollectUntilAsync(gauge, c => c.Values.Sum() == truth.Values.Sum()));

        // Seven more orders: within MaxAge a collection still gives the counts read before.
        // (A collection that started a read would show them at the next one, half a second later.)
        await InsertOrdersAsync(host, 7, "gauge-more-");
        Collect(gauge);
        await Task.Delay(500);
        Assert.Equal(truth.Values.Sum(), Collect(gauge).Values.Sum());

        host.Clock.Advance(OrdersByStatusGauge.MaxAge);
        var later = await TruthAsync(host, null);
        Assert.Equal(OrderStatuses.All.ToDictionary(s => s, s => later.GetValueOrDefault(s)), await CollectUntilAsync(gauge, c => c.Values.Sum() == truth.Values.Sum() + 7));
    }

    /// <summary>One collection: the gauge's measurements by their status tag.</summary>
    private static Dictionary<string, long> Collect(MetricCollector<long> gauge)
    {
        gauge.RecordObservableInstruments();
        return gauge.GetMeasurementSnapshot(clear: true).ToDictionary(m => (string)m.Tags["status"]!, m => m.Value);
    }

    /// <summary>Collects until <paramref name="done"/> holds (the read runs in the background), for at most 10 s.</summary>
    private static async Task<Dictionary<string, long>> CollectUntilAsync(MetricCollector<long> gauge, Func<Dictionary<string, long>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var counts = Collect(gauge);
            if (done(counts) || DateTime.UtcNow > deadline)
            {
                return counts;
            }

            await Task.Delay(50);
        }
    }
}
