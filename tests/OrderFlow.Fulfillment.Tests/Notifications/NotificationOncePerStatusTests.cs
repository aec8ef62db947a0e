using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Fulfillment.Tracking;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests.Notifications;

/// <summary>One message per status change and channel, whatever the number of checkpoints; SMS only where it is on and a number is known.</summary>
public sealed class NotificationOncePerStatusTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Secret = "aftership-test-secret";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["OrderFlow:CarrierWebhooks:AfterShipSecret"] = Secret,
        ["OrderFlow:Sms:Enabled"] = "true",
        ["OrderFlow:Sms:ProviderUrl"] = "http://127.0.0.1:9/sms",
        ["OrderFlow:Sms:Token"] = "t",
    };

    [Fact]
    public async Task Receive_SeveralCheckpointsWithTheSameStatus_CustomerToldOncePerChannel()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        await host.ExecuteAsync("UPDATE fulfillment.merchants SET sms_enabled = true WHERE id = @m", ("m", FulfillmentHost.MerchantId));
        var (orderId, tracking) = await AfterShipParcels.OrderWithParcelAsync(host, "ONCE-1");
        var intake = host.Services.GetRequiredService<CarrierWebhookIntake>();
        byte[][] updates =
        [
            AfterShipParcels.Payload("evt-once-1", tracking, "InTransit", ("InTransit", -9)),
            AfterShipParcels.Payload("evt-once-2", tracking, "InTransit", ("InTransit", -9), ("InTransit", -7)),
            AfterShipParcels.Payload("evt-once-3", tracking, "OutForDelivery", ("InTransit", -9), ("InTransit", -7), ("OutForDelivery", -3)),
            AfterShipParcels.Payload("evt-once-4", tracking, "OutForDelivery", ("InTransit", -9), ("InTransit", -7), ("OutForDelivery", -3), ("OutForDelivery", -2)),
            AfterShipParcels.Payload("evt-once-5", tracking, "OutForDelivery", ("OutForDelivery", -1)),
        ];

        foreach (var body in updates)
        {
            Assert.Equal(CarrierWebhookOutcome.Applied, await intake.ReceiveAfterShipAsync(body, CarrierWebhookIntake.Sign(Secret, body), default));
        }

        // At least three checkpoints out for delivery (more if the payloads straddled a second: their ids hold the time).
        Assert.True(await host.ScalarAsync<long>("""
            SELECT count(*) FROM fulfillment.tracking_events e JOIN fulfillment.parcels p ON p.id = e.parcel_id
            WHERE p.tracking_number = @t AND e.status = 'OutForDelivery'
            """, ("t", tracking)) >= 3);
        var sent = await host.ScalarAsync<string[]>("SELECT array_agg(template || '/' || channel ORDER BY channel) FROM fulfillment.notifications WHERE order_id = @o", ("o", orderId)) ?? [];
        Assert.Equal(["out_for_delivery/email", "out_for_delivery/sms"], sent);
    }

    [Fact]
    public async Task Record_SmsOffForMerchantOrNoPhone_EmailOnly()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString, Settings);
        await host.ExecuteAsync("UPDATE fulfillment.merchants SET sms_enabled = false WHERE id = @m", ("m", FulfillmentHost.MerchantId));
        var smsOff = await ReceiveAsync(host, "ONCE-2", "+4915112345678");
        await RecordCancelledAsync(host, smsOff);
        await host.ExecuteAsync("UPDATE fulfillment.merchants SET sms_enabled = true WHERE id = @m", ("m", FulfillmentHost.MerchantId));
        var noPhone = await ReceiveAsync(host, "ONCE-3", null);
        var withPhone = await ReceiveAsync(host, "ONCE-4", "+4915112345678");

        await RecordCancelledAsync(host, noPhone);
        await RecordCancelledAsync(host, withPhone);

        Assert.Equal(["email"], await ChannelsAsync(host, smsOff));
        Assert.Equal(["email"], await ChannelsAsync(host, noPhone));
        Assert.Equal(["email", "sms"], await ChannelsAsync(host, withPhone));
        Assert.Equal("+4915112345678", await host.ScalarAsync<string>("SELECT recipient FROM fulfillment.notifications WHERE order_id = @o AND channel = 'sms'", ("o", withPhone)));
    }

    [Theory]
    [InlineData("+4915112345678", "+4915112345678")]
    [InlineData("+49 151 1234-5678", "+4915112345678")]
    [InlineData("0049 (151) 12345678", "+4915112345678")]
    [InlineData("015112345678", null)]
    [InlineData("call me", null)]
    [InlineData(null, null)]
    public void ToE164_CustomerPhone_NumberOrNone(string? phone, string? expected) => Assert.Equal(expected, PhoneNumbers.ToE164(phone));

    [Theory]
    [InlineData("email", "ada.lovelace@example.com", "a***@example.com")]
    [InlineData("sms", "+4915112345678", "+49*******5678")]
    [InlineData("sms", "+12345", "***")]
    public void Mask_Recipient_MostOfItHidden(string channel, string recipient, string expected) => Assert.Equal(expected, PhoneNumbers.Mask(channel, recipient));

    private static async Task<Guid> ReceiveAsync(FulfillmentHost host, string merchantOrderId, string? phone)
    {
        var order = SampleOrders.Valid(merchantOrderId);
        order["customer"]!["phone"] = phone;
        return (await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(order.ToJsonString()), default)).OrderId!.Value;
    }

    private static async Task RecordCancelledAsync(FulfillmentHost host, Guid orderId)
    {
        await using var connection = await host.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await host.Services.GetRequiredService<CustomerNotifier>().RecordAsync(connection, tx, orderId, NotificationEvents.Cancelled, default);
        await tx.CommitAsync();
    }

    private static async Task<string[]> ChannelsAsync(FulfillmentHost host, Guid orderId) =>
        await host.ScalarAsync<string[]>("SELECT array_agg(channel ORDER BY channel) FROM fulfillment.notifications WHERE order_id = @o", ("o", orderId)) ?? [];
}
