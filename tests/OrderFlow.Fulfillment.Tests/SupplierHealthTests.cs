using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>The suppliers page's health column: what OrderFlow saw of each supplier, summed up in a state.</summary>
public sealed class SupplierHealthTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task ListAsync_EachKindOfTrouble_NamedPerSupplier()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var now = host.Clock.GetUtcNow();
        var orderId = (await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(SampleOrders.Valid("HEALTH-1").ToJsonString()), default)).OrderId!.Value;
        await host.ExecuteAsync("""
            INSERT INTO fulfillment.suppliers (id, name, base_url, api_key, priority, active) VALUES
                ('h-ok', 'Ok', 'http://127.0.0.1:1', 'k', 1, true), ('h-down', 'Down', 'http://127.0.0.1:1', 'k', 2, true),
                ('h-stale', 'Stale', 'http://127.0.0.1:1', 'k', 3, true), ('h-new', 'New', 'http://127.0.0.1:1', 'k', 4, true),
                ('h-off', 'Off', 'http://127.0.0.1:1', 'k', 5, false);
            INSERT INTO fulfillment.catalog (supplier_id, sku, available, unit_price, shipping_price, currency, synced_at) VALUES
                ('h-ok', 'MUG', 5, 1, 1, 'EUR', @now), ('h-ok', 'CUP', 5, 1, 1, 'EUR', @now), ('h-down', 'MUG', 5, 1, 1, 'EUR', @now),
                ('h-stale', 'MUG', 5, 1, 1, 'EUR', @stale), ('h-off', 'MUG', 5, 1, 1, 'EUR', @now);
            INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, status, placed_at, updated_at) VALUES
                (gen_random_uuid(), @o, 'h-ok', 'h-1', 'accepted', @now, @now),
                (gen_random_uuid(), @o, 'h-ok', 'h-2', 'rejected', @now, @now),
                (gen_random_uuid(), @o, 'h-down', 'h-3', 'unreachable', null, @recently),
                (gen_random_uuid(), @o, 'h-stale', 'h-4', 'unreachable', null, @yesterday);
            """, ("now", now), ("stale", now.AddHours(-1)), ("recently", now.AddMinutes(-10)), ("yesterday", now.AddHours(-20)), ("o", orderId));

        var health = (await host.Services.GetRequiredService<SupplierHealth>().ListAsync(default)).ToDictionary(h => h.SupplierId);

        Assert.Equal("ok", health["h-ok"].State);
        Assert.Equal((2, 1, 2, 1), (health["h-ok"].CatalogSkus, health["h-ok"].OpenOrders, health["h-ok"].PlacedLastDay, health["h-ok"].RejectedLastDay));
        Assert.Equal("unreachable", health["h-down"].State);
        Assert.Contains("10 min ago", health["h-down"].Detail);
        Assert.Equal("stale_catalogue", health["h-stale"].State);
        Assert.Equal(1, health["h-stale"].UnreachableLastDay);
        Assert.Equal("no_catalogue", health["h-new"].State);
        Assert.Equal("inactive", health["h-off"].State);
    }
}
