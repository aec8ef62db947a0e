using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>The ops order list: every filter, the search by order id, e-mail or tracking number, and keyset paging.</summary>
public sealed class OrderQueriesTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static OrderFilter Filter(string? status = null, string? supplier = null, string? q = null, int? olderThanMinutes = null, Guid? cursor = null, int? limit = null,
        string? merchant = null) => new(status, merchant, supplier, null, q, olderThanMinutes, cursor, limit);

    private static async Task<Guid> ReceiveAsync(FulfillmentHost host, string merchantOrderId, string email)
    {
        var order = SampleOrders.Valid(merchantOrderId);
        order["customer"]!["email"] = email;
        return (await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(order.ToJsonString()), default)).OrderId!.Value;
    }

    private static Task RouteToAsync(FulfillmentHost host, Guid orderId, string supplier) => host.ExecuteAsync("""
        INSERT INTO fulfillment.suppliers (id, name, base_url, api_key) VALUES (@s, @s, 'http://127.0.0.1:1', 'k') ON CONFLICT DO NOTHING;
        UPDATE fulfillment.order_lines SET supplier_id = @s WHERE order_id = @o
        """, ("s", supplier), ("o", orderId));

    [Fact]
    public async Task ListAsync_SearchByOrderIdEmailOrTrackingNumber_FindsThatOrderOnly()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var wanted = await ReceiveAsync(host, "SEARCH-1", "Grace.Hopper@example.com");
        var other = await ReceiveAsync(host, "SEARCH-2", "alan@example.com");
        await RouteToAsync(host, wanted, "search-supplier");
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, status, updated_at) VALUES (@so, @o, 'search-supplier', @ref, 'accepted', now());
            INSERT INTO fulfillment.parcels (id, order_id, supplier_order_id, supplier_shipment_id, carrier, tracking_number, status, line_ids, created_at, updated_at)
            VALUES (gen_random_uuid(), @o, @so, 'shp-1', 'DHL', 'JD014600006281', 'InTransit', '{1}', now(), now())
            """, ("so", Guid.NewGuid()), ("o", wanted), ("ref", "ref-" + wanted.ToString("N")));
        var queries = host.Services.GetRequiredService<OrderQueries>();

        foreach (var q in new[] { "SEARCH-1", wanted.ToString(), "grace.hopper@EXAMPLE.com", " JD014600006281 " })
        {
            var page = await queries.ListAsync(Filter(q: q), default);
            Assert.Equal([wanted], page.Items.Select(o => o.Id));
        }

        Assert.Equal([other], (await queries.ListAsync(Filter(q: "alan@example.com"), default)).Items.Select(o => o.Id));
        Assert.Empty((await queries.ListAsync(Filter(q: "JD0146"), default)).Items);
    }

    [Fact]
    public async Task ListAsync_SupplierStatusAndMerchantFilters_CombineAndPageNewestFirst()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var first = await ReceiveAsync(host, "PAGE-1", "p1@example.com");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await ReceiveAsync(host, "PAGE-2", "p2@example.com");
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await ReceiveAsync(host, "PAGE-3", "p3@example.com");
        await RouteToAsync(host, first, "paging-supplier");
        await RouteToAsync(host, third, "paging-supplier");
        await RouteToAsync(host, second, "someone-else");
        await host.ExecuteAsync("UPDATE fulfillment.orders SET status = 'shipped' WHERE id = @o", ("o", first));
        var queries = host.Services.GetRequiredService<OrderQueries>();

        var page1 = await queries.ListAsync(Filter(supplier: "paging-supplier", limit: 1), default);
        var page2 = await queries.ListAsync(Filter(supplier: "paging-supplier", limit: 1, cursor: page1.NextCursor), default);
        var shipped = await queries.ListAsync(Filter(supplier: "paging-supplier", status: "shipped"), default);
        var otherMerchant = await queries.ListAsync(Filter(supplier: "paging-supplier", merchant: "no-such-shop"), default);

        Assert.Equal([third], page1.Items.Select(o => o.Id));
        Assert.Equal(third, page1.NextCursor);
        Assert.Equal([first], page2.Items.Select(o => o.Id));
        Assert.Null(page2.NextCursor);
        Assert.Equal([first], shipped.Items.Select(o => o.Id));
        Assert.Empty(otherMerchant.Items);
    }

    [Fact]
    public async Task ListAsync_OlderThan_CountsAgeOnTheInjectedClock()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var old = await ReceiveAsync(host, "AGE-1", "old@example.com");
        host.Clock.Advance(TimeSpan.FromHours(2));
        var fresh = await ReceiveAsync(host, "AGE-2", "fresh@example.com");
        await RouteToAsync(host, old, "age-supplier");
        await RouteToAsync(host, fresh, "age-supplier");
        var queries = host.Services.GetRequiredService<OrderQueries>();

        var olderThanAnHour = await queries.ListAsync(Filter(supplier: "age-supplier", olderThanMinutes: 60), default);
        var any = await queries.ListAsync(Filter(supplier: "age-supplier"), default);

        Assert.Equal([old], olderThanAnHour.Items.Select(o => o.Id));
        Assert.Equal([fresh, old], any.Items.Select(o => o.Id));
    }
}
