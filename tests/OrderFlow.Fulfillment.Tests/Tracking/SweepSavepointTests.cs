using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Tracking;

/// <summary>
/// The tracking sweep applies a batch of supplier orders in one transaction, each under its own savepoint of one chain: a
/// supplier order whose news fails to apply is undone alone, the rest of the batch is kept, and the next sweep tries it again.
/// </summary>
public sealed class SweepSavepointTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Sweep_OneSupplierOrderFailsToApply_OnlyItIsUndoneAndTheNextSweepAppliesIt()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0 });
        var refused = await world.SubmitAsync(SampleOrders.Valid("SAVEPOINT-1", ("MUG-RED", 1)));
        var kept = await world.SubmitAsync(SampleOrders.Valid("SAVEPOINT-2", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(refused) == "placed" && await world.OrderStatusAsync(kept) == "placed");

        // PostgreSQL refuses the first order's parcel, which aborts the sweep's transaction until the savepoint is rolled back.
        await world.Host.ExecuteAsync($"""
            CREATE FUNCTION public.refuse_parcel() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'test: parcel refused'; END $$;
            CREATE TRIGGER refuse_parcel BEFORE INSERT ON fulfillment.parcels
            FOR EACH ROW WHEN (NEW.order_id = '{refused}') EXECUTE FUNCTION public.refuse_parcel();
            """);
        await world.SetKnobsAsync(new { shipDelaySeconds = 0.0 });
        await world.DriveUntilAsync(async () => await ParcelsAsync(world, kept) > 0);

        Assert.Equal(0, await ParcelsAsync(world, refused));
        Assert.Equal("accepted", await SupplierOrderStatusAsync(world, refused));
        Assert.Contains(await SupplierOrderStatusAsync(world, kept), ShippedOrLater);

        await world.Host.ExecuteAsync("DROP TRIGGER refuse_parcel ON fulfillment.parcels; DROP FUNCTION public.refuse_parcel()");
        await world.DriveUntilAsync(async () => await ParcelsAsync(world, refused) > 0);
        Assert.Contains(await SupplierOrderStatusAsync(world, refused), ShippedOrLater);
    }

    private static readonly string[] ShippedOrLater = ["shipped", "delivered"];

    private static async Task<long> ParcelsAsync(SimulatedWorld world, Guid orderId) =>
        await world.Host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.parcels WHERE order_id = @id", ("id", orderId));

    private static Task<string?> SupplierOrderStatusAsync(SimulatedWorld world, Guid orderId) =>
        world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
}
