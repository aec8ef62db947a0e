using System.Globalization;
using System.Net;
using System.Text;

namespace OrderFlow.Fulfillment.Tracking;

/// <summary>
/// Renders the public tracking page: plain HTML with a linked stylesheet and no script, so a strict Content-Security-Policy
/// (no inline anything) can be applied, and it reads on a phone without JavaScript.
/// </summary>
public static class TrackingPageHtml
{
    public const string StylesheetPath = "/track/assets/track.css";

    private static readonly Dictionary<string, string> ParcelLabels = new(StringComparer.Ordinal)
    {
        [ParcelStatuses.Pending] = "Label created",
        [ParcelStatuses.InfoReceived] = "Carrier informed",
        [ParcelStatuses.InTransit] = "In transit",
        [ParcelStatuses.OutForDelivery] = "Out for delivery",
        [ParcelStatuses.AttemptFail] = "Delivery attempt failed",
        [ParcelStatuses.AvailableForPickup] = "Ready for pickup",
        [ParcelStatuses.Delivered] = "Delivered",
        [ParcelStatuses.Exception] = "Delayed",
        [ParcelStatuses.Expired] = "No recent news",
    };

    private static readonly Dictionary<string, string> OrderLabels = new(StringComparer.Ordinal)
    {
        ["received"] = "Order received",
        ["routed"] = "Being prepared",
        ["placed"] = "Being prepared",
        ["partially_shipped"] = "Partly shipped",
        ["shipped"] = "Shipped",
        ["delivered"] = "Delivered",
        ["exception"] = "Delayed",
        ["cancelled"] = "Cancelled",
    };

    public static string Render(TrackingPageModel m)
    {
        var html = new StringBuilder(4096);
        html.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>Order {E(m.OrderNumber)} · {E(m.ShopName)}</title>
            <link rel="stylesheet" href="{StylesheetPath}">
            </head>
            <body>
            <main>
            <header>
            <p class="shop">{E(m.ShopName)}</p>
            <h1>Order {E(m.OrderNumber)}</h1>
            <p class="status status-{E(m.OrderStatus)}">{E(OrderLabels.GetValueOrDefault(m.OrderStatus, m.OrderStatus))}</p>
            <p class="muted">Ordered {E(Date(m.OrderedAt))}</p>
            </header>

            """);
        for (var i = 0; i < m.Parcels.Count; i++)
        {
            AppendParcel(html, m.Parcels[i], i + 1, m.Parcels.Count);
        }

        if (m.UnshippedItems.Count > 0)
        {
            html.Append("<section class=\"card\">\n<h2>Not shipped yet</h2>\n");
            AppendItems(html, m.UnshippedItems);
            html.Append("<p class=\"muted\">We will add tracking here as soon as these items leave the warehouse.</p>\n</section>\n");
        }

        html.Append("<footer class=\"muted\">This page updates as the carrier reports progress. Keep the link private: anyone with it can see this page.</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendParcel(StringBuilder html, TrackingPageParcel p, int number, int count)
    {
        var label = ParcelLabels.GetValueOrDefault(p.Status, p.Status);
        html.Append($"""
            <section class="card parcel">
            <div class="parcel-head">
            <h2>{(count > 1 ? $"Parcel {number} of {count}" : "Your parcel")}</h2>
            <span class="badge badge-{E(p.Status)}">{E(label)}</span>
            </div>
            <dl>
            <div><dt>Carrier</dt><dd>{E(p.Carrier)}</dd></div>
            <div><dt>Tracking number</dt><dd class="mono">{(p.TrackingUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http"
                ? $"<a href=\"{E(url)}\" rel=\"noopener noreferrer\">{E(p.TrackingNumber)}</a>" : E(p.TrackingNumber))}</dd></div>
            {(p.Status == ParcelStatuses.Delivered ? "" : $"<div><dt>Estimated delivery</dt><dd>{(p.EstimatedDelivery is { } eta ? E(Day(eta)) : "Not known yet")}</dd></div>")}
            </dl>

            """);
        if (p.Items.Count > 0)
        {
            AppendItems(html, p.Items);
        }

        if (p.Checkpoints.Count == 0)
        {
            html.Append("<p class=\"muted\">The carrier has not scanned this parcel yet.</p>\n");
        }
        else
        {
            html.Append("<ol class=\"timeline\">\n");
            for (var i = 0; i < p.Checkpoints.Count; i++)
            {
                var c = p.Checkpoints[i];
                html.Append($"""
                    <li{(i == 0 ? " class=\"latest\"" : "")}><time datetime="{c.OccurredAt.ToString("O", CultureInfo.InvariantCulture)}">{E(Date(c.OccurredAt))}</time>
                    <strong>{E(ParcelLabels.GetValueOrDefault(c.Status, c.Status))}</strong>{(string.IsNullOrWhiteSpace(c.Message) ? "" : $"<span>{E(c.Message)}</span>")}{(string.IsNullOrWhiteSpace(c.Location) ? "" : $"<span class=\"muted\">{E(c.Location)}</span>")}</li>

                    """);
            }

            html.Append("</ol>\n");
        }

        html.Append("</section>\n");
    }

    private static void AppendItems(StringBuilder html, IReadOnlyList<TrackingPageItem> items)
    {
        html.Append("<ul class=\"items\">");
        foreach (var item in items)
        {
            html.Append($"<li><span>{E(item.Name)}</span><span class=\"muted\">× {item.Quantity}</span></li>");
        }

        html.Append("</ul>\n");
    }

    private static string Date(DateTime utc) => utc.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Day(DateTime utc) => utc.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
}
