using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrderFlow.Fulfillment;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Intake.Formats;

namespace OrderFlow.Server.Apis;

/// <summary>Merchant order webhooks: OrderFlow's format (Standard Webhooks), Shopify and WooCommerce; all verified over the raw body.</summary>
public static class IntakeApi
{
    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/{merchant}").WithTags("Intake").AllowAnonymous().DisableAntiforgery();
        Describe(group.MapPost("/orders", (string merchant, HttpRequest request, IntakeFormats formats, OrderIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct) =>
                ReceiveAsync(merchant, formats.Standard, request, intake, options, ct))
            .WithName("ReceiveOrderWebhook")
            .WithSummary("Receives an order in OrderFlow's format, signed with Standard Webhooks.")
            .WithDescription("""
                Headers webhook-id, webhook-timestamp and webhook-signature, signed with the merchant's whsec_ secret over the raw body.
                Answers 202 with the new order's id once it is durable (its workflow starts moments later); a webhook or order id seen before
                answers 200 with the same order id and stores nothing. 401 for a bad signature, 400 problem details naming the field at
                fault, 413 for bodies over the limit, 429 with Retry-After when the merchant or the sender's address sends too fast.
                """)
            .Accepts<IntakeOrder>("application/json"));
        Describe(group.MapPost("/shopify/orders", (string merchant, HttpRequest request, IntakeFormats formats, OrderIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct) =>
                ReceiveAsync(merchant, formats.Find("shopify")!, request, intake, options, ct))
            .WithName("ReceiveShopifyOrderWebhook")
            .WithSummary("Receives Shopify's orders/create webhook (X-Shopify-Hmac-Sha256 over the raw body; deduped on X-Shopify-Event-Id and the Shopify order id)."));
        Describe(group.MapPost("/woocommerce/orders", (string merchant, HttpRequest request, IntakeFormats formats, OrderIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct) =>
                ReceiveAsync(merchant, formats.Find("woocommerce")!, request, intake, options, ct))
            .WithName("ReceiveWooCommerceOrderWebhook")
            .WithSummary("Receives WooCommerce's order.created webhook (X-WC-Webhook-Signature over the raw body; deduped on the delivery id and order id)."));
        group.MapPost("/orders/batch", ReceiveBatchAsync)
            .WithName("ReconcileOrders")
            .WithSummary("Catches up missed webhooks: a signed batch of recent orders (up to 100), each stored unless already received.")
            .Accepts<IntakeBatch>("application/json")
            .Produces<BatchResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<IResult> ReceiveBatchAsync(string merchant, HttpRequest http, OrderIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxIntakeBodyBytes * 4;
        var body = http.ContentLength > limit ? null : await RequestBody.ReadAsync(http, limit, ct);
        if (body is null)
        {
            return RequestBody.TooLarge(limit);
        }

        var result = await intake.ReceiveBatchAsync(merchant, RequestBody.ToIntakeRequest(http, body), ct);
        if (result.Problem is { } problem)
        {
            return problem.Outcome == IntakeOutcome.Unauthorized
                ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is not valid.", detail: problem.Problem)
                : TypedResults.ValidationProblem(problem.Errors!, title: "The batch is not valid.");
        }

        return TypedResults.Ok(new BatchResponse(result.Orders.Select(o => new BatchItem(o.MerchantOrderId, o.Result.Outcome switch
        {
            IntakeOutcome.Accepted => "created",
            IntakeOutcome.Duplicate => "duplicate",
            _ => "invalid",
        }, o.Result.OrderId, o.Result.Errors)).ToList()));
    }

    private static RouteHandlerBuilder Describe(RouteHandlerBuilder route) => route
        .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
        .Produces<IntakeResponse>(StatusCodes.Status200OK)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<IResult> ReceiveAsync(string merchant, IIntakeFormat format, HttpRequest http, OrderIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxIntakeBodyBytes;
        var body = http.ContentLength > limit ? null : await RequestBody.ReadAsync(http, limit, ct);
        if (body is null)
        {
            return RequestBody.TooLarge(limit);
        }

        var request = RequestBody.ToIntakeRequest(http, body);
        if (format is WooCommerceIntakeFormat && WooCommerceIntakeFormat.IsPing(request))
        {
            return TypedResults.Ok(new IntakeIgnored("WooCommerce webhook ping acknowledged."));
        }

        var result = await intake.ReceiveAsync(merchant, format, request, IntakeCompletion.Acknowledged, ct);
        return result.Outcome switch
        {
            IntakeOutcome.Accepted => TypedResults.Accepted($"/api/orders/{result.OrderId}", new IntakeResponse(result.OrderId!.Value, false)),
            IntakeOutcome.Duplicate => TypedResults.Ok(new IntakeResponse(result.OrderId!.Value, true)),
            IntakeOutcome.Ignored => TypedResults.Ok(new IntakeIgnored(result.Problem!)),
            IntakeOutcome.Unauthorized => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is not valid.", detail: result.Problem),
            _ => TypedResults.ValidationProblem(result.Errors!, title: "The order is not valid."),
        };
    }
}

/// <summary>The order a webhook created, or found when it had been received before.</summary>
public sealed record IntakeResponse(Guid OrderId, bool Duplicate);

/// <summary>What happened to each order of a reconciliation batch.</summary>
public sealed record BatchResponse(IReadOnlyList<BatchItem> Orders);

/// <summary>One order of a batch: created, duplicate (already received) or invalid (with the fields at fault).</summary>
public sealed record BatchItem(string? MerchantOrderId, string Outcome, Guid? OrderId, Dictionary<string, string[]>? Errors);

/// <summary>A delivery acknowledged without storing anything (a ping, another topic).</summary>
public sealed record IntakeIgnored(string Ignored);
