using System.Net;
using Refit;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>The "orderflow" protocol: OrderFlow's own supplier REST API (<see cref="IOrderFlowSupplierApi"/>), spoken by the simulator's acme and globex.</summary>
public sealed class OrderFlowRestProtocol : ISupplierProtocol
{
    public string Name => "orderflow";

    public bool CanCheckStock => true;

    public ISupplierConnector Create(Supplier supplier, HttpClient http) => new Connector(RestService.For<IOrderFlowSupplierApi>(http, SupplierJson.Refit));

    private sealed class Connector(IOrderFlowSupplierApi api) : ISupplierConnector, ISupplierStockCheck
    {
        public async Task<IReadOnlyDictionary<string, int>> CheckStockAsync(IReadOnlyCollection<string> skus, CancellationToken ct)
        {
            var levels = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var chunk in skus.Distinct().Chunk(500))
            {
                foreach (var level in (await api.CheckStockAsync(new StockQuery(chunk), ct)).Items)
                {
                    levels[level.Sku] = level.Available;
                }
            }

            return skus.Distinct().ToDictionary(s => s, s => levels.GetValueOrDefault(s), StringComparer.Ordinal);
        }

        public async Task<IReadOnlyList<CatalogItem>> GetCatalogAsync(CancellationToken ct) => (await api.GetCatalogAsync(ct)).Items;

        public async Task<SupplierOrderDto> PlaceAsync(PlaceOrderRequest request, string idempotencyKey, CancellationToken ct)
        {
            try
            {
                return await api.PlaceOrderAsync(request, idempotencyKey, ct);
            }
            catch (ApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // The supplier already holds our reference (placed under an earlier key): that order is ours.
                var existing = await FindByReferenceAsync(request.Reference, ct);
                if (existing is null)
                {
                    throw;
                }

                return existing;
            }
        }

        public async Task<SupplierOrderDto?> FindByReferenceAsync(string reference, CancellationToken ct) =>
            (await api.FindByReferenceAsync(reference, ct)).Items.FirstOrDefault();

        public async Task<IReadOnlyList<SupplierOrderDto>> GetStatusesAsync(IReadOnlyList<string> supplierOrderIds, CancellationToken ct)
        {
            var result = new List<SupplierOrderDto>(supplierOrderIds.Count);
            foreach (var chunk in supplierOrderIds.Chunk(500))
            {
                result.AddRange((await api.GetStatusesAsync(new StatusQuery(chunk), ct)).Items);
            }

            return result;
        }

        public Task<SupplierOrderDto> CancelAsync(string supplierOrderId, CancellationToken ct) => api.CancelAsync(supplierOrderId, ct);
    }
}
