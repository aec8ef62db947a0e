using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OrderFlow.SupplierSimulator.Admin;

namespace OrderFlow.SupplierSimulator.Sms;

/// <summary>
/// A fake SMS provider with a simple JSON API: <c>POST /sms/messages</c> (bearer token, <c>{"to","from","body","reference"}</c>,
/// optional <c>Idempotency-Key</c>) records the message; <c>GET /sms/messages?to=&amp;reference=</c> reads them back.
/// </summary>
internal static partial class SmsProviderApi
{
    private const int MaxBodyLength = 1_600;

    public static void MapSmsProviderApi(this WebApplication app)
    {
        app.MapPost("/sms/messages", SendAsync);
        app.MapGet("/sms/messages", (string? to, string? reference, SmsOutbox outbox) => Results.Ok(new { items = outbox.List(to, reference) }));
        app.MapGet("/sms/messages/{id}", (string id, SmsOutbox outbox) => outbox.Find(id) is { } message
            ? Results.Ok(message) : ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", $"No message {id}."));
    }

    private static async Task<IResult> SendAsync(HttpContext http, SmsOutbox outbox, IOptions<SimulatorOptions> options, KnobStore knobs,
        RandomSource random, TimeProvider time, ILogger<SmsOutbox> log)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {options.Value.Sms.Token}")
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "Send Authorization: Bearer <token>.");
        }

        var (request, error) = await ApiResults.ReadJsonAsync<SmsRequest>(http);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        if (request!.To is null || !E164().IsMatch(request.To))
        {
            errors["to"] = ["must be a phone number in E.164 format, e.g. +4915112345678"];
        }

        if (string.IsNullOrWhiteSpace(request.Body))
        {
            errors["body"] = ["is required"];
        }
        else if (request.Body.Length > MaxBodyLength)
        {
            errors["body"] = [$"must be at most {MaxBodyLength} characters"];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (random.Chance(knobs.Current.SmsFailureRate))
        {
            return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Provider unavailable", "Simulated failure (knob smsFailureRate).");
        }

        string? key = http.Request.Headers["Idempotency-Key"];
        var (message, created) = outbox.Add(string.IsNullOrWhiteSpace(key) ? null : key, request.To!, request.From, request.Body!, request.Reference, time.GetUtcNow());
        log.LogInformation("SMS {MessageId} to {To} ({Length} characters){Replay}", message.Id, message.To, message.Body.Length, created ? "" : ", replayed");
        var answer = new { id = message.Id, status = message.Status, to = message.To };
        return created ? Results.Created($"/sms/messages/{message.Id}", answer) : Results.Ok(answer);
    }

    private sealed record SmsRequest(string? To, string? From, string? Body, string? Reference);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}
