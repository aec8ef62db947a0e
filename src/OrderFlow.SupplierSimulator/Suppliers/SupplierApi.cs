using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>OrderFlow's own supplier REST API ("orderflow" protocol), served for acme and globex, plus the carrier's tracking page.</summary>
internal static class SupplierApi
{
    public const int MaxStatusIds = 500;

    public static void MapSupplierApi(this WebApplication app)
    {
        var group = app.MapGroup("/suppliers/{supplierId}").AddEndpointFilter(GuardAsync);
        group.MapGet("/catalog", (string supplierId, SupplierOrderBook book) => Results.Ok(new ItemsDto<CatalogItemDto>(book.Catalogue(supplierId))));
        group.MapPost("/stock", StockAsync);
        group.MapPost("/orders", PlaceAsync);
        group.MapGet("/orders/{orderId}", (string supplierId, string orderId, HttpContext http, SupplierOrderBook book) =>
            book.Get(supplierId, orderId, TrackingBase(http)) is { } order ? Results.Ok(order) : NotFound(orderId));
        group.MapGet("/orders", (string supplierId, string? reference, HttpContext http, SupplierOrderBook book) =>
            string.IsNullOrWhiteSpace(reference)
                ? ApiResults.Invalid("reference", "the query parameter is required")
                : Results.Ok(new ItemsDto<SupplierOrderDto>(
                    book.FindByReference(supplierId, reference, TrackingBase(http)) is { } order ? [order] : [])));
        group.MapPost("/orders/status", StatusAsync);
        group.MapGet("/orders/{orderId}/shipments", (string supplierId, string orderId, HttpContext http, SupplierOrderBook book) =>
            book.Get(supplierId, orderId, TrackingBase(http)) is { } order
                ? Results.Ok(new ItemsDto<ShipmentDto>(order.Shipments))
                : NotFound(orderId));
        group.MapPost("/orders/{orderId}/cancel", (string supplierId, string orderId, HttpContext http, SupplierOrderBook book) =>
            book.Cancel(supplierId, orderId, TrackingBase(http)) switch
            {
                null => NotFound(orderId),
                { Cancelled: true } result => Results.Ok(result.Order),
                var result => ApiResults.Problem(StatusCodes.Status409Conflict, "The order can no longer be cancelled",
                    $"Order {orderId} is {result.Order.Status}.", new Dictionary<string, object?> { ["orderStatus"] = result.Order.Status }),
            });

        app.MapGet("/track/{trackingNumber}", (string trackingNumber, HttpContext http, SupplierOrderBook book) =>
            book.FindShipment(trackingNumber, TrackingBase(http)) is { } shipment
                ? Results.Ok(shipment)
                : ApiResults.Problem(StatusCodes.Status404NotFound, "Unknown tracking number"));
    }

    /// <summary>Unknown supplier, then the API key (or the HMAC signature), then the misbehaviour knobs, before any endpoint runs.</summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var supplierId = http.GetRouteValue("supplierId") as string ?? "";
        if (!Catalog.Suppliers.TryGetValue(supplierId, out var profile) || profile.Flavour != SupplierFlavour.OrderFlow)
        {
            return ApiResults.Problem(StatusCodes.Status404NotFound, "Unknown supplier", $"There is no supplier '{supplierId}'.");
        }

        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        if (options.Suppliers.TryGetValue(supplierId, out var account) && !string.IsNullOrEmpty(account.HmacSecret))
        {
            var problem = await HmacVerifier.VerifyAsync(http.Request, account.HmacKeyId ?? $"sim-hmac-{supplierId}", account.HmacSecret,
                services.GetRequiredService<TimeProvider>().GetUtcNow());
            if (problem is not null)
            {
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", problem);
            }
        }
        else
        {
            var expected = options.ApiKeyFor(supplierId);
            var given = http.Request.Headers["X-Api-Key"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "The X-Api-Key header is missing or wrong.");
            }
        }

        var knobs = services.GetRequiredService<KnobStore>().Current;
        var random = services.GetRequiredService<RandomSource>();
        var time = services.GetRequiredService<TimeProvider>();
        if (knobs.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(knobs.LatencyMs), time, http.RequestAborted);
        }

        if (random.Chance(knobs.ErrorRate))
        {
            return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Supplier temporarily unavailable",
                "Simulated outage (knob errorRate).");
        }

        if (random.Chance(knobs.StallRate))
        {
            await Task.Delay(TimeSpan.FromSeconds(knobs.StallSeconds), time, http.RequestAborted);
        }

        return await next(context);
    }

    private static async Task<IResult> PlaceAsync(
        string supplierId, HttpContext http, SupplierOrderBook book, KnobStore knobs, RandomSource random, ILogger<SupplierOrderBook> log)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key))
        {
            return ApiResults.Invalid("Idempotency-Key", "the header is required");
        }

        var (request, error) = await ApiResults.ReadJsonAsync<PlaceOrderRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var errors = PlaceOrderValidator.Validate(request!);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        var result = book.Place(supplierId, key, request!, TrackingBase(http));
        var order = result.Order;
        switch (result.Outcome)
        {
            case PlaceOutcome.Replayed:
                log.LogInformation("Replayed placement {OrderId} for {Reference} (key {IdempotencyKey})", order.Id, order.Reference, key);
                return Results.Ok(order);
            case PlaceOutcome.ReferenceConflict:
                return ApiResults.Problem(StatusCodes.Status409Conflict, "Reference already used",
                    $"Reference {order.Reference} already names order {order.Id}, placed under another Idempotency-Key.",
                    new Dictionary<string, object?> { ["existingOrderId"] = order.Id });
        }

        if (random.Chance(knobs.Current.DropAfterCommitRate))
        {
            log.LogWarning("Dropping the connection after storing {OrderId} for {Reference} (knob dropAfterCommitRate)", order.Id, order.Reference);
            http.Abort();
            return Results.Empty;
        }

        log.LogInformation("Placed {OrderId} for {Reference} with {LineCount} lines", order.Id, order.Reference, order.Lines.Count);
        return Results.Created($"/suppliers/{supplierId}/orders/{order.Id}", order);
    }

    private static async Task<IResult> StockAsync(string supplierId, HttpContext http, SupplierOrderBook book)
    {
        var (query, error) = await ApiResults.ReadJsonAsync<StockQuery>(http);
        if (error is not null)
        {
            return error;
        }

        return query!.Skus switch
        {
            null => ApiResults.Invalid("skus", "is required"),
            { Count: > MaxStatusIds } => ApiResults.Invalid("skus", $"at most {MaxStatusIds} SKUs per request"),
            var skus => Results.Ok(new ItemsDto<StockLevelDto>(book.Stock(supplierId, skus.Where(s => s is not null)))),
        };
    }

    private static async Task<IResult> StatusAsync(string supplierId, HttpContext http, SupplierOrderBook book)
    {
        var (query, error) = await ApiResults.ReadJsonAsync<StatusQuery>(http);
        if (error is not null)
        {
            return error;
        }

        return query!.Ids switch
        {
            null => ApiResults.Invalid("ids", "is required"),
            { Count: > MaxStatusIds } => ApiResults.Invalid("ids", $"at most {MaxStatusIds} ids per request"),
            var ids => Results.Ok(new ItemsDto<SupplierOrderDto>(book.GetMany(supplierId, ids.Where(i => i is not null), TrackingBase(http)))),
        };
    }

    private static IResult NotFound(string orderId) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, "Unknown order", $"There is no order '{orderId}' at this supplier.");

    private static string TrackingBase(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";
}
