using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Connectors;

/// <summary>A supplier whose account wants HMAC-signed requests: OrderFlow signs every call with the secret in its row.</summary>
public sealed class HmacSupplierTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Secret = "acme-hmac-secret-0123456789";
    private static readonly string[] HmacAcme = ["--Simulator:Suppliers:acme:HmacKeyId=acme-key", $"--Simulator:Suppliers:acme:HmacSecret={Secret}"];

    private static string AcmeCredentials(string secret) =>
        $"UPDATE fulfillment.suppliers SET auth_type = 'hmac', api_key = 'acme-key:{secret}' WHERE id = 'acme'";

    [Fact]
    public async Task Placement_HmacSupplierWithRightSecret_SignedCallsPlaceAndTrackTheOrder()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, simulatorArgs: HmacAcme, supplierSql: AcmeCredentials(Secret));

        // MUG-RED is only at acme: delivery needs signed placement, status and catalogue calls.
        var orderId = await world.SubmitAsync(SampleOrders.Valid("H-1", ("MUG-RED", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal("acme", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        var reference = await world.Host.ScalarAsync<string>("SELECT reference FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        Assert.Single(await world.LedgerAsync(), p => p!["reference"]!.GetValue<string>() == reference);
    }

    [Fact]
    public async Task Placement_HmacSupplierWithWrongSecret_RefusedAndLineReroutedToNextSupplier()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString, simulatorArgs: HmacAcme, supplierSql: AcmeCredentials(Secret));
        await world.ChangeSuppliersAsync(AcmeCredentials("not-the-secret-at-all-000"));

        var orderId = await world.SubmitAsync(SampleOrders.Valid("H-2", ("MUG-BLUE", 1)));
        await world.DriveUntilAsync(async () => await world.OrderStatusAsync(orderId) == "delivered");

        Assert.Equal("globex", await world.Host.ScalarAsync<string>("SELECT supplier_id FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)));
        Assert.Equal(["acme"], await world.Host.ScalarAsync<string[]>("SELECT rejected_by FROM fulfillment.order_lines WHERE order_id = @id", ("id", orderId)) ?? []);
        Assert.Contains("401", await world.Host.ScalarAsync<string>(
            "SELECT rejection_message FROM fulfillment.supplier_orders WHERE order_id = @id AND supplier_id = 'acme'", ("id", orderId)));
        Assert.DoesNotContain(await world.LedgerAsync(), p => p!["supplierId"]!.GetValue<string>() == "acme");
    }
}
