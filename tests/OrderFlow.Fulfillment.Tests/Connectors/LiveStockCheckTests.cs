using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Connectors;

/// <summary>
/// Stock confirmed with the supplier just before placing: the synced catalogue says acme (preferred) has a million blue
/// mugs, the simulator says otherwise.
/// </summary>
public sealed class LiveStockCheckTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string AcmeChecksLive = "UPDATE fulfillment.suppliers SET live_stock_check = (id = 'acme')";

    [Fact]
    public async Task Routing_LiveCheckSaysPreferredSupplierIsOut_LineGoesToNextSupplierAndNothingPlacedAtTheFirst()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, supplierSql: AcmeChecksLive);
        await world.SetSupplierStockAsync("acme", "MUG-BLUE", 0);
        Assert.True(await world.Host.ScalarAsync<int>("SELECT available FROM fulfillment.catalog WHERE supplier_id = 'acme' AND sku = 'MUG-BLUE'") > 0);

        var orderId = await world.SubmitAsync(SampleOrders.Valid("L-1", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal("globex", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal(["globex"], await world.Host.ScalarAsync<string[]>("SELECT array_agg(supplier_id) FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)) ?? []);
        Assert.Empty(await world.Host.ScalarAsync<string[]>("SELECT rejected_by FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)) ?? []);
        Assert.DoesNotContain(await world.LedgerAsync(), p => p!["supplierId"]!.GetValue<string>() == "acme");
        Assert.Single(await world.LedgerAsync());
        Assert.Equal(0, await world.Host.ScalarAsync<int>("SELECT available FROM fulfillment.catalog WHERE supplier_id = 'acme' AND sku = 'MUG-BLUE'"));
    }

    [Fact]
    public async Task Routing_LiveCheckConfirmsEnoughStock_PlacedOnceAtPreferredSupplierAndCatalogueCorrected()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, supplierSql: AcmeChecksLive);
        await world.SetSupplierStockAsync("acme", "MUG-BLUE", 5);

        var orderId = await world.SubmitAsync(SampleOrders.Valid("L-2", ("MUG-BLUE", 2)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal("acme", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Single(await world.LedgerAsync());
        // The live figure (5) replaced the synced one (a million): proof the supplier was asked.
        Assert.Equal(5, await world.Host.ScalarAsync<int>("SELECT available FROM fulfillment.catalog WHERE supplier_id = 'acme' AND sku = 'MUG-BLUE'"));
    }

    [Fact]
    public async Task Routing_LiveCheckOff_StaleCatalogueSendsLineToPreferredSupplierWhichRejectsIt()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, supplierSql: "UPDATE fulfillment.suppliers SET live_stock_check = false");
        await world.SetSupplierStockAsync("acme", "MUG-BLUE", 0);

        var orderId = await world.SubmitAsync(SampleOrders.Valid("L-3", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal(["acme"], await world.Host.ScalarAsync<string[]>("SELECT rejected_by FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)) ?? []);
        Assert.Contains(await world.LedgerAsync(), p => p!["supplierId"]!.GetValue<string>() == "acme");
    }
}
