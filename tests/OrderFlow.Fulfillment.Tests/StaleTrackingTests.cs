using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Quiet tracking raises order.exception once and flags the order until the finding is gone.</summary>
public sealed class StaleTrackingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Run_AcceptedSevenDaysAgoWithoutParcel_RaisesExceptionOnceAndFlagsOrder()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var orderId = await OrderWithSupplierOrderAsync(host, "STALE-1", placedAgo: TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var detector = host.Services.GetRequiredService<StaleTrackingDetector>();

        await detector.RunAsync(default);
        await detector.RunAsync(default);

        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @id AND type = 'order.exception'", ("id", orderId)));
        Assert.Contains("No tracking", await host.ScalarAsync<string>("SELECT attention_reason FROM fulfillment.orders WHERE id = @id", ("id", orderId)));
        var page = await host.Services.GetRequiredService<OrderQueries>().ListAsync(new OrderFilter(null, null, null, true, null, null, null, 200), default);
        Assert.Contains(page.Items, o => o.Id == orderId && o.NeedsAttention);
    }

    [Fact]
    public async Task Run_AcceptedSixDaysAgoWithoutParcel_NothingRaised()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var orderId = await OrderWithSupplierOrderAsync(host, "FRESH-1", placedAgo: TimeSpan.FromDays(6));

        await host.Services.GetRequiredService<StaleTrackingDetector>().RunAsync(default);

        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @id AND type = 'order.exception'", ("id", orderId)));
        Assert.Null(await host.ScalarAsync<string>("SELECT attention_reason FROM fulfillment.orders WHERE id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task Run_InTransitQuietFor48Hours_RaisedThenClearedWhenCarrierSpeaks()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var orderId = await OrderWithSupplierOrderAsync(host, "QUIET-1", placedAgo: TimeSpan.FromDays(3));
        var parcel = Guid.NewGuid();
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.parcels (id, order_id, supplier_order_id, supplier_shipment_id, carrier, tracking_number, status, line_ids, last_event_at, created_at, updated_at)
            SELECT @p, so.order_id, so.id, 'shp', 'DHL', 'JD0001', 'InTransit', '{1}', @quietSince, @quietSince, @quietSince
            FROM fulfillment.supplier_orders so WHERE so.order_id = @o
            """, ("p", parcel), ("o", orderId), ("quietSince", host.Clock.GetUtcNow() - TimeSpan.FromHours(49)));
        var detector = host.Services.GetRequiredService<StaleTrackingDetector>();

        await detector.RunAsync(default);
        var flagged = await host.ScalarAsync<string>("SELECT attention_reason FROM fulfillment.orders WHERE id = @id", ("id", orderId));
        await host.ExecuteAsync("UPDATE fulfillment.parcels SET last_event_at = @now WHERE id = @p", ("now", host.Clock.GetUtcNow()), ("p", parcel));
        await detector.RunAsync(default);

        Assert.Contains("JD0001", flagged);
        Assert.Equal("tracking_stale", await host.ScalarAsync<string>(
            "SELECT payload->'data'->>'reason' FROM fulfillment.order_events WHERE order_id = @id AND type = 'order.exception'", ("id", orderId)));
        Assert.Null(await host.ScalarAsync<string>("SELECT attention_reason FROM fulfillment.orders WHERE id = @id", ("id", orderId)));
    }

    private static async Task<Guid> OrderWithSupplierOrderAsync(FulfillmentHost host, string merchantOrderId, TimeSpan placedAgo)
    {
        var orderId = (await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(SampleOrders.Valid(merchantOrderId).ToJsonString()), default)).OrderId!.Value;
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.suppliers (id, name, base_url, api_key) VALUES ('stale-supplier', 'Stale', 'http://127.0.0.1:1', 'k') ON CONFLICT DO NOTHING;
            INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, supplier_order_id, status, placed_at, updated_at)
            VALUES (@so, @o, 'stale-supplier', @ref, 'sup-1', 'accepted', @placed, @placed)
            """, ("so", Guid.NewGuid()), ("o", orderId), ("ref", "ref-" + orderId.ToString("N")), ("placed", host.Clock.GetUtcNow() - placedAgo));
        return orderId;
    }
}
