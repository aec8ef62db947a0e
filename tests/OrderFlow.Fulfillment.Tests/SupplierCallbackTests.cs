using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Supplier acceptance arriving by a signed callback instead of the tracking sweep.</summary>
public sealed class SupplierCallbackTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string CallbackSecret = "whsec_YWNtZS1jYWxsYmFjay1zZWNyZXQtZm9yLXRlc3RzLTEyMzQ=";

    private static IntakeRequest Signed(FulfillmentHost host, string body, string secret = CallbackSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = host.Clock.GetUtcNow().ToUnixTimeSeconds();
        return new IntakeRequest(new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-id"] = id, ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = StandardWebhooks.Sign(secret, id, timestamp, bytes),
        }, bytes);
    }

    [Fact]
    public async Task Callback_SignedForPendingOrder_AcceptanceAppliedAndWorkflowWokenWithoutSweep()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.Host.ExecuteAsync("UPDATE fulfillment.suppliers SET callback_secret = @s WHERE id = 'acme'", ("s", CallbackSecret));
        await world.SetKnobsAsync(new { shipDelaySeconds = 600.0 });
        var runner = world.Host.Services.GetRequiredService<BurstRunner>();
        var orderId = await world.SubmitAsync(SampleOrders.Valid("CB-1", ("MUG-RED", 1)));
        while (world.Host.Dispatched.Ids.TryDequeue(out var id))
        {
            await runner.RunAsync(id);
        }

        var supplierOrderId = await world.Host.ScalarAsync<string>("SELECT supplier_order_id FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId));
        Assert.Equal("pending", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)));
        await Task.Delay(500); // the simulator (fast) decides 0.2 s after the order arrives

        var result = await world.Host.Services.GetRequiredService<SupplierCallbacks>().ReceiveAsync("acme", Signed(world.Host, $$"""{"supplierOrderId":"{{supplierOrderId}}"}"""), default);
        while (world.Host.Dispatched.Ids.TryDequeue(out var id))
        {
            await runner.RunAsync(id);
        }

        Assert.Equal(SupplierCallbackResult.Applied, result);
        Assert.NotEqual("pending", await world.Host.ScalarAsync<string>("SELECT status FROM fulfillment.supplier_orders WHERE order_id = @id", ("id", orderId)));
        Assert.Equal("placed", await world.OrderStatusAsync(orderId));
    }

    [Fact]
    public async Task Callback_BadSignatureOrUnknownOrder_RefusedAndNothingChanges()
    {
        await using var world = await SimulatedWorld.StartAsync(db.ConnectionString);
        await world.Host.ExecuteAsync("UPDATE fulfillment.suppliers SET callback_secret = @s WHERE id = 'acme'", ("s", CallbackSecret));
        var callbacks = world.Host.Services.GetRequiredService<SupplierCallbacks>();

        var forged = await callbacks.ReceiveAsync("acme", Signed(world.Host, """{"supplierOrderId":"acme-000001"}""", StandardWebhooks.NewSecret()), default);
        var noSecret = await callbacks.ReceiveAsync("globex", Signed(world.Host, """{"supplierOrderId":"globex-000001"}"""), default);
        var unknown = await callbacks.ReceiveAsync("acme", Signed(world.Host, """{"supplierOrderId":"acme-999999"}"""), default);
        var malformed = await callbacks.ReceiveAsync("acme", Signed(world.Host, """{"id":1}"""), default);

        Assert.Equal(SupplierCallbackResult.Unauthorized, forged);
        Assert.Equal(SupplierCallbackResult.Unauthorized, noSecret);
        Assert.Equal(SupplierCallbackResult.UnknownOrder, unknown);
        Assert.Equal(SupplierCallbackResult.Invalid, malformed);
    }
}
