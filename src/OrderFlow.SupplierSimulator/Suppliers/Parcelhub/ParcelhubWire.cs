using System.Text.Json;

namespace OrderFlow.SupplierSimulator.Suppliers.Parcelhub;

// Parcelhub's JSON shapes: snake_case, money in minor units, its own words for states, decline codes and carrier events.

internal static class ParcelhubJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

internal sealed record PurchaseOrderRequest(string? ClientReference, string? Currency, Recipient? Recipient, List<PurchaseOrderItemRequest?>? Items);

internal sealed record Recipient(
    string? FullName, List<string?>? AddressLines, string? Town, string? Postcode, string? State, string? CountryCode, string? Email, string? Phone);

internal sealed record PurchaseOrderItemRequest(string? ItemRef, string? Sku, int Qty);

internal sealed record PurchaseOrder(
    string Id,
    string ClientReference,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Decline? Decline,
    IReadOnlyList<PurchaseOrderItem> Items,
    IReadOnlyList<Consignment> Consignments);

internal sealed record Decline(string Code, string Note);

internal sealed record PurchaseOrderItem(string ItemRef, string Sku, int Qty, string Result, string? DeclineCode);

internal sealed record Consignment(
    string ConsignmentId, string Courier, string TrackingCode, string TrackingLink, IReadOnlyList<string> ItemRefs, DateTimeOffset Eta,
    IReadOnlyList<Checkpoint> Checkpoints);

internal sealed record Checkpoint(string CheckpointId, string Code, DateTimeOffset At, string Place, string Description);

internal sealed record Product(string Sku, string Title, int StockLevel, long UnitPriceMinor, long ShippingMinor, string Currency);

internal sealed record Page<T>(IReadOnlyList<T> Data, PageMeta Meta);

internal sealed record PageMeta(int Page, int PerPage, int Total, int? NextPage);

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(
    string Code, string Message, IDictionary<string, string[]>? Fields = null, string? ExistingId = null, string? State = null);
