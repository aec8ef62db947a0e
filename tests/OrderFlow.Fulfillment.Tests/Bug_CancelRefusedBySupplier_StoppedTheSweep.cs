using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>
/// Regression: a supplier refusing a cancellation (409, it had already shipped) threw out of the tracking sweep, so that
/// supplier's other orders were never polled again and the refused cancellation was asked for on every sweep.
/// </summary>
public sealed class Bug_CancelRefusedBySupplier_StoppedTheSweep(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_SupplierRefusesCancellation_RefusalRecordedOtherOrdersStillTracked()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0 });
        var cancelled = await world.SubmitAsync(SampleOrders.Valid("BUG-1", ("MUG-RED", 1)));
        var other = await world.SubmitAsync(SampleOrders.Valid("BUG-2", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(cancelled) == "placed" && await world.OrderStatusAsync(other) == "placed");

        // The supplier ships both before it hears of the cancellation.
        await world.SetKnobsAsync(new { shipDelaySeconds = 0.0 });
        var instance = await world.Host.ScalarAsync<Guid>("SELECT workflow_instance_id FROM fulfillment.orders WHERE id = @id", ("id", cancelled));
        await world.Host.Services.GetRequiredService<InstanceOperations>().CancelAsync(instance, "ops:test");
        using (var scope = world.Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<TrackingPollJob>().RunAsync(default);
        }

        // Shipped, or already delivered on a slow machine (the fast simulator's transit is seconds): either way, tracked.
        Assert.Contains(await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", cancelled)), ShippedOrLater);
        Assert.StartsWith("Cancellation refused", await world.Host.ScalarAsync<string>("SELECT rejection_message FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", cancelled)));
        Assert.Contains(await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", other)), ShippedOrLater);
    }

    private static readonly string[] ShippedOrLater = ["shipped", "delivered"];
}
