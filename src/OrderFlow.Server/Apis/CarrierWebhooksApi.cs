using Microsoft.Extensions.Options;
using OrderFlow.Fulfillment;
using OrderFlow.Fulfillment.Tracking;

namespace OrderFlow.Server.Apis;

/// <summary>Tracking pushed by carriers (AfterShip's webhook format), signed with the shared secret.</summary>
public static class CarrierWebhooksApi
{
    public static IEndpointRouteBuilder MapCarrierWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/carriers/aftership", Receive)
            .WithName("ReceiveAfterShipWebhook").WithTags("Carrier webhooks").AllowAnonymous()
            .WithSummary("An AfterShip tracking_update, verified with aftership-hmac-sha256 over the raw body; an event id seen before changes nothing.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Receive(HttpRequest request, CarrierWebhookIntake intake, IOptions<FulfillmentOptions> options, CancellationToken ct)
    {
        var limit = options.Value.MaxIntakeBodyBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.", detail: $"Carrier webhooks may be at most {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return await intake.ReceiveAfterShipAsync(buffer.ToArray(), request.Headers[CarrierWebhookIntake.SignatureHeader], ct) switch
        {
            CarrierWebhookOutcome.Unauthorized => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The webhook signature is not valid."),
            CarrierWebhookOutcome.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["msg.tracking_number"] = ["An event_id and msg.tracking_number are required; text fields must not hold control characters or invalid Unicode."] }),
            _ => TypedResults.Ok(),
        };
    }
}
