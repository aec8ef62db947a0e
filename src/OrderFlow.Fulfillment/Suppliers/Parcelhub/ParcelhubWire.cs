namespace OrderFlow.Fulfillment.Suppliers.Parcelhub;

// Parcelhub's JSON shapes (snake_case on the wire through ParcelhubProtocol's serializer settings).

internal sealed record ParcelhubPage<T>(IReadOnlyList<T> Data, ParcelhubPageMeta? Meta);

internal sealed record ParcelhubPageMeta(int Page, int PerPage, int Total, int? NextPage);

internal sealed record ParcelhubProduct(string Sku, string? Title, int StockLevel, long UnitPriceMinor, long ShippingMinor, string Currency);

internal sealed record ParcelhubPurchaseOrderRequest(
    string ClientReference, string Currency, ParcelhubRecipient Recipient, IReadOnlyList<ParcelhubItemRequest> Items);

internal sealed record ParcelhubRecipient(
    string FullName, IReadOnlyList<string> AddressLines, string Town, string Postcode, string? State, string CountryCode, string? Email, string? Phone);

internal sealed record ParcelhubItemRequest(string ItemRef, string Sku, int Qty);

internal sealed record ParcelhubPurchaseOrder(
    string Id,
    string ClientReference,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ParcelhubDecline? Decline,
    IReadOnlyList<ParcelhubItem> Items,
    IReadOnlyList<ParcelhubConsignment>? Consignments);

internal sealed record ParcelhubDecline(string Code, string? Note);

internal sealed record ParcelhubItem(string ItemRef, string Sku, int Qty, string Result, string? DeclineCode);

internal sealed record ParcelhubConsignment(
    string ConsignmentId, string Courier, string TrackingCode, string? TrackingLink, IReadOnlyList<string>? ItemRefs, DateTimeOffset? Eta,
    IReadOnlyList<ParcelhubCheckpoint>? Checkpoints);

internal sealed record ParcelhubCheckpoint(string CheckpointId, string Code, DateTimeOffset At, string? Place, string? Description);

internal sealed record ParcelhubErrorBody(ParcelhubError? Error);

internal sealed record ParcelhubError(string? Code, string? Message, string? ExistingId, string? State);
