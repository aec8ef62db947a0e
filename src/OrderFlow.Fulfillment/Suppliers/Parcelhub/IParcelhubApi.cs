using Refit;

namespace OrderFlow.Fulfillment.Suppliers.Parcelhub;

/// <summary>Parcelhub's v2 REST API (bearer token, snake_case), as far as OrderFlow uses it.</summary>
internal interface IParcelhubApi
{
    [Get("/products")]
    Task<ParcelhubPage<ParcelhubProduct>> GetProductsAsync(int page, [AliasAs("per_page")] int perPage, CancellationToken ct);

    [Post("/purchase_orders")]
    Task<ParcelhubPurchaseOrder> CreatePurchaseOrderAsync([Body] ParcelhubPurchaseOrderRequest request, [Header("X-Request-Id")] string requestId, CancellationToken ct);

    [Get("/purchase_orders/{id}")]
    Task<ParcelhubPurchaseOrder> GetPurchaseOrderAsync(string id, CancellationToken ct);

    [Get("/purchase_orders")]
    Task<ParcelhubPage<ParcelhubPurchaseOrder>> FindByClientReferenceAsync([AliasAs("client_reference")] string clientReference, CancellationToken ct);

    /// <summary><paramref name="ids"/> is comma-separated, at most <see cref="ParcelhubConnector.MaxIdsPerQuery"/> ids.</summary>
    [Get("/purchase_orders")]
    Task<ParcelhubPage<ParcelhubPurchaseOrder>> GetManyAsync(string ids, CancellationToken ct);

    [Post("/purchase_orders/{id}/cancellation")]
    Task<ParcelhubPurchaseOrder> CancelAsync(string id, CancellationToken ct);
}
