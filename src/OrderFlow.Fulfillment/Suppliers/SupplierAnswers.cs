using System.Text.Json;
using System.Text.RegularExpressions;
using OrderFlow.Fulfillment.Intake;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// What a supplier answers is untrusted input: before OrderFlow uses or stores it, every field it keeps is checked for
/// presence, length, printable text, sane numbers and, for tracking links shown to customers, an http or https URL.
/// Problems name the field and the rule, never the value (it may be huge or hostile). Unknown statuses are not problems:
/// they map onto safe defaults where they are used (<see cref="Tracking.SupplierOrderSync"/>, <see cref="Tracking.ParcelStatuses"/>).
/// </summary>
public static partial class SupplierAnswers
{
    public const int MaxLines = 1_000;
    public const int MaxShipments = 100;
    public const int MaxEvents = 1_000;
    public const int MaxQuantity = 100_000;
    public const int MaxAvailable = 10_000_000;
    public const decimal MaxPrice = 100_000_000m;

    /// <summary>The first problem of a supplier order answer, or null when it may be used.</summary>
    public static string? ProblemWith(SupplierOrderDto? order)
    {
        if (order is null)
        {
            return "the answer is empty";
        }

        var problem = Text(order.Id, "id", 200) ?? Text(order.Reference, "reference", 200) ?? Text(order.Status, "status", 50);
        if (problem is not null)
        {
            return problem;
        }

        if (order.Lines is null || order.Lines.Count > MaxLines)
        {
            return $"lines is missing or has more than {MaxLines} entries";
        }

        for (var i = 0; i < order.Lines.Count; i++)
        {
            if (LineProblem(order.Lines[i], $"lines[{i}]") is { } lineProblem)
            {
                return lineProblem;
            }
        }

        if (order.Rejection is { } rejection
            && (Text(rejection.Reason, "rejection.reason", 100) ?? Text(rejection.Message, "rejection.message", 1_000, required: false)) is { } rejected)
        {
            return rejected;
        }

        if (order.Shipments is { Count: > MaxShipments })
        {
            return $"shipments has more than {MaxShipments} entries";
        }

        for (var i = 0; i < (order.Shipments?.Count ?? 0); i++)
        {
            if (ShipmentProblem(order.Shipments![i], $"shipments[{i}]") is { } shipmentProblem)
            {
                return shipmentProblem;
            }
        }

        return null;
    }

    /// <summary>The first problem of a catalogue item, or null when routing may rely on it.</summary>
    public static string? ProblemWith(CatalogItem? item) =>
        item is null ? "the item is empty"
        : Text(item.Sku, "sku", 200) ?? Text(item.Name, "name", 500, required: false)
          ?? (item.Available is < 0 or > MaxAvailable ? $"available is not between 0 and {MaxAvailable}" : null)
          ?? (item.UnitPrice is < 0 or > MaxPrice || item.ShippingPrice is < 0 or > MaxPrice ? $"a price is not between 0 and {MaxPrice}" : null)
          ?? (CurrencyPattern().IsMatch(item.Currency ?? "") ? null : "currency is not an ISO 4217 code");

    /// <summary>
    /// True for exceptions that mean the supplier's answer could not be read into the protocol's shapes: malformed JSON,
    /// or required parts missing so that mapping failed. Refit reports a success answer it could not deserialize as an
    /// <c>ApiException</c> with the 2xx status.
    /// </summary>
    public static bool IsUnreadable(Exception e) =>
        e is JsonException or NullReferenceException or ArgumentException or FormatException or InvalidCastException or OverflowException
        || e is Refit.ApiException { StatusCode: >= System.Net.HttpStatusCode.OK and < System.Net.HttpStatusCode.MultipleChoices };

    private static string? LineProblem(SupplierLineDto? line, string at) =>
        line is null ? $"{at} is empty"
        : Text(line.LineRef, $"{at}.lineRef", 100) ?? Text(line.Sku, $"{at}.sku", 200) ?? Text(line.Status, $"{at}.status", 50)
          ?? Text(line.RejectionReason, $"{at}.rejectionReason", 100, required: false)
          ?? (line.Quantity is < 0 or > MaxQuantity ? $"{at}.quantity is not between 0 and {MaxQuantity}" : null);

    private static string? ShipmentProblem(ShipmentDto? shipment, string at)
    {
        if (shipment is null)
        {
            return $"{at} is empty";
        }

        var problem = Text(shipment.Id, $"{at}.id", 200) ?? Text(shipment.Carrier, $"{at}.carrier", 100)
            ?? Text(shipment.TrackingNumber, $"{at}.trackingNumber", 100) ?? Text(shipment.Status, $"{at}.status", 50)
            ?? TrackingUrlProblem(shipment.TrackingUrl, $"{at}.trackingUrl");
        if (problem is not null)
        {
            return problem;
        }

        if (shipment.LineRefs is null || shipment.LineRefs.Count > MaxLines)
        {
            return $"{at}.lineRefs is missing or has more than {MaxLines} entries";
        }

        if (shipment.LineRefs.Select((r, i) => Text(r, $"{at}.lineRefs[{i}]", 100)).FirstOrDefault(p => p is not null) is { } refProblem)
        {
            return refProblem;
        }

        if (shipment.Events is { Count: > MaxEvents })
        {
            return $"{at}.events has more than {MaxEvents} entries";
        }

        for (var i = 0; i < (shipment.Events?.Count ?? 0); i++)
        {
            var e = shipment.Events![i];
            var eventProblem = e is null ? $"{at}.events[{i}] is empty"
                : Text(e.Id, $"{at}.events[{i}].id", 200) ?? Text(e.Status, $"{at}.events[{i}].status", 50)
                  ?? Text(e.Location, $"{at}.events[{i}].location", 500, required: false) ?? Text(e.Message, $"{at}.events[{i}].message", 2_000, required: false);
            if (eventProblem is not null)
            {
                return eventProblem;
            }
        }

        return null;
    }

    /// <summary>Customers click it on the tracking page and in e-mails: only an absolute http or https URL without credentials.</summary>
    private static string? TrackingUrlProblem(string? url, string field) =>
        url is null ? null
        : url.Length > 2_000 ? $"{field} is longer than 2000 characters"
        : Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo) && StorableText.IsStorable(url) ? null
        : $"{field} is not an http or https URL";

    private static string? Text(string? value, string field, int max, bool required = true) =>
        string.IsNullOrWhiteSpace(value) ? (required ? $"{field} is missing or empty" : null)
        : value.Length > max ? $"{field} is longer than {max} characters"
        : StorableText.IsStorable(value) ? null
        : $"{field} contains control characters or invalid Unicode";

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}

/// <summary>
/// A supplier's answer that OrderFlow will not use (too large, unreadable or invalid). An <see cref="HttpRequestException"/>,
/// so callers treat it like a dropped connection: retried, then the supplier counts as unreachable for that order.
/// </summary>
public sealed class SupplierAnswerException(string supplierId, string call, string problem, Exception? inner = null)
    : HttpRequestException($"Supplier {supplierId} gave an unusable answer to {call}: {problem}.", inner);
