using System.Text.Json.Nodes;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

public sealed class IntakeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static string Json(JsonNode node) => node.ToJsonString();

    [Fact]
    public async Task Receive_SignedValidOrder_StoresOrderLinesEventAndStartsWorkflowInOneGo()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);

        var result = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(SampleOrders.Valid("A-1", ("MUG-BLUE", 2), ("CAP-GREEN", 1)))), default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        var id = result.OrderId!.Value;
        Assert.Equal("received", await host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_lines WHERE order_id = @id", ("id", id)));
        Assert.Equal(37.5m, await host.ScalarAsync<decimal>("SELECT total FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal("order.received", await host.ScalarAsync<string>("SELECT type FROM fulfillment.order_events WHERE order_id = @id AND sequence = 1", ("id", id)));
        var instance = await host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", id));
        Assert.Equal(id.ToString(), await host.ScalarAsync<string>("SELECT correlation_id FROM engine.workflow_instances WHERE id = @i", ("i", instance)));
        Assert.Contains(instance, host.Dispatched.Ids);
    }

    [Fact]
    public async Task Receive_SameWebhookTwice_SecondAnswersSameOrderAndStoresNothing()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var webhook = host.Sign(Json(SampleOrders.Valid("A-2")));

        var first = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, webhook, default);
        var second = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, webhook, default);

        Assert.Equal(IntakeOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.OrderId, second.OrderId);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = 'A-2'"));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM engine.workflow_instances WHERE correlation_id = @id", ("id", first.OrderId!.Value.ToString())));
    }

    [Fact]
    public async Task Receive_SameOrderIdUnderNewWebhookId_AnswersSameOrder()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);

        var first = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(SampleOrders.Valid("A-3"))), default);
        var resent = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(SampleOrders.Valid("A-3", ("POSTER-A2", 9)))), default);

        Assert.Equal(IntakeOutcome.Duplicate, resent.Outcome);
        Assert.Equal(first.OrderId, resent.OrderId);
        Assert.Equal("MUG-BLUE", await host.ScalarAsync<string>("SELECT sku FROM fulfillment.order_lines WHERE order_id = @id", ("id", first.OrderId!.Value)));
    }

    [Fact]
    public async Task Receive_SameWebhookIdWithAnotherOrderId_AnswersFirstOrderAndStoresNothing()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var first = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(SampleOrders.Valid("REUSED-1")), webhookId: "msg_reused"), default);
        var before = await host.ScalarAsync<long>("SELECT count(*) FROM engine.workflow_instances");

        var resent = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(SampleOrders.Valid("REUSED-1-other")), webhookId: "msg_reused"), default);

        Assert.Equal((IntakeOutcome.Duplicate, first.OrderId), (resent.Outcome, resent.OrderId));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = 'A-4-other'"));
        Assert.Equal(before, await host.ScalarAsync<long>("SELECT count(*) FROM engine.workflow_instances"));
    }

    [Fact]
    public async Task Receive_ConcurrentDeliveriesOfOneWebhookIdWithDifferentOrderIds_ExactlyOneOrder()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(SampleOrders.Valid($"RACE-{i}")), webhookId: "msg_race"), default))));

        Assert.Single(results, r => r.Outcome == IntakeOutcome.Accepted);
        Assert.Single(results.Select(r => r.OrderId).Distinct());
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id LIKE 'RACE-%'"));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_lines l JOIN fulfillment.orders o ON o.id = l.order_id WHERE o.merchant_order_id LIKE 'RACE-%'"));
    }

    [Fact]
    public async Task Receive_ManyConcurrentDeliveriesOfOneOrder_ExactlyOneOrder()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var json = Json(SampleOrders.Valid("A-4"));

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(json), default))));

        Assert.All(results, r => Assert.True(r.Outcome is IntakeOutcome.Accepted or IntakeOutcome.Duplicate));
        Assert.Single(results, r => r.Outcome == IntakeOutcome.Accepted);
        Assert.Single(results.Select(r => r.OrderId).Distinct());
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = 'A-4'"));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events e JOIN fulfillment.orders o ON o.id = e.order_id WHERE o.merchant_order_id = 'A-4'"));
    }

    public static TheoryData<string, Func<FulfillmentHost, string, SignedWebhook>> BadSignatures => new()
    {
        { "another merchant's secret", (h, json) => h.Sign(json, secret: "whsec_b3RoZXItbWVyY2hhbnQtc2VjcmV0LWZvci10ZXN0cy0xMjM0NQ==") },
        { "one byte of the body changed", (h, json) => h.Sign(json) with { Body = System.Text.Encoding.UTF8.GetBytes(json.Replace("A-5", "A-6")) } },
        { "timestamp six minutes old", (h, json) => h.Sign(json, at: h.Clock.GetUtcNow().AddMinutes(-6)) },
        { "timestamp six minutes ahead", (h, json) => h.Sign(json, at: h.Clock.GetUtcNow().AddMinutes(6)) },
        { "missing signature header", (h, json) => h.Sign(json) with { Signature = null } },
        { "wrong algorithm prefix", (h, json) => h.Sign(json) is var w ? w with { Signature = "v2," + w.Signature![3..] } : w },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Receive_BadSignature_UnauthorizedAndNothingWritten(string @case, Func<FulfillmentHost, string, SignedWebhook> sign)
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);

        var result = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, sign(host, Json(SampleOrders.Valid("A-5"))), default);

        Assert.True(result.Outcome == IntakeOutcome.Unauthorized, @case);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id IN ('A-5', 'A-6')"));
    }

    [Fact]
    public async Task Receive_UnknownMerchant_UnauthorizedLikeABadSignature()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);

        var result = await host.Intake.ReceiveAsync("no-such-shop", host.Sign(Json(SampleOrders.Valid("A-7"))), default);

        Assert.Equal(IntakeOutcome.Unauthorized, result.Outcome);
        Assert.Equal("The signature does not match.", result.Problem);
    }

    [Theory]
    [InlineData("lines[0].quantity", """{"lines":[{"lineId":"1","sku":"MUG-BLUE","quantity":0,"unitPrice":1}]}""")]
    [InlineData("lines[0].quantity", """{"lines":[{"lineId":"1","sku":"MUG-BLUE","quantity":"two","unitPrice":1}]}""")]
    [InlineData("customer.email", """{"customer":{"name":"Ada","email":"not-an-address"}}""")]
    [InlineData("shippingAddress.country", """{"shippingAddress":{"name":"Ada","line1":"x","city":"y","postalCode":"1","country":"Germany"}}""")]
    [InlineData("lines", """{"lines":[]}""")]
    [InlineData("orderId", """{"orderId":""}""")]
    public async Task Receive_InvalidField_InvalidNamingTheFieldAndNothingWritten(string field, string patch)
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var order = SampleOrders.Valid("A-8");
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            order[key] = value?.DeepClone();
        }

        var result = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(order)), default);

        Assert.Equal(IntakeOutcome.Invalid, result.Outcome);
        Assert.Contains(field, result.Errors!.Keys);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id = 'A-8'"));
    }

    [Fact]
    public async Task Receive_StatusInPayload_IgnoredOrderStartsReceived()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var order = SampleOrders.Valid("A-9");
        order["status"] = "delivered";
        order["total"] = 0.01;

        var result = await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(Json(order)), default);

        Assert.Equal("received", await host.ScalarAsync<string>("SELECT status FROM fulfillment.orders WHERE id = @id", ("id", result.OrderId!.Value)));
        Assert.Equal(25m, await host.ScalarAsync<decimal>("SELECT total FROM fulfillment.orders WHERE id = @id", ("id", result.OrderId!.Value)));
    }
}
