using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>
/// Webhooks are acknowledged once durable in the inbox (group-committed) and stored by the materializer after; nothing
/// acknowledged is lost or stored twice, also with several materializers (processes) at once.
/// </summary>
public sealed class IntakeInboxTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static string Json(JsonNode node) => node.ToJsonString();

    private static Task<IntakeResult> AcknowledgeAsync(FulfillmentHost host, SignedWebhook webhook) =>
        host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, webhook, IntakeCompletion.Acknowledged, default);

    private static async Task<int> DrainAsync(IntakeMaterializer materializer)
    {
        var stored = 0;
        while (await materializer.MaterializeNextAsync(IntakeMaterializer.BatchSize, default) is > 0 and var claimed)
        {
            stored += claimed;
        }

        return stored;
    }

    [Fact]
    public async Task Acknowledge_ValidOrder_DurableInInboxThenStoredOnceByTheMaterializer()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var materializer = host.Services.GetRequiredService<IntakeMaterializer>();

        var result = await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-1", ("MUG-BLUE", 2), ("CAP-GREEN", 1)))));

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        var id = result.OrderId!.Value;
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.intake_events WHERE order_id = @id AND payload IS NOT NULL", ("id", id)));

        Assert.True(await DrainAsync(materializer) >= 1);

        Assert.Equal("received", await host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(37.5m, await host.ScalarAsync<decimal>("SELECT total FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_lines WHERE order_id = @id", ("id", id)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @id AND type = 'order.received'", ("id", id)));
        var instance = await host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", id));
        Assert.Equal(id.ToString(), await host.ScalarAsync<string>("SELECT correlation_id FROM engine.workflow_instances WHERE id = @i", ("i", instance)));
        Assert.Contains(instance, host.Dispatched.Ids);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.intake_events WHERE order_id = @id AND payload IS NOT NULL", ("id", id)));
        Assert.Equal(0, await DrainAsync(materializer));
    }

    [Fact]
    public async Task MaterializeOrder_AcknowledgedOrderStillInInbox_StoresThatOrderOnlyAndOnce()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var materializer = host.Services.GetRequiredService<IntakeMaterializer>();
        var asked = (await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-ASKED", ("MUG-BLUE", 2)))))).OrderId!.Value;
        var other = (await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-OTHER"))))).OrderId!.Value;

        // What GET /api/orders/{id} does for the id of a 202 whose order is still waiting.
        var first = await materializer.MaterializeOrderAsync(asked, default);
        var again = await materializer.MaterializeOrderAsync(asked, default);
        var unknown = await materializer.MaterializeOrderAsync(Guid.NewGuid(), default);

        Assert.Equal((1, 0, 0), (first, again, unknown));
        Assert.Equal("received", await host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", asked)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_lines WHERE order_id = @id", ("id", asked)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM engine.workflow_instances WHERE correlation_id = @id", ("id", asked.ToString())));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE id = @id", ("id", other)));
        Assert.True(await DrainAsync(materializer) >= 1);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE id = @id", ("id", other)));
    }

    [Fact]
    public async Task Acknowledge_SameOrderIdWhileFirstStillInInbox_AnswersTheFirstOrder()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var materializer = host.Services.GetRequiredService<IntakeMaterializer>();

        var first = await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-2"))));
        var sameOrder = await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-2", ("POSTER-A2", 9)))));
        await DrainAsync(materializer);
        var afterStored = await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-2"))));

        Assert.Equal(IntakeOutcome.Duplicate, sameOrder.Outcome);
        Assert.Equal(first.OrderId, sameOrder.OrderId);
        Assert.Equal(IntakeOutcome.Duplicate, afterStored.Outcome);
        Assert.Equal(first.OrderId, afterStored.OrderId);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = 'INBOX-2'"));
        Assert.Equal("MUG-BLUE", await host.ScalarAsync<string>("SELECT sku FROM fulfillment.order_lines WHERE order_id = @id", ("id", first.OrderId!.Value)));
    }

    [Fact]
    public async Task Acknowledge_OneWebhook200TimesAtOnce_OneAcceptedTheRestAnswerItsOrder()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var webhook = host.Sign(Json(SampleOrders.Valid("INBOX-3")));

        // Concurrent calls share group commits, so the same webhook also meets itself inside one INSERT.
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => AcknowledgeAsync(host, webhook))));

        var accepted = Assert.Single(results, r => r.Outcome == IntakeOutcome.Accepted);
        Assert.All(results, r => Assert.Equal(accepted.OrderId, r.OrderId));
        Assert.Equal(199, results.Count(r => r.Outcome == IntakeOutcome.Duplicate));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.intake_events WHERE merchant_order_id = 'INBOX-3'"));
        await DrainAsync(host.Services.GetRequiredService<IntakeMaterializer>());
    }

    [Fact]
    public async Task Materialize_TwoMaterializersOnOneInbox_EachAcknowledgedOrderStoredAndStartedOnce()
    {
        await using var one = await FulfillmentHost.StartAsync(db.ConnectionString);
        await using var two = await FulfillmentHost.StartAsync(db.ConnectionString);
        var prefix = "INBOX-4-" + Guid.NewGuid().ToString("N")[..6];
        await DrainAsync(one.Services.GetRequiredService<IntakeMaterializer>());
        var acked = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            AcknowledgeAsync(i % 2 == 0 ? one : two, one.Sign(Json(SampleOrders.Valid($"{prefix}-{i}"))))));
        Assert.All(acked, r => Assert.Equal(IntakeOutcome.Accepted, r.Outcome));

        var stored = await Task.WhenAll(
            Task.Run(() => DrainAsync(one.Services.GetRequiredService<IntakeMaterializer>())),
            Task.Run(() => DrainAsync(two.Services.GetRequiredService<IntakeMaterializer>())));

        Assert.Equal(300, stored.Sum());
        Assert.Equal(300L, await one.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id LIKE @p", ("p", prefix + "-%")));
        Assert.Equal(300L, await one.ScalarAsync<long>("SELECT count(*) FROM engine.workflow_instances WHERE correlation_id IN (SELECT id::text FROM fulfillment.orders WHERE merchant_order_id LIKE @p)", ("p", prefix + "-%")));
        Assert.Equal(acked.Select(r => r.OrderId!.Value).Order(), (await OrderIdsAsync(one, prefix)).Order());
    }

    [Fact]
    public async Task Materialize_OneBatchOfOrders_EachGetsItsOwnReceivedEventDeliveryAndWorkflow()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var materializer = host.Services.GetRequiredService<IntakeMaterializer>();
        await DrainAsync(materializer);
        var subscription = Guid.NewGuid();
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.webhook_subscriptions (id, merchant_id, url, secret, event_types)
            VALUES (@id, @m, 'https://shop-a.example/hooks', 'secret', ARRAY['order.received'])
            """, ("id", subscription), ("m", FulfillmentHost.MerchantId));
        var prefix = "INBOX-BATCH-" + Guid.NewGuid().ToString("N")[..6];
        var acked = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            acked.Add((await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid($"{prefix}-{i}", [.. Enumerable.Repeat(("MUG-BLUE", 1), i + 1)]))))).OrderId!.Value);
        }

        // One transaction stores all seven: their received events and their workflows are one statement each.
        Assert.Equal(7, await materializer.MaterializeNextAsync(IntakeMaterializer.BatchSize, default));

        foreach (var (id, i) in acked.Select((id, i) => (id, i)))
        {
            var order = ("id", (object)id);
            Assert.Equal("received", await host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", order));
            Assert.Equal(1, await host.ScalarAsync<int>("SELECT last_sequence FROM fulfillment.orders WHERE id = @id", order));
            Assert.Equal($"{id}|{prefix}-{i}|1|received", await host.ScalarAsync<string>("""
                SELECT concat_ws('|', payload->'data'->>'orderId', payload->'data'->>'merchantOrderId', sequence, payload->'data'->>'status')
                FROM fulfillment.order_events WHERE order_id = @id AND type = 'order.received'
                """, order));
            Assert.Equal($"{StatusPublisher.EventId(id, "received")}|1", await host.ScalarAsync<string>(
                "SELECT string_agg(event_id || '|' || sequence, ',') FROM fulfillment.webhook_deliveries WHERE order_id = @id AND subscription_id = @s",
                order, ("s", subscription)));
            Assert.Equal($"{id}|{id}|Running|True", await host.ScalarAsync<string>("""
                SELECT concat_ws('|', i.variables->>'orderId', i.correlation_id, i.status, CASE WHEN i.pending THEN 'True' ELSE 'False' END)
                FROM fulfillment.orders o JOIN engine.workflow_instances i ON i.id = o.workflow_instance_id WHERE o.id = @id
                """, order));
            Assert.Equal((long)i + 1, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_lines WHERE order_id = @id", order));
        }

        Assert.Equal(7L, await host.ScalarAsync<long>("""
            SELECT count(DISTINCT workflow_instance_id) FROM fulfillment.orders WHERE merchant_order_id LIKE @p
            """, ("p", prefix + "-%")));
    }

    [Fact]
    public async Task Materializer_NoBurstAllowed_AcknowledgedOrderWaitsInTheInboxUntilTheSurgeEnds()
    {
        var surge = new ForegroundSurge();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, configure: surge.AddTo);
        var materializer = host.Services.GetRequiredService<IntakeMaterializer>();
        surge.StopBursts();
        await materializer.StartAsync(default);

        var id = (await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid("INBOX-5"))))).OrderId!.Value;

        // The acknowledgement woke the materializer, which also looks every second. Storing the order and starting its
        // workflow is background work like a burst: it waits while the merchants' acknowledgements are slow, the order
        // durable in the inbox meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.intake_events WHERE order_id = @id AND payload IS NOT NULL", ("id", id)));

        surge.End();

        await Poll.UntilAsync(async () => await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE id = @id", ("id", id)) == 1,
            "the order is stored once the surge ends");
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.intake_events WHERE order_id = @id AND payload IS NOT NULL", ("id", id)));
        Assert.Contains(await host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", id)), host.Dispatched.Ids);
        await materializer.StopAsync(default);
    }

    [Fact]
    public async Task Acknowledge_SurgeOfSignedWebhooks_StopsBurstsOnItsTenthArrivalAndUnsignedOnesDoNot()
    {
        // The surge's clock stands still: every arrival falls in one step of 100 ms, and no step of answers closes.
        var surge = new ForegroundSurge();
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, configure: surge.AddTo);
        var full = surge.Throttle.Allowed;

        for (var i = 0; i < 20; i++)
        {
            var forged = host.Sign(Json(SampleOrders.Valid($"SURGE-FORGED-{i}"))) with { Signature = "v1,bm90IGEgc2lnbmF0dXJl" };
            Assert.Equal(IntakeOutcome.Unauthorized, (await AcknowledgeAsync(host, forged)).Outcome);
        }

        Assert.Equal(full, surge.Throttle.Allowed);
        var seen = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(IntakeOutcome.Accepted, (await AcknowledgeAsync(host, host.Sign(Json(SampleOrders.Valid($"SURGE-{i}"))))).Outcome);
            seen.Add(surge.Throttle.Allowed);
        }

        // The default surge rate, 100 a second, is 10 in a step: the tenth signed webhook stops the bursts.
        Assert.Equal(Enumerable.Repeat(full, 9).Append(0), seen);
    }

    private static async Task<List<Guid>> OrderIdsAsync(FulfillmentHost host, string prefix)
    {
        await using var command = host.DataSource.CreateCommand("SELECT id FROM fulfillment.orders WHERE merchant_order_id LIKE $1");
        command.Parameters.Add(new() { Value = prefix + "-%" });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
