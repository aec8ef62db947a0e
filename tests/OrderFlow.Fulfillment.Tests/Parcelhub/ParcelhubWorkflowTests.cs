using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderFlow.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Parcelhub;

/// <summary>
/// The shipped dropship-order workflow with parcelhub, the simulator's second supplier flavour (protocol parcelhub-v2):
/// only LAMP-DESK is parcelhub's alone, so orders for it go there while the others keep flowing through acme and globex.
/// </summary>
public sealed class ParcelhubWorkflowTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Order_SkuOnlyAtParcelhub_PlacedTrackedDeliveredThroughParcelhub()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await OfferAsync(world, "parcelhub", "LAMP-DESK");

        var orderId = await world.SubmitAsync(SampleOrders.Valid("P-1", ("LAMP-DESK", 2)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal("parcelhub", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("delivered", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("Delivered", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.parcels WHERE order_id = @id", ("id", orderId)));
        var events = await world.Host.ScalarAsync<string[]>("""
            SELECT array_agg(e.status ORDER BY e.occurred_at) FROM fulfillment.tracking_events e JOIN fulfillment.parcels p ON p.id = e.parcel_id
            WHERE p.order_id = @id
            """, ("id", orderId)) ?? [];
        Assert.Equal(["InfoReceived", "InTransit", "OutForDelivery", "Delivered"], events);
        var types = await world.Host.ScalarAsync<string[]>(
            "SELECT array_agg(type ORDER BY sequence) FILTER (WHERE type LIKE 'order.%') FROM fulfillment.order_events WHERE order_id = @id", ("id", orderId)) ?? [];
        Assert.Equal(["order.received", "order.routed", "order.placed", "order.shipped", "order.delivered"], types);
        var reference = await world.Host.ScalarAsync<string>("SELECT reference FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        var placement = Assert.Single(await world.LedgerAsync(), p => p!["reference"]!.GetValue<string>() == reference)!;
        Assert.Equal("parcelhub", placement["supplierId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Order_ParcelhubPreferredDeclinesLine_ReroutedToNextSupplierAndDelivered()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        // Parcelhub first in line, and our catalogue believes it sells TEE-BLACK-M; it does not, and declines SKU_NOT_LISTED.
        await world.Host.ExecuteAsync("UPDATE fulfillment.suppliers SET priority = 1 WHERE id = 'parcelhub'");
        await OfferAsync(world, "parcelhub", "TEE-BLACK-M");
        await OfferAsync(world, "acme", "TEE-BLACK-M");

        var orderId = await world.SubmitAsync(SampleOrders.Valid("P-2", ("TEE-BLACK-M", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal(["parcelhub"], await world.Host.ScalarAsync<string[]>("SELECT rejected_by FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)) ?? []);
        Assert.Equal("acme", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("rejected", await world.Host.ScalarAsync<string>(
            "SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'parcelhub'", ("id", orderId)));
        Assert.Equal("ineligible_product", await world.Host.ScalarAsync<string>(
            "SELECT rejection_reason FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'parcelhub'", ("id", orderId)));
    }

    [Fact]
    public async Task Placement_ParcelhubCommitsThenDropsConnection_RetriedWithSameKeyNeverPlacedTwice()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { dropAfterCommitRate = 1.0 });
        await OfferAsync(world, "parcelhub", "LAMP-DESK");

        var orderId = await world.SubmitAsync(SampleOrders.Valid("P-3", ("LAMP-DESK", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered", tick: TimeSpan.FromSeconds(5));

        var reference = await world.Host.ScalarAsync<string>("SELECT reference FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        var placement = Assert.Single(await world.LedgerAsync(), p => p!["reference"]!.GetValue<string>() == reference)!;
        Assert.Equal("parcelhub", placement["supplierId"]!.GetValue<string>());
        Assert.Equal(reference, placement["idempotencyKey"]!.GetValue<string>());
        Assert.True(placement["requests"]!.GetValue<int>() >= 2, "the dropped placement was retried under the same X-Request-Id");
        Assert.Equal(1L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task Order_OpsCancelWhilePlacedAtParcelhub_PurchaseOrderVoidedAtParcelhub()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0 });
        await OfferAsync(world, "parcelhub", "LAMP-DESK");

        var orderId = await world.SubmitAsync(SampleOrders.Valid("P-4", ("LAMP-DESK", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "placed");
        var instanceId = await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", orderId));
        await world.Host.Services.GetRequiredService<InstanceOperations>().CancelAsync(instanceId, "ops:test");
        await world.DriveUntilAsync(async () => await world.Host.ScalarAsync<string>(
            "SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)) == "cancelled");

        var supplierOrderId = await world.Host.ScalarAsync<string>("SELECT supplier_order_id FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/parcelhub/purchase_orders/{supplierOrderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sim-token-parcelhub");
        var atParcelhub = await (await world.SimulatorClient.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("voided", atParcelhub!["state"]!.GetValue<string>());
        Assert.Equal("cancelled", await world.OrderStatusAsync(orderId));
    }

    /// <summary>
    /// Puts the offer in our catalogue whatever the start-up catalogue sync managed: on a busy machine a sync can time out,
    /// and routing would then pick another supplier than the one under test.
    /// </summary>
    private static Task OfferAsync(SimulatedWorld world, string supplierId, string sku) => world.Host.ExecuteAsync("""
        INSERT INTO fulfillment.catalog (supplier_id, sku, available, unit_price, currency, synced_at) VALUES (@supplierId, @sku, 100, 1, 'EUR', now())
        ON CONFLICT (supplier_id, sku) DO UPDATE SET available = greatest(fulfillment.catalog.available, 100)
        """, ("supplierId", supplierId), ("sku", sku));
}
