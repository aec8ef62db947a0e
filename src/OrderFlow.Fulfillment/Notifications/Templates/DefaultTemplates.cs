namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>
/// The built-in message per event and channel, used where the merchant has not saved one of its own. They are plain
/// Liquid like a merchant's, so <c>GET …/templates/{event}/{channel}</c> hands them out as a starting point.
/// </summary>
public static class DefaultTemplates
{
    private const string ParcelsText = """
        {% if parcels.size > 0 %}
        {% for p in parcels %}- {{ p.carrier }} {{ p.tracking_number }}{% if p.tracking_url %}: {{ p.tracking_url }}{% endif %}{% if p.estimated_delivery %} (expected {{ p.estimated_delivery | date: "%b %-d" }}){% endif %}
        {% endfor %}{% endif %}
        """;

    private const string ParcelsHtml = """
        {% if parcels.size > 0 %}<ul>{% for p in parcels %}<li>{{ p.carrier }} <strong>{{ p.tracking_number }}</strong>{% if p.tracking_url %} · <a href="{{ p.tracking_url }}">track with the carrier</a>{% endif %}{% if p.estimated_delivery %} · expected {{ p.estimated_delivery | date: "%b %-d" }}{% endif %}</li>{% endfor %}</ul>{% endif %}
        """;

    private static readonly Dictionary<string, (string Subject, string Lead, string Sms)> Events = new(StringComparer.Ordinal)
    {
        [NotificationEvents.Shipped] = (
            "Your order {{ order.number }} is on its way",
            "Good news: your order has shipped{% if parcels.size > 1 %} in {{ parcels.size }} parcels{% endif %}.",
            "has shipped"),
        [NotificationEvents.OutForDelivery] = (
            "Your order {{ order.number }} is out for delivery",
            "Your parcel{% if parcel %} {{ parcel.tracking_number }}{% endif %} is out for delivery today.",
            "is out for delivery today"),
        [NotificationEvents.Delivered] = (
            "Your order {{ order.number }} has been delivered",
            "Your order has been delivered. Enjoy!",
            "has been delivered"),
        [NotificationEvents.AttemptFailed] = (
            "We missed you: order {{ order.number }}",
            "{{ parcel.carrier | default: \"The carrier\" }} tried to deliver your parcel but could not. They will try again or tell you where to collect it.",
            "could not be delivered; the carrier will try again"),
        [NotificationEvents.AvailableForPickup] = (
            "Your order {{ order.number }} is ready for pickup",
            "Your parcel is waiting for you at a pickup point. Bring an ID to collect it.",
            "is ready for pickup"),
        [NotificationEvents.Exception] = (
            "A delay with your order {{ order.number }}",
            "There is a problem with the delivery of your order. We are on it and will keep you posted.",
            "is delayed; we are on it"),
        [NotificationEvents.Cancelled] = (
            "Your order {{ order.number }} has been cancelled",
            "Your order has been cancelled. If you did not expect this, reply to this e-mail.",
            "has been cancelled"),
    };

    /// <summary>The default for <paramref name="event"/> on <paramref name="channel"/>; throws for an unknown one.</summary>
    public static MessageTemplate For(string @event, string channel)
    {
        if (!Events.TryGetValue(@event, out var e))
        {
            throw new ArgumentException($"Unknown notification event '{@event}'.", nameof(@event));
        }

        return channel switch
        {
            NotificationChannels.Email => new MessageTemplate(e.Subject, Text(e.Lead), Html(e.Lead)),
            NotificationChannels.Sms => new MessageTemplate(null, $"{{{{ merchant.name }}}}: your order {{{{ order.number }}}} {e.Sms}. {{{{ tracking_page_url }}}}", null),
            _ => throw new ArgumentException($"Unknown notification channel '{channel}'.", nameof(channel)),
        };
    }

    private static string Text(string lead) => $"""
        Hello {"{{ customer.name }}"},

        {lead}
        {ParcelsText}
        Follow your order: {"{{ tracking_page_url }}"}

        {"{{ merchant.name }}"}, order {"{{ order.number }}"}
        """;

    private static string Html(string lead) => $"""
        <!doctype html>
        <html><body style="font-family:system-ui,sans-serif;color:#1d2330;line-height:1.5">
        <p>Hello {"{{ customer.name }}"},</p>
        <p>{lead}</p>
        {ParcelsHtml}
        <p><a href="{"{{ tracking_page_url }}"}" style="color:#2455c3">Follow your order</a></p>
        <p style="color:#667">{"{{ merchant.name }}"}, order {"{{ order.number }}"}</p>
        </body></html>
        """;
}
