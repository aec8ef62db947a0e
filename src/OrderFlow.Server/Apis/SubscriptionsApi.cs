using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>
/// A merchant's storefront webhook subscriptions, their delivery log, replay, and the notices the merchant must read
/// (such as an endpoint disabled after failing). Everything is under the merchant's path and scoped to it.
/// </summary>
public static class SubscriptionsApi
{
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/merchants/{merchantId}").WithTags("Webhook subscriptions").RequireAuthorization(Policies.Viewer).ScopedToMerchant("merchantId");
        group.MapGet("/subscriptions", List).WithName("ListWebhookSubscriptions").WithSummary("The merchant's status webhook subscriptions (never their secrets).");
        group.MapPost("/subscriptions", Create).WithName("CreateWebhookSubscription").RequireAuthorization(Policies.Admin)
            .WithSummary("Subscribes a URL to status events; the answer carries the whsec_ signing secret, shown this once.");
        group.MapGet("/subscriptions/{id:guid}", Get).WithName("GetWebhookSubscription");
        group.MapPatch("/subscriptions/{id:guid}", Update).WithName("UpdateWebhookSubscription").RequireAuthorization(Policies.Editor)
            .WithSummary("Changes the URL, description or event filter, or disables or enables the subscription (enabling restarts its failure clock).");
        group.MapDelete("/subscriptions/{id:guid}", Delete).WithName("DeleteWebhookSubscription").RequireAuthorization(Policies.Admin);
        group.MapGet("/subscriptions/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The subscription's delivery log, newest first; before pages on, status filters (pending, delivered, failed).");
        group.MapPost("/subscriptions/{id:guid}/deliveries/{deliveryId:long}/replay", Replay).WithName("ReplayWebhookDelivery").RequireAuthorization(Policies.Editor)
            .WithSummary("Sends one delivery again with a fresh retry schedule.");
        group.MapPost("/subscriptions/{id:guid}/replay", ReplaySince).WithName("ReplayWebhookDeliveriesSince").RequireAuthorization(Policies.Editor)
            .WithSummary("Sends again every event since a time that the subscription's filter takes, including those it never received.");
        group.MapGet("/notices", Notices).WithName("ListMerchantNotices").WithSummary("What the merchant must be told, newest first.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<WebhookSubscriptionView>>, NotFound<ProblemDetailsBody>>> List(string merchantId, WebhookSubscriptions store, CancellationToken ct) =>
        await store.MerchantExistsAsync(merchantId, ct) ? TypedResults.Ok(await store.ListAsync(merchantId, ct)) : NoMerchant(merchantId);

    private static async Task<Results<Created<CreatedWebhookSubscription>, NotFound<ProblemDetailsBody>, ValidationProblem>> Create(
        string merchantId, CreateSubscriptionRequest request, WebhookSubscriptions store, CancellationToken ct)
    {
        if (!await store.MerchantExistsAsync(merchantId, ct))
        {
            return NoMerchant(merchantId);
        }

        var errors = await store.ValidateAsync(request.Url, request.EventTypes is { Length: 0 } ? null : request.EventTypes, urlRequired: true, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await store.CreateAsync(merchantId, request.Url!, request.Description, request.EventTypes is { Length: 0 } ? null : request.EventTypes, ct);
        return TypedResults.Created($"/api/merchants/{merchantId}/subscriptions/{created.Subscription.Id}", created);
    }

    private static async Task<Results<Ok<WebhookSubscriptionView>, NotFound<ProblemDetailsBody>>> Get(string merchantId, Guid id, WebhookSubscriptions store, CancellationToken ct) =>
        await store.GetAsync(merchantId, id, ct) is { } view ? TypedResults.Ok(view) : NoSubscription(id);

    private static async Task<Results<Ok<WebhookSubscriptionView>, NotFound<ProblemDetailsBody>, ValidationProblem>> Update(
        string merchantId, Guid id, UpdateSubscriptionRequest request, WebhookSubscriptions store, CancellationToken ct)
    {
        var errors = await store.ValidateAsync(request.Url, request.EventTypes, urlRequired: false, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.UpdateAsync(merchantId, id, new WebhookSubscriptionChange(request.Url, request.Description, request.EventTypes, request.Enabled), ct) is { } view
            ? TypedResults.Ok(view) : NoSubscription(id);
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetailsBody>>> Delete(string merchantId, Guid id, WebhookSubscriptions store, CancellationToken ct) =>
        await store.DeleteAsync(merchantId, id, ct) ? TypedResults.NoContent() : NoSubscription(id);

    private static async Task<Results<Ok<IReadOnlyList<WebhookDeliveryLogEntry>>, NotFound<ProblemDetailsBody>, ValidationProblem>> Deliveries(
        string merchantId, Guid id, string? status, long? before, int? limit, WebhookSubscriptions store, CancellationToken ct)
    {
        if (status is not null && !WebhookSubscriptions.DeliveryStatuses.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Use {string.Join(", ", WebhookSubscriptions.DeliveryStatuses)}."] });
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"The limit must be between 1 and {MaxLimit}."] });
        }

        return await store.GetAsync(merchantId, id, ct) is null
            ? NoSubscription(id)
            : TypedResults.Ok(await store.DeliveriesAsync(merchantId, id, status, before, limit ?? 50, ct));
    }

    private static async Task<Results<Accepted, NotFound<ProblemDetailsBody>>> Replay(string merchantId, Guid id, long deliveryId, WebhookSubscriptions store, CancellationToken ct) =>
        await store.ReplayAsync(merchantId, id, deliveryId, ct) ? TypedResults.Accepted((string?)null) : TypedResults.NotFound(ProblemDetailsBody.NotFound($"No delivery {deliveryId} of subscription {id}."));

    private static async Task<Results<Accepted<ReplayResult>, NotFound<ProblemDetailsBody>, ValidationProblem>> ReplaySince(
        string merchantId, Guid id, ReplaySinceRequest request, WebhookSubscriptions store, TimeProvider clock, CancellationToken ct)
    {
        if (request.Since is not { } since || since > clock.GetUtcNow())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["since"] = ["Give the time to replay from (ISO 8601), not in the future."] });
        }

        return await store.GetAsync(merchantId, id, ct) is null
            ? NoSubscription(id)
            : TypedResults.Accepted((string?)null, new ReplayResult(await store.ReplaySinceAsync(merchantId, id, since, ct)));
    }

    private static async Task<Results<Ok<IReadOnlyList<MerchantNotice>>, NotFound<ProblemDetailsBody>>> Notices(string merchantId, WebhookSubscriptions store, CancellationToken ct) =>
        await store.MerchantExistsAsync(merchantId, ct) ? TypedResults.Ok(await store.NoticesAsync(merchantId, ct)) : NoMerchant(merchantId);

    private static NotFound<ProblemDetailsBody> NoMerchant(string merchantId) => TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant {merchantId}."));

    private static NotFound<ProblemDetailsBody> NoSubscription(Guid id) => TypedResults.NotFound(ProblemDetailsBody.NotFound($"No subscription {id} for this merchant."));
}

/// <summary>A new subscription: where to send, what (null or empty: every event type).</summary>
public sealed record CreateSubscriptionRequest(string? Url, string? Description, string[]? EventTypes);

/// <summary>Fields to change; those left out stay. An empty event filter means every event type.</summary>
public sealed record UpdateSubscriptionRequest(string? Url, string? Description, string[]? EventTypes, bool? Enabled);

/// <summary>Replay everything since this time.</summary>
public sealed record ReplaySinceRequest(DateTimeOffset? Since);

/// <summary>How many deliveries were queued again.</summary>
public sealed record ReplayResult(int Deliveries);
