using System.Text.Json;
using OrderFlow.Fulfillment.Webhooks;
using static OrderFlow.Fulfillment.Intake.Formats.PlatformJson;

namespace OrderFlow.Fulfillment.Intake.Formats;

/// <summary>
/// Shopify's <c>orders/create</c> webhook: <c>X-Shopify-Hmac-Sha256</c> is the base64 HMAC-SHA256 of the raw body with the
/// app's shared secret; <c>X-Shopify-Event-Id</c> identifies the delivery (Shopify resends the same one), and the Shopify
/// order id is the merchant order id, so a resend under a new event id is still the same order.
/// </summary>
public sealed class ShopifyIntakeFormat : IIntakeFormat
{
    public const string SignatureHeader = "X-Shopify-Hmac-Sha256";

    public string Name => "shopify";

    public WebhookVerification Verify(IReadOnlyList<string> secrets, IntakeRequest request, DateTimeOffset now) =>
        BodyHmac.Verify(secrets, request.Header(SignatureHeader), request.Body.Span, SignatureHeader);

    public string? DeliveryId(IntakeRequest request) => request.Header("X-Shopify-Event-Id") ?? request.Header("X-Shopify-Webhook-Id");

    public string? Ignore(IntakeRequest request) =>
        request.Header("X-Shopify-Topic") is { } topic && topic != "orders/create" ? $"Topic '{topic}' is not an order creation; nothing stored." : null;

    public IntakeMapping Map(ReadOnlyMemory<byte> body)
    {
        if (!TryParse(body, out var order, out var error))
        {
            return error!;
        }

        var customer = Object(order, "customer");
        var address = Object(order, "shipping_address");
        var lines = Array(order, "line_items").Select(item => new IntakeLine(
            Text(item, "id"),
            // Products without a SKU are still identified: by their variant.
            Text(item, "sku") ?? (Text(item, "variant_id") is { } variant ? $"shopify-variant-{variant}" : null),
            Text(item, "name") ?? Text(item, "title"),
            Int(item, "quantity"),
            Money(item, "price"))).ToList();
        return IntakeMapping.Of(new IntakeOrder(
            Text(order, "id"),
            DateTimeOffset.TryParse(Text(order, "created_at"), out var created) ? created : null,
            Text(order, "currency"),
            new IntakeCustomer(
                Join(Text(customer, "first_name"), Text(customer, "last_name")) ?? Text(address, "name"),
                Text(order, "email") ?? Text(order, "contact_email") ?? Text(customer, "email"),
                Phone(Text(order, "phone") ?? Text(customer, "phone") ?? Text(address, "phone"))),
            address.ValueKind == JsonValueKind.Object
                ? new IntakeAddress(Text(address, "name") ?? Join(Text(address, "first_name"), Text(address, "last_name")), Text(address, "address1"),
                    Text(address, "address2"), Text(address, "city"), Text(address, "zip"), Text(address, "province_code"), Text(address, "country_code"))
                : null,
            lines,
            Tags(Text(order, "tags"))));
    }
}
