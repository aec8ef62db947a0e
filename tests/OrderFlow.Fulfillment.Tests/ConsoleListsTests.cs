using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>
/// The console's lists written so that an index answers each (docs/benchmarks.md, "The console's reads with 1,000,000 orders
/// stored"): the same rows as the plain conditions they replaced.
/// </summary>
public sealed class ConsoleListsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    /// <summary>An instance of the shipped order workflow in <paramref name="status"/>, last moved <paramref name="minutesAgo"/> ago.</summary>
    private static async Task<Guid> InstanceAsync(FulfillmentHost host, string status, int minutesAgo, string? correlationId = null)
    {
        var id = Guid.CreateVersion7();
        await host.ExecuteAsync("""
            INSERT INTO engine.workflow_instances (id, definition_id, definition_version, correlation_id, status, variables, state, pending, created_at, updated_at)
            SELECT @id, definition_id, max(version), @correlation, @status, '{}', '{}', false, now(), now() - make_interval(mins => @ago)
            FROM engine.workflow_definitions WHERE definition_id = 'dropship-order' GROUP BY definition_id
            """, ("id", id), ("correlation", (object?)correlationId ?? DBNull.Value), ("status", status), ("ago", minutesAgo));
        return id;
    }

    [Fact]
    public async Task Instances_WithoutFilters_AreTheNewestAcrossAllStatuses_AndEachFilterNarrowsThem()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var queries = host.Services.GetRequiredService<InstanceQueries>();
        var made = new List<(Guid Id, string Status, int Ago)>();
        var minutes = 0;
        foreach (var status in InstanceStatuses.All)
        {
            for (var i = 0; i < 3; i++)
            {
                minutes += 7;
                made.Add((await InstanceAsync(host, status, minutes, $"list-{status}-{i}"), status, minutes));
            }
        }

        var newest = made.OrderBy(m => m.Ago).Select(m => m.Id).ToList();
        var all = await queries.ListAsync(null, null, null, 500);
        Assert.Equal(newest, all.Where(i => made.Any(m => m.Id == i.Id)).Select(i => i.Id));
        Assert.Equal(all.OrderByDescending(i => i.UpdatedAt).Select(i => i.Id), all.Select(i => i.Id));

        var firstFour = await queries.ListAsync(null, null, null, 4);
        Assert.Equal(all.Take(4).Select(i => i.Id), firstFour.Select(i => i.Id));

        var faulted = await queries.ListAsync(InstanceStatuses.Faulted, null, null, 500);
        Assert.Equal(made.Where(m => m.Status == InstanceStatuses.Faulted).OrderBy(m => m.Ago).Select(m => m.Id), faulted.Where(i => made.Any(m => m.Id == i.Id)).Select(i => i.Id));
        Assert.All(faulted, i => Assert.Equal(InstanceStatuses.Faulted, i.Status));

        var byCorrelation = Assert.Single(await queries.ListAsync(null, null, "list-Waiting-1", 500));
        Assert.Equal(made.Where(m => m.Status == InstanceStatuses.Waiting).ElementAt(1).Id, byCorrelation.Id);
        Assert.Empty(await queries.ListAsync(null, "no-such-definition", null, 500));
        Assert.Equal(all.Select(i => i.Id), (await queries.ListAsync(null, "dropship-order", null, 500)).Select(i => i.Id));
    }

    [Fact]
    public async Task OrdersNeedingAttention_AreExceptionsFlaggedOrdersAndOrdersWithAnOpenIncident_NothingElse()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        // Ids one millisecond apart, so that newest first is a known order (version-7 ids of one millisecond are random).
        var start = DateTimeOffset.UtcNow;
        var made = 0;
        Guid NextId() => Guid.CreateVersion7(start.AddMilliseconds(++made));
        async Task<Guid> OrderAsync(string number, string status, string? reason, Guid? instanceId)
        {
            var id = NextId();
            await host.ExecuteAsync("""
                INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tracking_token,
                                                workflow_instance_id, created_at, updated_at, attention_reason)
                VALUES (@id, @merchant, @number, @status, 'EUR', '{}', '{}', 10, @number, @instance, now(), now(), @reason)
                """, ("id", id), ("merchant", FulfillmentHost.MerchantId), ("number", number), ("status", status),
                ("instance", (object?)instanceId ?? DBNull.Value), ("reason", (object?)reason ?? DBNull.Value));
            return id;
        }

        var quiet = await OrderAsync("ATT-quiet", "placed", null, null);
        var exception = await OrderAsync("ATT-exception", "exception", null, null);
        var flagged = await OrderAsync("ATT-flagged", "shipped", "No tracking for 7 days", null);
        // The order workflow's correlation id is its order's id; an incident is open until resolved.
        var incidentOrder = NextId();
        var instance = await InstanceAsync(host, InstanceStatuses.Faulted, 1, incidentOrder.ToString());
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tracking_token,
                                            workflow_instance_id, created_at, updated_at)
            VALUES (@id, @merchant, 'ATT-incident', 'routed', 'EUR', '{}', '{}', 10, 'ATT-incident', @instance, now(), now());
            INSERT INTO engine.incidents (id, instance_id, activity_id, activity_type, message, attempts, created_at)
            VALUES (gen_random_uuid(), @instance, 'place', 'PlaceSupplierOrders', 'supplier down', 3, now());
            """, ("id", incidentOrder), ("merchant", FulfillmentHost.MerchantId), ("instance", instance));
        // An instance with a correlation id that is no uuid, and an incident on it, must not break the list.
        var other = await InstanceAsync(host, InstanceStatuses.Faulted, 1, "not-an-order");
        await host.ExecuteAsync("""
            INSERT INTO engine.incidents (id, instance_id, activity_id, activity_type, message, attempts, created_at)
            VALUES (gen_random_uuid(), @instance, 'x', 'X', 'boom', 1, now())
            """, ("instance", other));
        var queries = host.Services.GetRequiredService<OrderQueries>();

        async Task<List<Guid>> AttentionAsync() =>
            [.. (await queries.ListAsync(new OrderFilter(null, null, null, true, null, null, null, 200), default)).Items.Select(o => o.Id)];

        var listed = await AttentionAsync();
        Assert.Equal([incidentOrder, flagged, exception], listed.Where(id => id == incidentOrder || id == flagged || id == exception || id == quiet));
        var page = await queries.ListAsync(new OrderFilter(null, null, null, true, null, null, null, 200), default);
        Assert.All(page.Items, o => Assert.True(o.NeedsAttention));

        await host.ExecuteAsync("UPDATE engine.incidents SET resolved_at = now() WHERE instance_id = @instance", ("instance", instance));
        Assert.DoesNotContain(incidentOrder, await AttentionAsync());
    }
}
