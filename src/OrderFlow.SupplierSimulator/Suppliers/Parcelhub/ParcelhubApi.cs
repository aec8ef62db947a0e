using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator.Suppliers.Parcelhub;

/// <summary>
/// Parcelhub's v2 API, a supplier shaped unlike the orderflow one: bearer token, snake_case, purchase orders keyed by an
/// <c>X-Request-Id</c> header, batched status through a comma-separated <c>ids</c> query, paged products in minor units,
/// and errors as <c>{"error":{"code",...}}</c>. It runs on the shared order book, so lifecycle, stock, knobs and ledger are common.
/// </summary>
internal static class ParcelhubApi
{
    public const string SupplierId = "parcelhub";
    public const string DefaultToken = "sim-token-parcelhub";
    public const int MaxIds = 100;
    public const int MaxPerPage = 50;

    public static void MapParcelhubApi(this WebApplication app)
    {
        var group = app.MapGroup("/v2/parcelhub").AddEndpointFilter(GuardAsync);
        group.MapGet("/products", (int? page, [FromQuery(Name = "per_page")] int? perPage, SupplierOrderBook book) => Products(page ?? 1, perPage ?? 20, book));
        group.MapPost("/purchase_orders", PlaceAsync);
        group.MapGet("/purchase_orders/{id}", (string id, HttpContext http, SupplierOrderBook book) =>
            book.Get(SupplierId, id, TrackingBase(http)) is { } order ? Json(ParcelhubTranslation.FromBook(order)) : NotFound(id));
        group.MapGet("/purchase_orders", Search);
        group.MapPost("/purchase_orders/{id}/cancellation", (string id, HttpContext http, SupplierOrderBook book) =>
            book.Cancel(SupplierId, id, TrackingBase(http)) switch
            {
                null => NotFound(id),
                { Cancelled: true } result => Json(ParcelhubTranslation.FromBook(result.Order)),
                var result => Error(StatusCodes.Status409Conflict, "not_cancellable", $"Purchase order {id} can no longer be voided.",
                    state: ParcelhubVocabulary.State(result.Order.Status)),
            });
    }

    /// <summary>The bearer token, then the same misbehaviour knobs as the other suppliers, before any endpoint runs.</summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var accounts = services.GetRequiredService<IOptions<SimulatorOptions>>().Value.Suppliers;
        var expected = "Bearer " + (accounts.TryGetValue(SupplierId, out var account) && !string.IsNullOrEmpty(account.ApiKey) ? account.ApiKey : DefaultToken);
        var given = http.Request.Headers.Authorization.ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Error(StatusCodes.Status401Unauthorized, "invalid_token", "A valid bearer token is required.");
        }

        var knobs = services.GetRequiredService<KnobStore>().Current;
        var random = services.GetRequiredService<RandomSource>();
        if (knobs.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(knobs.LatencyMs), services.GetRequiredService<TimeProvider>(), http.RequestAborted);
        }

        if (random.Chance(knobs.ErrorRate))
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "Simulated outage (knob errorRate).");
        }

        if (random.Chance(knobs.StallRate))
        {
            await Task.Delay(TimeSpan.FromSeconds(knobs.StallSeconds), services.GetRequiredService<TimeProvider>(), http.RequestAborted);
        }

        return await next(context);
    }

    private static IResult Products(int page, int perPage, SupplierOrderBook book)
    {
        if (page < 1 || perPage is < 1 or > MaxPerPage)
        {
            return Invalid(new() { [page < 1 ? "page" : "per_page"] = [$"page from 1, per_page from 1 to {MaxPerPage}"] });
        }

        var all = book.Catalogue(SupplierId);
        var data = all.Skip((page - 1) * perPage).Take(perPage).Select(ParcelhubTranslation.FromBook).ToList();
        return Json(new Page<Product>(data, new PageMeta(page, perPage, all.Count, page * perPage < all.Count ? page + 1 : null)));
    }

    private static async Task<IResult> PlaceAsync(HttpContext http, SupplierOrderBook book, KnobStore knobs, RandomSource random, ILogger<SupplierOrderBook> log)
    {
        var requestId = http.Request.Headers["X-Request-Id"].ToString();
        if (string.IsNullOrWhiteSpace(requestId))
        {
            return Invalid(new() { ["X-Request-Id"] = ["the header is required; it makes the request idempotent"] });
        }

        PurchaseOrderRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<PurchaseOrderRequest>(http.Request.Body, ParcelhubJson.Options, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return Invalid(new() { [string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.')] = ["is not valid JSON"] });
        }

        var errors = request is null ? new() { ["body"] = ["a JSON object is required"] } : ParcelhubValidator.Validate(request);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var result = book.Place(SupplierId, requestId, ParcelhubTranslation.ToBook(request!), TrackingBase(http));
        var order = ParcelhubTranslation.FromBook(result.Order);
        switch (result.Outcome)
        {
            case PlaceOutcome.Replayed:
                log.LogInformation("Parcelhub replayed {OrderId} for {Reference} (request {RequestId})", order.Id, order.ClientReference, requestId);
                http.Response.Headers["Idempotent-Replayed"] = "true";
                return Json(order);
            case PlaceOutcome.ReferenceConflict:
                return Error(StatusCodes.Status409Conflict, "duplicate_client_reference",
                    $"client_reference {order.ClientReference} already names purchase order {order.Id}.", existingId: order.Id);
        }

        if (random.Chance(knobs.Current.DropAfterCommitRate))
        {
            log.LogWarning("Parcelhub dropping the connection after storing {OrderId} for {Reference} (knob dropAfterCommitRate)", order.Id, order.ClientReference);
            http.Abort();
            return Results.Empty;
        }

        log.LogInformation("Parcelhub placed {OrderId} for {Reference} with {ItemCount} items", order.Id, order.ClientReference, order.Items.Count);
        return Results.Json(order, ParcelhubJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Search([FromQuery(Name = "client_reference")] string? clientReference, string? ids, HttpContext http, SupplierOrderBook book)
    {
        if (string.IsNullOrWhiteSpace(clientReference) == string.IsNullOrWhiteSpace(ids))
        {
            return Invalid(new() { ["client_reference"] = ["give either client_reference or ids"] });
        }

        List<SupplierOrderDto> found;
        if (!string.IsNullOrWhiteSpace(ids))
        {
            var list = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list.Length > MaxIds)
            {
                return Invalid(new() { ["ids"] = [$"at most {MaxIds} ids per request"] });
            }

            found = book.GetMany(SupplierId, list, TrackingBase(http));
        }
        else
        {
            found = book.FindByReference(SupplierId, clientReference!, TrackingBase(http)) is { } order ? [order] : [];
        }

        return Json(new Page<PurchaseOrder>(found.Select(ParcelhubTranslation.FromBook).ToList(), new PageMeta(1, found.Count, found.Count, null)));
    }

    private static IResult Json<T>(T value) => Results.Json(value, ParcelhubJson.Options);

    private static IResult NotFound(string id) => Error(StatusCodes.Status404NotFound, "not_found", $"There is no purchase order '{id}'.");

    private static IResult Invalid(Dictionary<string, string[]> fields) =>
        Error(StatusCodes.Status422UnprocessableEntity, "validation_failed",
            string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}")), fields);

    private static IResult Error(int status, string code, string message, IDictionary<string, string[]>? fields = null,
        string? existingId = null, string? state = null) =>
        Results.Json(new ErrorBody(new ErrorDetail(code, message, fields, existingId, state)), ParcelhubJson.Options, statusCode: status);

    private static string TrackingBase(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";
}
