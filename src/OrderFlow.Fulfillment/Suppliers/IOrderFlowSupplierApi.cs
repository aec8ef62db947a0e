using Refit;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>The "orderflow" supplier protocol: OrderFlow's own supplier REST API (spoken by the simulator's suppliers).</summary>
public interface IOrderFlowSupplierApi
{
    [Get("/catalog")]
    Task<SupplierItems<CatalogItem>> GetCatalogAsync(CancellationToken ct);

    [Post("/stock")]
    Task<SupplierItems<StockLevel>> CheckStockAsync([Body] StockQuery query, CancellationToken ct);

    [Post("/orders")]
    Task<SupplierOrderDto> PlaceOrderAsync([Body] PlaceOrderRequest request, [Header("Idempotency-Key")] string idempotencyKey, CancellationToken ct);

    [Get("/orders/{id}")]
    Task<SupplierOrderDto> GetOrderAsync(string id, CancellationToken ct);

    [Get("/orders")]
    Task<SupplierItems<SupplierOrderDto>> FindByReferenceAsync([Query] string reference, CancellationToken ct);

    [Post("/orders/status")]
    Task<SupplierItems<SupplierOrderDto>> GetStatusesAsync([Body] StatusQuery query, CancellationToken ct);

    [Get("/orders/{id}/shipments")]
    Task<SupplierItems<ShipmentDto>> GetShipmentsAsync(string id, CancellationToken ct);

    [Post("/orders/{id}/cancel")]
    Task<SupplierOrderDto> CancelAsync(string id, CancellationToken ct);
}
