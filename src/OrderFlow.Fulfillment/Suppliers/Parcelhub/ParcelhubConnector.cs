using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Refit;

namespace OrderFlow.Fulfillment.Suppliers.Parcelhub;

/// <summary>One supplier's Parcelhub API behind <see cref="ISupplierConnector"/>.</summary>
internal sealed class ParcelhubConnector(IParcelhubApi api, string supplierId, ILogger logger) : ISupplierConnector
{
    /// <summary>Parcelhub answers at most this many ids per status query.</summary>
    public const int MaxIdsPerQuery = 100;
    private const int PageSize = 50;
    private const int MaxPages = 200;

    public async Task<IReadOnlyList<CatalogItem>> GetCatalogAsync(CancellationToken ct)
    {
        var items = new List<CatalogItem>();
        int? page = 1;
        for (var n = 0; page is { } current && n < MaxPages; n++)
        {
            var answer = await api.GetProductsAsync(current, PageSize, ct);
            items.AddRange(answer.Data.Select(ParcelhubMapping.ToCatalogItem));
            page = answer.Meta?.NextPage;
        }

        return items;
    }

    public async Task<SupplierOrderDto> PlaceAsync(PlaceOrderRequest request, string idempotencyKey, CancellationToken ct)
    {
        try
        {
            return ParcelhubMapping.ToOrderFlow(await api.CreatePurchaseOrderAsync(ParcelhubMapping.ToParcelhub(request), idempotencyKey, ct));
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Our reference is already placed there under another request id: that purchase order is ours, never place a second.
            var existing = await FindExistingAsync(request.Reference, ExistingId(e), ct);
            if (existing is null)
            {
                throw;
            }

            logger.LogInformation("Supplier {SupplierId} already holds {Reference} as {SupplierOrderId}; using it", supplierId, request.Reference, existing.Id);
            return existing;
        }
    }

    public async Task<SupplierOrderDto?> FindByReferenceAsync(string reference, CancellationToken ct) =>
        (await api.FindByClientReferenceAsync(reference, ct)).Data
            .Where(o => o.ClientReference == reference)
            .Select(ParcelhubMapping.ToOrderFlow)
            .FirstOrDefault();

    public async Task<IReadOnlyList<SupplierOrderDto>> GetStatusesAsync(IReadOnlyList<string> supplierOrderIds, CancellationToken ct)
    {
        var result = new List<SupplierOrderDto>(supplierOrderIds.Count);
        foreach (var chunk in supplierOrderIds.Distinct().Chunk(MaxIdsPerQuery))
        {
            result.AddRange((await api.GetManyAsync(string.Join(',', chunk), ct)).Data.Select(ParcelhubMapping.ToOrderFlow));
        }

        return result;
    }

    public async Task<SupplierOrderDto> CancelAsync(string supplierOrderId, CancellationToken ct)
    {
        try
        {
            return ParcelhubMapping.ToOrderFlow(await api.CancelAsync(supplierOrderId, ct));
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Too late to void (dispatched or declined): report where the order stands rather than fail the supplier's whole sweep.
            var current = ParcelhubMapping.ToOrderFlow(await api.GetPurchaseOrderAsync(supplierOrderId, ct));
            logger.LogWarning("Supplier {SupplierId} cannot void {SupplierOrderId}: it is {Status}", supplierId, supplierOrderId, current.Status);
            return current;
        }
    }

    private async Task<SupplierOrderDto?> FindExistingAsync(string reference, string? existingId, CancellationToken ct)
    {
        if (existingId is not null)
        {
            var order = await api.GetPurchaseOrderAsync(existingId, ct);
            if (order.ClientReference == reference)
            {
                return ParcelhubMapping.ToOrderFlow(order);
            }
        }

        return await FindByReferenceAsync(reference, ct);
    }

    private static string? ExistingId(ApiException e)
    {
        try
        {
            return e.Content is { Length: > 0 } content
                ? JsonSerializer.Deserialize<ParcelhubErrorBody>(content, ParcelhubProtocol.Json)?.Error?.ExistingId
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
