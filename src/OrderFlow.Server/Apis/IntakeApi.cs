using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrderFlow.Fulfillment;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Server.Apis;

/// <summary>Merchant order webhooks (Standard Webhooks signatures over the raw body).</summary>
public static class IntakeApi
{
    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{merchant}/orders", Receive)
            .WithName("ReceiveOrderWebhook").WithTags("Intake").AllowAnonymous()
            .WithSummary("Receives an order from a merchant's storefront.")
            .WithDescription("""
                Signed with Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature) using the merchant's whsec_ secret
                over the raw body. Answers 202 with the new order's id once it is durably stored and its workflow started; a webhook or
                order id seen before answers 200 with the same order id and stores nothing. 401 for a bad signature, 400 problem details
                naming the field at fault, 413 for bodies over the limit.
                """)
            .Accepts<IntakeOrder>("application/json")
            .Produces<IntakeResponse>(StatusCodes.Status202Accepted)
            .Produces<IntakeResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Receive(string merchant, HttpRequest request, OrderIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxIntakeBodyBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        var body = await ReadBodyAsync(request, limit, ct);
        if (body is null)
        {
            return TooLarge(limit);
        }

        var webhook = new SignedWebhook(request.Headers[StandardWebhooks.IdHeader], request.Headers[StandardWebhooks.TimestampHeader],
            request.Headers[StandardWebhooks.SignatureHeader], body);
        var result = await intake.ReceiveAsync(merchant, webhook, ct);
        return result.Outcome switch
        {
            IntakeOutcome.Accepted => TypedResults.Accepted($"/api/orders/{result.OrderId}", new IntakeResponse(result.OrderId!.Value, false)),
            IntakeOutcome.Duplicate => TypedResults.Ok(new IntakeResponse(result.OrderId!.Value, true)),
            IntakeOutcome.Unauthorized => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is not valid.", detail: result.Problem),
            _ => TypedResults.ValidationProblem(result.Errors!, title: "The order is not valid."),
        };
    }

    /// <summary>The raw body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)Math.Min(length, limit) : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", detail: $"Order webhooks may be at most {limit} bytes.");
}

/// <summary>The order a webhook created, or found when it had been received before.</summary>
public sealed record IntakeResponse(Guid OrderId, bool Duplicate);
