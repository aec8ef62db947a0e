using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Intake.Formats;
using OrderFlow.Fulfillment.Merchants;
using OrderFlow.Fulfillment.Tests.Support;
using OrderFlow.Testing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Shopify and WooCommerce webhooks, with the sample payloads from those platforms' documentation.</summary>
public sealed class IntakeFormatTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string PlatformSecret = "shpss_platform-shared-secret-for-tests";

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    private static IntakeRequest Request(byte[] body, params (string Name, string? Value)[] headers) =>
        new(headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), body);

    private static async Task<FulfillmentHost> StartAsync(string connectionString, string merchant)
    {
        var host = await FulfillmentHost.StartAsync(connectionString);
        var admin = host.Services.GetRequiredService<MerchantAdmin>();
        await admin.CreateAsync(merchant, merchant, default);
        await admin.RotateAsync(merchant, PlatformSecret, TimeSpan.Zero, default);
        return host;
    }

    private static IIntakeFormat Format(FulfillmentHost host, string name) => host.Services.GetRequiredService<IntakeFormats>().Find(name)!;

    [Fact]
    public async Task Shopify_DocumentedOrdersCreateSample_MappedAndStored()
    {
        await using var host = await StartAsync(db.ConnectionString, "shopify-shop");
        var body = Sample("shopify-orders-create.json");

        var result = await host.Intake.ReceiveAsync("shopify-shop", Format(host, "shopify"), Request(body,
            ("X-Shopify-Topic", "orders/create"), ("X-Shopify-Hmac-Sha256", BodyHmac.Sign(PlatformSecret, body)), ("X-Shopify-Event-Id", "evt-1")), IntakeCompletion.Stored, default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        var id = result.OrderId!.Value;
        Assert.Equal("820982911946154508", await host.ScalarAsync<string>("SELECT merchant_order_id FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal("jon@example.com", await host.ScalarAsync<string>("SELECT customer->>'email' FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal("US|KY|40003|Steve Shipper", await host.ScalarAsync<string>(
            "SELECT concat_ws('|', shipping_address->>'country', shipping_address->>'region', shipping_address->>'postalCode', shipping_address->>'name') FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(398m, await host.ScalarAsync<decimal>("SELECT total FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(2L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.order_lines WHERE order_id = @id AND sku = 'IPOD2008PINK'", ("id", id)));
        Assert.Equal(["tag1", "tag2"], await host.ScalarAsync<string[]>("SELECT tags FROM fulfillment.orders WHERE id = @id", ("id", id)) ?? []);
    }

    [Fact]
    public async Task Shopify_ResentUnderSameOrNewEventId_SameOrderNothingStoredTwice()
    {
        await using var host = await StartAsync(db.ConnectionString, "shopify-dup");
        var body = Sample("shopify-orders-create.json");
        var signature = BodyHmac.Sign(PlatformSecret, body);

        var first = await host.Intake.ReceiveAsync("shopify-dup", Format(host, "shopify"), Request(body, ("X-Shopify-Hmac-Sha256", signature), ("X-Shopify-Event-Id", "evt-7")), IntakeCompletion.Stored, default);
        var sameEvent = await host.Intake.ReceiveAsync("shopify-dup", Format(host, "shopify"), Request(body, ("X-Shopify-Hmac-Sha256", signature), ("X-Shopify-Event-Id", "evt-7")), IntakeCompletion.Stored, default);
        var newEvent = await host.Intake.ReceiveAsync("shopify-dup", Format(host, "shopify"), Request(body, ("X-Shopify-Hmac-Sha256", signature), ("X-Shopify-Event-Id", "evt-8")), IntakeCompletion.Stored, default);

        Assert.Equal(IntakeOutcome.Duplicate, sameEvent.Outcome);
        Assert.Equal(IntakeOutcome.Duplicate, newEvent.Outcome);
        Assert.Equal(first.OrderId, newEvent.OrderId);
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_id = 'shopify-dup'"));
    }

    [Theory]
    [InlineData("shopify", "X-Shopify-Hmac-Sha256")]
    [InlineData("woocommerce", "X-WC-Webhook-Signature")]
    public async Task Platform_SignatureOfChangedBodyOrOtherSecret_UnauthorizedNothingStored(string format, string header)
    {
        await using var host = await StartAsync(db.ConnectionString, $"{format}-bad");
        var body = Sample(format == "shopify" ? "shopify-orders-create.json" : "woocommerce-order-created.json");
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"quantity\": 1", "\"quantity\": 9"));

        var changedBody = await host.Intake.ReceiveAsync($"{format}-bad", Format(host, format), Request(tampered, (header, BodyHmac.Sign(PlatformSecret, body))), IntakeCompletion.Stored, default);
        var otherSecret = await host.Intake.ReceiveAsync($"{format}-bad", Format(host, format), Request(body, (header, BodyHmac.Sign("another-merchants-secret-123", body))), IntakeCompletion.Stored, default);
        var missing = await host.Intake.ReceiveAsync($"{format}-bad", Format(host, format), Request(body), IntakeCompletion.Stored, default);

        Assert.All(new[] { changedBody, otherSecret, missing }, r => Assert.Equal(IntakeOutcome.Unauthorized, r.Outcome));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_id = @m", ("m", $"{format}-bad")));
    }

    [Fact]
    public async Task Shopify_OtherTopic_IgnoredNothingStored()
    {
        await using var host = await StartAsync(db.ConnectionString, "shopify-topic");
        var body = Sample("shopify-orders-create.json");

        var result = await host.Intake.ReceiveAsync("shopify-topic", Format(host, "shopify"), Request(body,
            ("X-Shopify-Topic", "orders/updated"), ("X-Shopify-Hmac-Sha256", BodyHmac.Sign(PlatformSecret, body))), IntakeCompletion.Stored, default);

        Assert.Equal(IntakeOutcome.Ignored, result.Outcome);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_id = 'shopify-topic'"));
    }

    [Fact]
    public async Task WooCommerce_DocumentedOrderSample_MappedWithSkuFallbackAndStored()
    {
        await using var host = await StartAsync(db.ConnectionString, "woo-shop");
        var body = Sample("woocommerce-order-created.json");

        var result = await host.Intake.ReceiveAsync("woo-shop", Format(host, "woocommerce"), Request(body,
            ("X-WC-Webhook-Topic", "order.created"), ("X-WC-Webhook-Signature", BodyHmac.Sign(PlatformSecret, body)), ("X-WC-Webhook-Delivery-ID", "d-1")), IntakeCompletion.Stored, default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        var id = result.OrderId!.Value;
        Assert.Equal("727", await host.ScalarAsync<string>("SELECT merchant_order_id FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal("john.doe@example.com|San Francisco|94103", await host.ScalarAsync<string>(
            "SELECT concat_ws('|', customer->>'email', shipping_address->>'city', shipping_address->>'postalCode') FROM fulfillment.orders WHERE id = @id", ("id", id)));
        Assert.Equal(["Bar3", "woo-product-93"], await host.ScalarAsync<string[]>("SELECT array_agg(sku ORDER BY sku) FROM fulfillment.order_lines WHERE order_id = @id", ("id", id)) ?? []);
        Assert.Equal(18m, await host.ScalarAsync<decimal>("SELECT total FROM fulfillment.orders WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task Rotation_DuringOverlapBothSecretsWork_AfterItOnlyTheNewOne()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        var admin = host.Services.GetRequiredService<MerchantAdmin>();
        var created = await admin.CreateAsync("rotating", "Rotating shop", default);
        var old = created.Value!.Secret;

        var rotated = await admin.RotateAsync("rotating", null, TimeSpan.FromHours(1), default);
        var oldDuringOverlap = await host.Intake.ReceiveAsync("rotating", host.Sign(SampleOrders.Valid("R-1").ToJsonString(), secret: old), default);
        var newDuringOverlap = await host.Intake.ReceiveAsync("rotating", host.Sign(SampleOrders.Valid("R-2").ToJsonString(), secret: rotated.Value!.Secret), default);
        host.Clock.Advance(TimeSpan.FromMinutes(61));
        var oldAfter = await host.Intake.ReceiveAsync("rotating", host.Sign(SampleOrders.Valid("R-3").ToJsonString(), secret: old), default);
        var newAfter = await host.Intake.ReceiveAsync("rotating", host.Sign(SampleOrders.Valid("R-4").ToJsonString(), secret: rotated.Value!.Secret), default);

        Assert.StartsWith("whsec_", old);
        Assert.Equal(IntakeOutcome.Accepted, oldDuringOverlap.Outcome);
        Assert.Equal(IntakeOutcome.Accepted, newDuringOverlap.Outcome);
        Assert.Equal(IntakeOutcome.Unauthorized, oldAfter.Outcome);
        Assert.Equal(IntakeOutcome.Accepted, newAfter.Outcome);
    }

    [Fact]
    public async Task Batch_SomeAlreadyReceivedOneInvalid_CreatesOnlyTheMissingOnes()
    {
        await using var host = await FulfillmentHost.StartAsync(db.ConnectionString);
        await host.Intake.ReceiveAsync(FulfillmentHost.MerchantId, host.Sign(SampleOrders.Valid("B-1").ToJsonString()), default);
        var invalid = SampleOrders.Valid("B-4");
        invalid["currency"] = "euro";
        var batch = new System.Text.Json.Nodes.JsonObject
        {
            ["orders"] = new System.Text.Json.Nodes.JsonArray(SampleOrders.Valid("B-1"), SampleOrders.Valid("B-2"), SampleOrders.Valid("B-3"), invalid),
        };
        var signed = host.Sign(batch.ToJsonString());

        var result = await host.Intake.ReceiveBatchAsync(FulfillmentHost.MerchantId, Request(signed.Body.ToArray(),
            ("webhook-id", signed.Id), ("webhook-timestamp", signed.Timestamp), ("webhook-signature", signed.Signature)), default);

        Assert.Null(result.Problem);
        Assert.Equal([IntakeOutcome.Duplicate, IntakeOutcome.Accepted, IntakeOutcome.Accepted, IntakeOutcome.Invalid], result.Orders.Select(o => o.Result.Outcome));
        Assert.Contains("currency", result.Orders[3].Result.Errors!.Keys);
        Assert.Equal(3L, await host.ScalarAsync<long>("SELECT count(*) FROM fulfillment.orders WHERE merchant_order_id LIKE 'B-%'"));
    }
}
