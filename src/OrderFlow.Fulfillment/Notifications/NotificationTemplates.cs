using System.Net;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>
/// The default customer messages per event: a subject, a plain-text body and an HTML body. One message per status change.
/// </summary>
public static class NotificationTemplates
{
    public static readonly IReadOnlyList<string> Names = ["shipped", "out_for_delivery", "delivered", "attempt_failed", "available_for_pickup", "exception", "cancelled"];

    public static RenderedMessage Render(string template, NotificationModel m)
    {
        var (subject, lead) = template switch
        {
            "shipped" => ($"Your order {m.OrderNumber} is on its way", "Good news: your order has shipped."),
            "out_for_delivery" => ($"Your order {m.OrderNumber} is out for delivery", "Your parcel is out for delivery today."),
            "delivered" => ($"Your order {m.OrderNumber} has been delivered", "Your order has been delivered. Enjoy!"),
            "attempt_failed" => ($"We missed you: order {m.OrderNumber}", "The carrier tried to deliver your parcel but could not."),
            "available_for_pickup" => ($"Your order {m.OrderNumber} is ready for pickup", "Your parcel is waiting for you at a pickup point."),
            "exception" => ($"A delay with your order {m.OrderNumber}", "There is a problem with your order; we are on it and will keep you posted."),
            "cancelled" => ($"Your order {m.OrderNumber} has been cancelled", "Your order has been cancelled."),
            _ => throw new ArgumentException($"Unknown notification template '{template}'.", nameof(template)),
        };

        var parcelsText = string.Join("\n", m.Parcels.Select(p => $"  {p.Carrier} {p.TrackingNumber}{(p.TrackingUrl is null ? "" : $" — {p.TrackingUrl}")}"));
        var text = $"""
            Hello {m.CustomerName},

            {lead}

            {(m.Parcels.Count > 0 ? "Parcels:\n" + parcelsText + "\n\n" : "")}Follow your order: {m.TrackingPageUrl}

            Order {m.OrderNumber}
            """;
        var parcelsHtml = string.Concat(m.Parcels.Select(p =>
            $"<li>{E(p.Carrier)} <strong>{E(p.TrackingNumber)}</strong>{(p.TrackingUrl is null ? "" : $" — <a href=\"{E(p.TrackingUrl)}\">track</a>")}</li>"));
        var html = $"""
            <!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2330">
            <p>Hello {E(m.CustomerName)},</p><p>{E(lead)}</p>
            {(m.Parcels.Count > 0 ? $"<ul>{parcelsHtml}</ul>" : "")}
            <p><a href="{E(m.TrackingPageUrl)}">Follow your order</a></p>
            <p style="color:#667">Order {E(m.OrderNumber)}</p></body></html>
            """;
        return new RenderedMessage(subject, text, html);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}

/// <summary>What a customer message says.</summary>
public sealed record NotificationModel(string CustomerName, string OrderNumber, string TrackingPageUrl, IReadOnlyList<ParcelModel> Parcels);

/// <summary>A parcel as the customer sees it.</summary>
public sealed record ParcelModel(string Carrier, string TrackingNumber, string? TrackingUrl);

/// <summary>A rendered message.</summary>
public sealed record RenderedMessage(string Subject, string Text, string Html);
