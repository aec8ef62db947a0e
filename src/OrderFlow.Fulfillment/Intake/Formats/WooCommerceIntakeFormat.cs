using System.Text;
using System.Text.Json;
using OrderFlow.Fulfillment.Webhooks;
using static OrderFlow.Fulfillment.Intake.Formats.PlatformJson;

namespace OrderFlow.Fulfillment.Intake.Formats;

/// <summary>
/// WooCommerce's order webhook (topic <c>order.created</c>): <c>X-WC-Webhook-Signature</c> is the base64 HMAC-SHA256 of the
/// raw body with the webhook's secret; <c>X-WC-Webhook-Delivery-ID</c> identifies the delivery. The ping WooCommerce sends
/// when a webhook is saved (<c>webhook_id=…</c>, unsigned) is acknowledged and ignored.
/// </summary>
public sealed class WooCommerceIntakeFormat : IIntakeFormat
{
    public const string SignatureHeader = "X-WC-Webhook-Signature";

    public string Name => "woocommerce";

    public WebhookVerification Verify(IReadOnlyList<string> secrets, IntakeRequest request, DateTimeOffset now) =>
        BodyHmac.Verify(secrets, request.Header(SignatureHeader), request.Body.Span, SignatureHeader);

    public string? DeliveryId(IntakeRequest request) => request.Header("X-WC-Webhook-Delivery-ID");

    public string? Ignore(IntakeRequest request) =>
        request.Header("X-WC-Webhook-Topic") is { } topic && topic != "order.created" ? $"Topic '{topic}' is not an order creation; nothing stored." : null;

    /// <summary>True for the unsigned ping sent when the merchant saves the webhook in WooCommerce.</summary>
    public static bool IsPing(IntakeRequest request) =>
        request.Header(SignatureHeader) is null && request.Body.Length < 100 && Encoding.UTF8.GetString(request.Body.Span).StartsWith("webhook_id=", StringComparison.Ordinal);

    public IntakeMapping Map(ReadOnlyMemory<byte> body)
    {
        if (!TryParse(body, out var order, out var error))
        {
            return error!;
        }

        var billing = Object(order, "billing");
        var shipping = Object(order, "shipping");
        var lines = Array(order, "line_items").Select(item => new IntakeLine(
            Text(item, "id"),
            Text(item, "sku") ?? (Text(item, "product_id") is { } product
                ? "woo-product-" + product + (Int(item, "variation_id") is > 0 and var v ? $"-{v}" : "")
                : null),
            Text(item, "name"),
            Int(item, "quantity"),
            Money(item, "price"))).ToList();
        return IntakeMapping.Of(new IntakeOrder(
            Text(order, "id"),
            DateTimeOffset.TryParse(Text(order, "date_created_gmt") is { } gmt ? gmt + "Z" : null, out var created) ? created : null,
            Text(order, "currency"),
            new IntakeCustomer(Join(Text(billing, "first_name"), Text(billing, "last_name")), Text(billing, "email"), Phone(Text(billing, "phone"))),
            new IntakeAddress(Join(Text(shipping, "first_name"), Text(shipping, "last_name")), Text(shipping, "address_1"), Text(shipping, "address_2"),
                Text(shipping, "city"), Text(shipping, "postcode"), Text(shipping, "state"), Text(shipping, "country")),
            lines,
            []));
    }
}
