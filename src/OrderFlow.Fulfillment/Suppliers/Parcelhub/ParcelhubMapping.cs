using OrderFlow.Fulfillment.Tracking;

namespace OrderFlow.Fulfillment.Suppliers.Parcelhub;

/// <summary>Parcelhub's vocabulary onto OrderFlow's: order states, item results, decline codes, carrier checkpoint codes, minor units.</summary>
internal static class ParcelhubMapping
{
    public static ParcelhubPurchaseOrderRequest ToParcelhub(PlaceOrderRequest request) => new(
        request.Reference,
        request.Currency,
        new ParcelhubRecipient(
            request.ShipTo.Name,
            string.IsNullOrWhiteSpace(request.ShipTo.Line2) ? [request.ShipTo.Line1] : [request.ShipTo.Line1, request.ShipTo.Line2],
            request.ShipTo.City, request.ShipTo.PostalCode, request.ShipTo.Region, request.ShipTo.Country, request.ShipTo.Email, request.ShipTo.Phone),
        request.Lines.Select(l => new ParcelhubItemRequest(l.LineRef, l.Sku, l.Quantity)).ToList());

    public static SupplierOrderDto ToOrderFlow(ParcelhubPurchaseOrder order)
    {
        var lines = order.Items.Select(i => new SupplierLineDto(i.ItemRef, i.Sku, i.Qty, ItemStatus(i.Result),
            i.Result == "declined" ? RejectionReason(i.DeclineCode ?? order.Decline?.Code) : null)).ToList();
        var declined = lines.Where(l => l.Status == "rejected").Select(l => l.LineRef).ToList();
        var rejection = order.Decline is { } decline ? new RejectionDto(RejectionReason(decline.Code), decline.Note, declined) : null;
        return new SupplierOrderDto(order.Id, order.ClientReference, OrderStatus(order.State), order.CreatedAt, order.UpdatedAt, rejection, lines,
            (order.Consignments ?? []).Select(ToShipment).ToList());
    }

    public static CatalogItem ToCatalogItem(ParcelhubProduct product)
    {
        var unit = MinorUnit(product.Currency);
        return new CatalogItem(product.Sku, product.Title, product.StockLevel, product.UnitPriceMinor / unit, product.ShippingMinor / unit, product.Currency);
    }

    public static string OrderStatus(string state) => state switch
    {
        "received" => "pending",
        "confirmed" => "accepted",
        "declined" => "rejected",
        "dispatched" => "shipped",
        "completed" => "delivered",
        "voided" => "cancelled",
        _ => "pending",
    };

    public static string ItemStatus(string result) => result switch
    {
        "confirmed" => "accepted",
        "declined" => "rejected",
        _ => "pending",
    };

    public static string RejectionReason(string? declineCode) => declineCode switch
    {
        "NO_STOCK" => "out_of_stock",
        "SKU_NOT_LISTED" => "ineligible_product",
        "ADDRESS_INVALID" => "bad_address",
        "ZONE_NOT_SERVED" => "undeliverable",
        _ => "other",
    };

    /// <summary>Carrier scan codes onto the normalized taxonomy; null for a code we do not know (it then moves nothing).</summary>
    public static string? ParcelStatus(string code) => code switch
    {
        "MAN" => ParcelStatuses.InfoReceived,
        "DEP" or "ARR" or "HUB" => ParcelStatuses.InTransit,
        "OFD" => ParcelStatuses.OutForDelivery,
        "NDA" => ParcelStatuses.AttemptFail,
        "PUP" => ParcelStatuses.AvailableForPickup,
        "DLV" => ParcelStatuses.Delivered,
        "EXC" or "DMG" or "RTS" => ParcelStatuses.Exception,
        _ => null,
    };

    private static ShipmentDto ToShipment(ParcelhubConsignment consignment)
    {
        var events = (consignment.Checkpoints ?? []).OrderBy(c => c.At)
            .Select(c => (Checkpoint: c, Status: ParcelStatus(c.Code)))
            .Where(c => c.Status is not null)
            .Select(c => new TrackingEventDto(c.Checkpoint.CheckpointId, c.Status!, c.Checkpoint.At, c.Checkpoint.Place, c.Checkpoint.Description))
            .ToList();
        return new ShipmentDto(consignment.ConsignmentId, consignment.Courier, consignment.TrackingCode, consignment.TrackingLink,
            consignment.ItemRefs ?? [], events.Count > 0 ? events[^1].Status : ParcelStatuses.InfoReceived, consignment.Eta, events);
    }

    /// <summary>Minor units per major unit (ISO 4217 exponent): most currencies have cents, a few none or three digits.</summary>
    private static decimal MinorUnit(string currency) => currency switch
    {
        "JPY" or "KRW" or "ISK" or "CLP" or "VND" => 1m,
        "BHD" or "KWD" or "OMR" or "JOD" or "TND" => 1000m,
        _ => 100m,
    };
}
