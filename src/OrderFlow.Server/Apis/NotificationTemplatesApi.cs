using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Notifications.Templates;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>
/// A merchant's customer messages: Liquid templates per event and channel (the default where none is saved), checked when
/// saved, previewed against a sample order; and whether its customers get SMS.
/// </summary>
public static class NotificationTemplatesApi
{
    public static IEndpointRouteBuilder MapNotificationTemplatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/merchants/{merchantId}").WithTags("Customer notifications").RequireAuthorization(Policies.Viewer).ScopedToMerchant("merchantId");
        group.MapGet("/templates", List).WithName("ListNotificationTemplates")
            .WithSummary("Every event's template on every channel (email, sms): the merchant's own, or the default (isDefault).");
        group.MapGet("/templates/{event}/{channel}", Get).WithName("GetNotificationTemplate")
            .WithSummary("The template in force for an event and channel; the default is a good starting point for your own.");
        group.MapPut("/templates/{event}/{channel}", Save).WithName("SaveNotificationTemplate").RequireAuthorization(Policies.Editor)
            .WithSummary("Saves the merchant's template (Liquid): e-mail needs subject and text (html optional), SMS only text. A part that does not parse or fails on the sample order is a 400 naming it.");
        group.MapDelete("/templates/{event}/{channel}", Reset).WithName("ResetNotificationTemplate").RequireAuthorization(Policies.Editor)
            .WithSummary("Drops the merchant's template: the default applies again.");
        group.MapPost("/templates/{event}/{channel}/preview", Preview).WithName("PreviewNotificationTemplate")
            .WithSummary("Renders the template given in the body against a sample order; an empty object {} renders the one in force.");
        group.MapGet("/notification-settings", GetSettings).WithName("GetNotificationSettings")
            .WithSummary("Whether the merchant's customers get SMS (smsEnabled) and whether an SMS provider is configured (smsAvailable).");
        group.MapPut("/notification-settings", SaveSettings).WithName("SaveNotificationSettings").RequireAuthorization(Policies.Editor)
            .WithSummary("Turns SMS on or off for the merchant's customers.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<StoredTemplate>>, NotFound<ProblemDetailsBody>>> List(string merchantId, TemplateStore store, CancellationToken ct) =>
        await store.ListAsync(merchantId, ct) is { } list ? TypedResults.Ok(list) : NoMerchant(merchantId);

    private static async Task<Results<Ok<StoredTemplate>, NotFound<ProblemDetailsBody>>> Get(
        string merchantId, [FromRoute(Name = "event")] string eventName, string channel, TemplateStore store, CancellationToken ct)
    {
        if (Unknown(eventName, channel) is { } notFound)
        {
            return notFound;
        }

        return await store.GetAsync(merchantId, eventName, channel, ct) is { } template ? TypedResults.Ok(template) : NoMerchant(merchantId);
    }

    private static async Task<Results<Ok<StoredTemplate>, ValidationProblem, NotFound<ProblemDetailsBody>>> Save(
        string merchantId, [FromRoute(Name = "event")] string eventName, string channel, TemplateRequest request, TemplateStore store, HttpContext http, CancellationToken ct)
    {
        if (Unknown(eventName, channel) is { } notFound)
        {
            return notFound;
        }

        var template = request.ToTemplate();
        var errors = await store.ValidateAsync(merchantId, eventName, channel, template);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The template is not valid.");
        }

        return await store.SaveAsync(merchantId, eventName, channel, template, http.Actor(), ct) is { } saved ? TypedResults.Ok(saved) : NoMerchant(merchantId);
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetailsBody>>> Reset(
        string merchantId, [FromRoute(Name = "event")] string eventName, string channel, TemplateStore store, CancellationToken ct)
    {
        if (Unknown(eventName, channel) is { } notFound)
        {
            return notFound;
        }

        return await store.ResetAsync(merchantId, eventName, channel, ct)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(ProblemDetailsBody.NotFound($"Merchant {merchantId} has no template of its own for {eventName}/{channel}."));
    }

    private static async Task<Results<Ok<RenderedMessage>, ValidationProblem, NotFound<ProblemDetailsBody>>> Preview(
        string merchantId, [FromRoute(Name = "event")] string eventName, string channel,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TemplateRequest? request, TemplateStore store, CancellationToken ct)
    {
        if (Unknown(eventName, channel) is { } notFound)
        {
            return notFound;
        }

        var template = request is { Subject: null, Text: null, Html: null } ? null : request?.ToTemplate();
        if (template is not null && await store.ValidateAsync(merchantId, eventName, channel, template) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "The template is not valid.");
        }

        return await store.PreviewAsync(merchantId, eventName, channel, template, ct) is { } rendered ? TypedResults.Ok(rendered) : NoMerchant(merchantId);
    }

    private static async Task<Results<Ok<NotificationSettingsView>, NotFound<ProblemDetailsBody>>> GetSettings(string merchantId, NotificationSettings settings, CancellationToken ct) =>
        await settings.GetAsync(merchantId, ct) is { } view ? TypedResults.Ok(view) : NoMerchant(merchantId);

    private static async Task<Results<Ok<NotificationSettingsView>, ValidationProblem, NotFound<ProblemDetailsBody>>> SaveSettings(
        string merchantId, NotificationSettingsRequest request, NotificationSettings settings, CancellationToken ct)
    {
        if (request.SmsEnabled is not { } enabled)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["smsEnabled"] = ["This field is required (true or false)."] });
        }

        return await settings.SetSmsAsync(merchantId, enabled, ct) is { } view ? TypedResults.Ok(view) : NoMerchant(merchantId);
    }

    private static NotFound<ProblemDetailsBody>? Unknown(string eventName, string channel) =>
        !NotificationEvents.All.Contains(eventName)
            ? TypedResults.NotFound(ProblemDetailsBody.NotFound($"No notification event '{eventName}'; the events are {string.Join(", ", NotificationEvents.All)}."))
            : !NotificationChannels.All.Contains(channel)
                ? TypedResults.NotFound(ProblemDetailsBody.NotFound($"No channel '{channel}'; the channels are {string.Join(", ", NotificationChannels.All)}."))
                : null;

    private static NotFound<ProblemDetailsBody> NoMerchant(string merchantId) => TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant {merchantId}."));
}

/// <summary>A template's Liquid sources: subject, text and html for e-mail; text alone for SMS.</summary>
public sealed record TemplateRequest(string? Subject, string? Text, string? Html)
{
    public MessageTemplate ToTemplate() => new(Subject, Text ?? "", Html);
}

/// <summary>Turn SMS on or off for the merchant's customers.</summary>
public sealed record NotificationSettingsRequest(bool? SmsEnabled);
