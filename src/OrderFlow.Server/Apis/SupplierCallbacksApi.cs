using OrderFlow.Fulfillment;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Suppliers;
using Microsoft.Extensions.Options;

namespace OrderFlow.Server.Apis;

/// <summary>Callbacks from suppliers that push changes instead of (or besides) being polled.</summary>
public static class SupplierCallbacksApi
{
    public static IEndpointRouteBuilder MapSupplierCallbacksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/suppliers/{supplierId}/events", ReceiveAsync)
            .WithName("ReceiveSupplierCallback").WithTags("Suppliers").AllowAnonymous().DisableAntiforgery()
            .WithSummary("A supplier says one of its orders changed: {\"supplierOrderId\": \"…\"}, signed with Standard Webhooks and the supplier's callback secret.")
            .WithDescription("The body only names the order; OrderFlow reads the order's state from the supplier's API and applies it at once (202). 401 for a bad signature, 404 for an order we do not track.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string supplierId, HttpRequest http, SupplierCallbacks callbacks, IOptions<FulfillmentOptions> options, CancellationToken ct)
    {
        var body = http.ContentLength > options.Value.MaxIntakeBodyBytes ? null : await RequestBody.ReadAsync(http, options.Value.MaxIntakeBodyBytes, ct);
        if (body is null)
        {
            return RequestBody.TooLarge(options.Value.MaxIntakeBodyBytes);
        }

        var request = RequestBody.ToIntakeRequest(http, body);
        return await callbacks.ReceiveAsync(supplierId, request, ct) switch
        {
            SupplierCallbackResult.Applied => TypedResults.Accepted((string?)null),
            SupplierCallbackResult.UnknownOrder => TypedResults.Problem(statusCode: 404, title: "No such active supplier order.", detail: "OrderFlow does not track this order (or it is finished)."),
            SupplierCallbackResult.Unauthorized => TypedResults.Problem(statusCode: 401, title: "The callback signature is not valid."),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["supplierOrderId"] = ["Name the supplier's order id as a string."] }),
        };
    }
}
