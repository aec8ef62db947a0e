using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>The shipped dropship-order workflow against the simulator's suppliers: the happy path and each fallback.</summary>
public sealed class DropshipWorkflowTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Order_TwoSuppliersNeeded_SplitPlacedShippedDelivered()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);

        // MUG-RED only at acme, CAP-GREEN only at globex.
        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-1", ("MUG-RED", 1), ("CAP-GREEN", 2)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal(2L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("acme", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id AND sku = 'MUG-RED'", ("id", orderId)));
        Assert.Equal("globex", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id AND sku = 'CAP-GREEN'", ("id", orderId)));
        var types = (await world.Host.ScalarAsync<string[]>("SELECT array_agg(type ORDER BY sequence) FILTER (WHERE type LIKE 'order.%') FROM fulfillment.order_events WHERE order_id = @id", ("id", orderId)) ?? []);
        // Partially shipped when one supplier's parcel was seen before the other's (both are polled in the same sweep).
        Assert.Equal(["order.received", "order.routed", "order.placed", "order.shipped", "order.delivered"], types.Where(t => t != "order.partially_shipped"));
        Assert.True(Array.IndexOf(types, "order.partially_shipped") < Array.IndexOf(types, "order.shipped"));
        Assert.Equal(2L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.notifications WHERE order_id = @id AND template IN ('shipped', 'delivered')", ("id", orderId)));
    }

    [Fact]
    public async Task Order_PreferredSupplierRejectsLine_ReroutedToNextSupplierAndDelivered()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        // Our catalogue believes acme sells CAP-GREEN; acme itself does not, and rejects the line as ineligible.
        await world.Host.ExecuteAsync("""
            INSERT INTO fulfillment.catalog (supplier_id, sku, available, unit_price, currency, synced_at) VALUES ('acme', 'CAP-GREEN', 100, 1, 'EUR', now())
            ON CONFLICT (supplier_id, sku) DO UPDATE SET available = 100
            """);

        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-2", ("CAP-GREEN", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal(["acme"], (await world.Host.ScalarAsync<string[]>("SELECT rejected_by FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId))) ?? []);
        Assert.Equal("globex", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("rejected", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'", ("id", orderId)));
        Assert.Equal(1L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_events WHERE order_id = @id AND type = 'order.routed'", ("id", orderId)));
    }

    [Fact]
    public async Task Order_PreferredSupplierUnreachable_RetriedThenReroutedToNextSupplier()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, new Dictionary<string, string?> { ["OrderFlow:Fulfillment:PlacementAttemptsBeforeReroute"] = "2" });
        await world.Host.ExecuteAsync("UPDATE fulfillment.suppliers SET base_url = 'http://127.0.0.1:9/suppliers/acme' WHERE id = 'acme'");
        world.Host.Clock.Advance(TimeSpan.FromMinutes(1)); // past the supplier cache

        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-3", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered", tick: TimeSpan.FromSeconds(5));

        Assert.Equal("unreachable", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'", ("id", orderId)));
        Assert.Equal("globex", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        var journal = await world.Host.Services.GetRequiredService<InstanceQueries>().GetJournalAsync(
            await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", orderId)));
        Assert.Contains(journal, e => e.ActivityId == "place" && e.Event == JournalEvents.RetryScheduled);
    }

    [Fact]
    public async Task Placement_SupplierCommitsThenDropsConnection_RetriedWithSameKeyNeverPlacedTwice()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { dropAfterCommitRate = 1.0 });

        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-4", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered", tick: TimeSpan.FromSeconds(5));

        var reference = await world.Host.ScalarAsync<string>("SELECT reference FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        var placements = (await world.LedgerAsync()).Where(p => p!["reference"]!.GetValue<string>() == reference).ToList();
        Assert.Single(placements);
        Assert.Equal(reference, placements[0]!["idempotencyKey"]!.GetValue<string>());
        Assert.True(placements[0]!["requests"]!.GetValue<int>() >= 2, "the dropped placement was retried with the same key");
    }

    [Fact]
    public async Task Placement_SupplierErrorsThenRecovers_RetryLooksUpReferenceThenPlacesOnce()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { errorRate = 1.0 });

        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-7", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.Host.ScalarAsync<long>(
            "SELECT count(*) FROM engine.journal j JOIN fulfillment.orders o ON o.workflow_instance_id = j.instance_id WHERE o.id = @id AND j.event = 'RetryScheduled'", ("id", orderId)) > 0);
        await world.SetKnobsAsync(new { errorRate = 0.0 });
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered", tick: TimeSpan.FromSeconds(5));

        var reference = await world.Host.ScalarAsync<string>("SELECT reference FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        Assert.Single(await world.LedgerAsync(), p => p!["reference"]!.GetValue<string>() == reference);
        Assert.Equal("acme", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
    }

    [Fact]
    public async Task Order_NoSupplierStocksSku_HeldWithIncidentThenCancelledByOps()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);

        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-5", ("UNOBTAINIUM", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "exception");
        var incidents = await world.Host.Services.GetRequiredService<InstanceQueries>().ListOpenIncidentsAsync();
        var incident = incidents.Single(i => i.CorrelationId == orderId.ToString());
        Assert.Equal("hold", incident.ActivityId);

        var result = await world.Host.Services.GetRequiredService<InstanceOperations>().SkipIncidentAsync(incident.Id, "Cancel", "ops:test");
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "cancelled");

        Assert.Equal(OperationStatus.Ok, result.Status);
        var types = (await world.Host.ScalarAsync<string[]>("SELECT array_agg(type ORDER BY sequence) FROM fulfillment.order_events WHERE order_id = @id", ("id", orderId)) ?? []);
        Assert.Equal(["order.received", "order.exception", "order.cancelled"], types);
        Assert.Equal(1L, await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.notifications WHERE order_id = @id AND template = 'cancelled'", ("id", orderId)));
    }

    [Fact]
    public async Task Order_OpsCancelWhilePlaced_SupplierOrderCancelledAtSupplier()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0 });

        var orderId = await world.SubmitAsync(SampleOrders.Valid("W-6", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "placed");
        var instanceId = await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", orderId));
        await world.Host.Services.GetRequiredService<InstanceOperations>().CancelAsync(instanceId, "ops:test");
        await world.DriveUntilAsync(async () => await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)) == "cancelled");

        var supplierOrderId = await world.Host.ScalarAsync<string>("SELECT supplier_order_id FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/suppliers/acme/orders/{supplierOrderId}");
        request.Headers.Add("X-Api-Key", "sim-key-acme");
        var atSupplier = await (await world.SimulatorClient.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("cancelled", atSupplier!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", await world.OrderStatusAsync(orderId));
    }
}
