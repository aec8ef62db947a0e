namespace OrderFlow.SupplierSimulator.Suppliers.Parcelhub;

/// <summary>
/// Parcelhub's requests into the shared order book's shapes and the book's answers back into Parcelhub's, so both
/// flavours share one lifecycle, one stock and one ledger.
/// </summary>
internal static class ParcelhubTranslation
{
    public static PlaceOrderRequest ToBook(PurchaseOrderRequest request)
    {
        var recipient = request.Recipient!;
        var lines = recipient.AddressLines!.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        return new PlaceOrderRequest(
            request.ClientReference,
            request.Currency,
            new ShipToDto(recipient.FullName, lines[0], lines.Count > 1 ? string.Join(", ", lines.Skip(1)) : null, recipient.Town,
                recipient.Postcode, recipient.State, recipient.CountryCode, recipient.Email, recipient.Phone),
            request.Items!.Select(i => (PlaceOrderLine?)new PlaceOrderLine(i!.ItemRef, i.Sku, i.Qty)).ToList());
    }

    public static PurchaseOrder FromBook(SupplierOrderDto order) => new(
        order.Id,
        order.Reference,
        ParcelhubVocabulary.State(order.Status),
        order.CreatedAt,
        order.UpdatedAt,
        order.Rejection is { } rejection ? new Decline(ParcelhubVocabulary.DeclineCode(rejection.Reason)!, rejection.Message) : null,
        order.Lines.Select(l => new PurchaseOrderItem(l.LineRef, l.Sku, l.Quantity, ParcelhubVocabulary.ItemResult(l.Status),
            ParcelhubVocabulary.DeclineCode(l.RejectionReason))).ToList(),
        order.Shipments.Select(s => new Consignment(
            s.Id, s.Carrier, s.TrackingNumber, s.TrackingUrl, s.LineRefs, s.EstimatedDelivery,
            s.Events.Select(e => new Checkpoint(e.Id, ParcelhubVocabulary.CheckpointCode(e.Status), e.OccurredAt, e.Location, e.Message)).ToList()))
            .ToList());

    public static Product FromBook(CatalogItemDto item) =>
        new(item.Sku, item.Name, item.Available, Minor(item.UnitPrice), Minor(item.ShippingPrice), item.Currency);

    private static long Minor(decimal amount) => (long)decimal.Round(amount * 100m, MidpointRounding.AwayFromZero);
}
