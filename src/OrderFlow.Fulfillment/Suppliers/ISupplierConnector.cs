namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// What OrderFlow needs from a supplier, whatever its API looks like. Each protocol maps its own wire format onto these
/// shapes. Failures: transport errors and 5xx/429 answers surface as exceptions the caller treats as transient
/// (<see cref="HttpRequestException"/>, timeouts, Refit's <c>ApiException</c> with a 5xx status); a refusal of the request
/// itself as an <c>ApiException</c> with a 4xx status.
/// </summary>
public interface ISupplierConnector
{
    Task<IReadOnlyList<CatalogItem>> GetCatalogAsync(CancellationToken ct);

    /// <summary>Places the order; the same <paramref name="idempotencyKey"/> never creates a second order.</summary>
    Task<SupplierOrderDto> PlaceAsync(PlaceOrderRequest request, string idempotencyKey, CancellationToken ct);

    /// <summary>The supplier's order carrying our reference, or null when it has none (used before placing again after a timeout).</summary>
    Task<SupplierOrderDto?> FindByReferenceAsync(string reference, CancellationToken ct);

    /// <summary>Current state of many orders in as few calls as the protocol allows; unknown ids are left out.</summary>
    Task<IReadOnlyList<SupplierOrderDto>> GetStatusesAsync(IReadOnlyList<string> supplierOrderIds, CancellationToken ct);

    Task<SupplierOrderDto> CancelAsync(string supplierOrderId, CancellationToken ct);
}
