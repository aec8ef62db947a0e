using System.Text.Json;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Intake.Formats;

/// <summary>OrderFlow's own order format, signed with Standard Webhooks headers.</summary>
public sealed class StandardIntakeFormat : IIntakeFormat
{
    public string Name => "standard";

    public WebhookVerification Verify(IReadOnlyList<string> secrets, IntakeRequest request, DateTimeOffset now) =>
        StandardWebhooks.Verify(secrets, request.Header(StandardWebhooks.IdHeader), request.Header(StandardWebhooks.TimestampHeader),
            request.Header(StandardWebhooks.SignatureHeader), request.Body.Span, now);

    public string? DeliveryId(IntakeRequest request) => request.Header(StandardWebhooks.IdHeader);

    public string? Ignore(IntakeRequest request) => null;

    public IntakeMapping Map(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<IntakeOrder>(body.Span, IntakeJson.Options) is { } order
                ? IntakeMapping.Of(order)
                : IntakeMapping.Invalid("$", "The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            return IntakeMapping.Invalid(IntakeJson.FieldOf(e), IntakeJson.Describe(e));
        }
    }
}
