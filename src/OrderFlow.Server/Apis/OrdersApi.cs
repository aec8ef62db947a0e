using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Orders for ops: lists with filters and search, one order in full, and counts per status.</summary>
public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Policies.Viewer);
        group.MapGet("/", List).WithName("ListOrders")
            .WithSummary("Orders, newest first, filtered by status, merchant, supplier, age or attention; q searches order id, customer e-mail and tracking number.");
        group.MapGet("/stats", Stats).WithName("GetOrderStats").WithSummary("How many orders are in each status.");
        group.MapGet("/{id:guid}", Get).WithName("GetOrder")
            .WithSummary("An order with its lines, supplier orders, parcels and tracking, status events, storefront deliveries and notifications.");
        return app;
    }

    private static async Task<Results<Ok<OrderPage>, ValidationProblem>> List(OrderQueries queries, HttpContext http, string? status, string? merchant, string? supplier,
        bool? attention, string? q, int? olderThanMinutes, Guid? cursor, int? limit, CancellationToken ct)
    {
        if (status is not null && !OrderStatuses.All.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Unknown status; use one of {string.Join(", ", OrderStatuses.All)}."] });
        }

        if (limit is < 1 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit must be between 1 and 200."] });
        }

        return TypedResults.Ok(await queries.ListAsync(new OrderFilter(status, merchant, supplier, attention, q, olderThanMinutes, cursor, limit, http.User.Merchants()), ct));
    }

    private static async Task<Ok<OrderStats>> Stats(OrderQueries queries, HttpContext http, CancellationToken ct) => TypedResults.Ok(await queries.StatsAsync(ct, http.User.Merchants()));

    // Another merchant's order answers exactly like a missing one. An order acknowledged but still in the intake inbox (the
    // moments between its 202 and the materializer) is stored on the spot: the 202's Location never answers 404.
    private static async Task<Results<Ok<OrderDetails>, NotFound<ProblemDetailsBody>>> Get(Guid id, OrderQueries queries, IntakeMaterializer materializer,
        HttpContext http, CancellationToken ct)
    {
        var order = await queries.GetAsync(id, ct);
        if (order is null && await materializer.MaterializeOrderAsync(id, ct) > 0)
        {
            order = await queries.GetAsync(id, ct);
        }

        return order is not null && http.User.MaySee(order.MerchantId)
            ? TypedResults.Ok(order) : TypedResults.NotFound(ProblemDetailsBody.NotFound($"No order {id}."));
    }
}
