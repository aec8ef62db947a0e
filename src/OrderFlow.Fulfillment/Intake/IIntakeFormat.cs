using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>
/// One way merchants send orders (Standard Webhooks with OrderFlow's order format, Shopify, WooCommerce): how the request
/// is signed, which header identifies the delivery, and how the body maps onto <see cref="IntakeOrder"/>.
/// </summary>
public interface IIntakeFormat
{
    /// <summary>The path segment and the name stored with dedupe records: "standard", "shopify", "woocommerce".</summary>
    string Name { get; }

    /// <summary>Checks the signature over the raw body with each of the merchant's valid secrets, in constant time.</summary>
    WebhookVerification Verify(IReadOnlyList<string> secrets, IntakeRequest request, DateTimeOffset now);

    /// <summary>The sender's id of this delivery (resent deliveries carry the same one), for dedupe.</summary>
    string? DeliveryId(IntakeRequest request);

    /// <summary>A reason to acknowledge without storing (a ping, another topic), or null for an order.</summary>
    string? Ignore(IntakeRequest request);

    /// <summary>The order in OrderFlow's model, or the field errors (named in the sender's own terms).</summary>
    IntakeMapping Map(ReadOnlyMemory<byte> body);
}

/// <summary>The request as intake sees it: headers (case-insensitive) and the raw body.</summary>
public sealed record IntakeRequest(IReadOnlyDictionary<string, string?> Headers, ReadOnlyMemory<byte> Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A mapped order, or why the body could not be mapped.</summary>
public sealed record IntakeMapping(IntakeOrder? Order, Dictionary<string, string[]>? Errors)
{
    public static IntakeMapping Of(IntakeOrder order) => new(order, null);

    public static IntakeMapping Invalid(string field, string message) => new(null, new() { [field] = [message] });
}
