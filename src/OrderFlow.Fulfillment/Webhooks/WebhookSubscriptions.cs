using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Security;

namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>
/// A merchant's storefront webhook subscriptions: create (the secret is returned once), list, change, delete, and replay
/// of one delivery or of everything since a time. Every query is scoped to the merchant, so one merchant can never see or
/// touch another's subscriptions by guessing an id.
/// </summary>
public sealed class WebhookSubscriptions(NpgsqlDataSource dataSource, OutboundTargetGuard guard, ISecretProtector protector, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, merchant_id AS MerchantId, url AS Url, description AS Description, event_types AS EventTypes, enabled AS Enabled,
        disabled_reason AS DisabledReason, disabled_at AS DisabledAt, failing_since AS FailingSince, created_at AS CreatedAt
        """;

    /// <summary>Problems with a URL or an event filter, keyed by field name; empty when both are fine.</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(string? url, string[]? eventTypes, bool urlRequired, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (url is not null || urlRequired)
        {
            if (await guard.CheckUrlAsync(OutboundTarget.StorefrontWebhook, url, ct) is { } problem)
            {
                errors["url"] = [problem];
            }
        }

        if (eventTypes is not null && eventTypes.Where(t => !WebhookEventTypes.All.Contains(t)).ToList() is { Count: > 0 } unknown)
        {
            errors["eventTypes"] = [$"Unknown event types {string.Join(", ", unknown)}; use any of {string.Join(", ", WebhookEventTypes.All)}."];
        }

        return errors;
    }

    public async Task<bool> MerchantExistsAsync(string merchantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM fulfillment.merchants WHERE id = @merchantId)", new { merchantId }, cancellationToken: ct));
    }

    /// <summary>Creates a subscription with a fresh <c>whsec_</c> secret. Validate first.</summary>
    public async Task<CreatedWebhookSubscription> CreateAsync(string merchantId, string url, string? description, string[]? eventTypes, CancellationToken ct)
    {
        var secret = StandardWebhooks.NewSecret();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var view = await connection.QuerySingleAsync<WebhookSubscriptionView>(new CommandDefinition($"""
            INSERT INTO fulfillment.webhook_subscriptions (id, merchant_id, url, secret, description, event_types, created_at, updated_at)
            VALUES (@id, @merchantId, @url, @secret, @description::text, @eventTypes::text[], @now, @now)
            RETURNING {Columns}
            """, new { id = Guid.CreateVersion7(), merchantId, url, secret = protector.Protect(secret, SecretPurposes.SubscriptionSecret), description, eventTypes = Distinct(eventTypes), now = clock.GetUtcNow() }, cancellationToken: ct));
        return new CreatedWebhookSubscription(view, secret);
    }

    public async Task<IReadOnlyList<WebhookSubscriptionView>> ListAsync(string merchantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<WebhookSubscriptionView>(new CommandDefinition($"""
            SELECT {Columns} FROM fulfillment.webhook_subscriptions WHERE merchant_id = @merchantId AND deleted_at IS NULL ORDER BY created_at, id
            """, new { merchantId }, cancellationToken: ct))).ToList();
    }

    public async Task<WebhookSubscriptionView?> GetAsync(string merchantId, Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookSubscriptionView>(new CommandDefinition($"""
            SELECT {Columns} FROM fulfillment.webhook_subscriptions WHERE merchant_id = @merchantId AND id = @id AND deleted_at IS NULL
            """, new { merchantId, id }, cancellationToken: ct));
    }

    /// <summary>Changes the given fields. Enabling again clears the reason it was disabled and restarts the failure clock.</summary>
    public async Task<WebhookSubscriptionView?> UpdateAsync(string merchantId, Guid id, WebhookSubscriptionChange change, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookSubscriptionView>(new CommandDefinition($"""
            UPDATE fulfillment.webhook_subscriptions SET
                url = coalesce(@url::text, url),
                description = coalesce(@description::text, description),
                event_types = CASE WHEN @setTypes THEN @eventTypes::text[] ELSE event_types END,
                enabled = coalesce(@enabled::boolean, enabled),
                disabled_reason = CASE WHEN @enabled::boolean IS NULL THEN disabled_reason WHEN @enabled::boolean THEN NULL ELSE 'Disabled by the merchant.' END,
                disabled_at = CASE WHEN @enabled::boolean IS NULL THEN disabled_at WHEN @enabled::boolean THEN NULL ELSE @now END,
                failing_since = CASE WHEN @enabled::boolean THEN NULL ELSE failing_since END,
                updated_at = @now
            WHERE merchant_id = @merchantId AND id = @id AND deleted_at IS NULL
            RETURNING {Columns}
            """, new
        {
            merchantId, id, change.Url, change.Description, setTypes = change.EventTypes is not null,
            eventTypes = change.EventTypes is { Length: 0 } ? null : Distinct(change.EventTypes), change.Enabled, now = clock.GetUtcNow(),
        }, cancellationToken: ct));
    }

    /// <summary>Deletes the subscription; one with a delivery log is kept disabled and hidden so the log stays readable per order.</summary>
    public async Task<bool> DeleteAsync(string merchantId, Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.webhook_subscriptions SET enabled = false, deleted_at = @now, updated_at = @now, disabled_at = coalesce(disabled_at, @now),
                disabled_reason = 'Deleted by the merchant.'
            WHERE merchant_id = @merchantId AND id = @id AND deleted_at IS NULL;
            DELETE FROM fulfillment.webhook_subscriptions s WHERE s.merchant_id = @merchantId AND s.id = @id
                AND NOT EXISTS (SELECT 1 FROM fulfillment.webhook_deliveries d WHERE d.subscription_id = s.id);
            """, new { merchantId, id, now = clock.GetUtcNow() }, cancellationToken: ct)) > 0;
    }

    /// <summary>The statuses the delivery log can be filtered by (the API checks a filter against these).</summary>
    public static readonly IReadOnlyList<string> DeliveryStatuses = ["pending", "delivered", "failed"];

    /// <summary>
    /// A status filter as SQL the planner can match to an index: failed deliveries have a partial index of their own
    /// (webhook_deliveries_failed), pending ones are few and in the due index, delivered ones are most of the log. With the
    /// status as a parameter the plan walked the subscription's whole log for the rare ones (~1.6 s for failed with
    /// 5,000,000 deliveries stored). Only these constants reach the SQL.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> StatusConditions =
        DeliveryStatuses.ToDictionary(s => s, s => $"d.status = '{s}'", StringComparer.Ordinal);

    /// <summary>The delivery log of a subscription, newest first; <paramref name="before"/> pages on.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryLogEntry>> DeliveriesAsync(string merchantId, Guid subscriptionId, string? status, long? before, int limit, CancellationToken ct)
    {
        var statusCondition = status is null ? "true"
            : StatusConditions.TryGetValue(status, out var condition) ? condition
            : throw new ArgumentOutOfRangeException(nameof(status), status, $"Use {string.Join(", ", DeliveryStatuses)}.");
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<WebhookDeliveryLogEntry>(new CommandDefinition($"""
            SELECT d.id AS Id, d.subscription_id AS SubscriptionId, d.event_id AS EventId, e.type AS EventType, d.order_id AS OrderId, d.sequence AS Sequence,
                   d.status AS Status, d.attempts AS Attempts, d.replays AS Replays, d.last_status_code AS LastStatusCode, d.last_error AS LastError,
                   d.next_attempt_at AS NextAttemptAt, d.delivered_at AS DeliveredAt, d.created_at AS CreatedAt
            FROM fulfillment.webhook_deliveries d
            JOIN fulfillment.webhook_subscriptions s ON s.id = d.subscription_id
            JOIN fulfillment.order_events e ON e.event_id = d.event_id
            WHERE s.merchant_id = @merchantId AND d.subscription_id = @subscriptionId
              AND {statusCondition} AND (@before::bigint IS NULL OR d.id < @before)
            ORDER BY d.id DESC LIMIT @limit
            """, new { merchantId, subscriptionId, before, limit }, cancellationToken: ct))).ToList();
    }

    /// <summary>Sends one delivery again, whatever its outcome so far, with a fresh retry schedule. False when there is no such delivery.</summary>
    public async Task<bool> ReplayAsync(string merchantId, Guid subscriptionId, long deliveryId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE fulfillment.webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = @now, claimed_until = NULL, replays = replays + 1
            FROM fulfillment.webhook_subscriptions s
            WHERE s.id = d.subscription_id AND s.merchant_id = @merchantId AND d.subscription_id = @subscriptionId AND d.id = @deliveryId;
            SELECT pg_notify('{StatusPublisher.OutboxChannel}', '');
            """, new { merchantId, subscriptionId, deliveryId, now = clock.GetUtcNow() }, cancellationToken: ct)) > 0;
    }

    /// <summary>
    /// Sends again every event of the merchant's orders since <paramref name="since"/> that the subscription's filter takes:
    /// deliveries made before are reset, events it never got (it was disabled or created later) are added. Returns how many.
    /// </summary>
    public async Task<int> ReplaySinceAsync(string merchantId, Guid subscriptionId, DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH s AS (SELECT id, event_types FROM fulfillment.webhook_subscriptions WHERE merchant_id = @merchantId AND id = @subscriptionId AND deleted_at IS NULL),
            events AS (
                SELECT e.event_id, e.order_id, e.sequence FROM fulfillment.order_events e
                JOIN fulfillment.orders o ON o.id = e.order_id, s
                WHERE o.merchant_id = @merchantId AND e.created_at >= @since AND (s.event_types IS NULL OR e.type = ANY (s.event_types))),
            upserted AS (
                INSERT INTO fulfillment.webhook_deliveries (event_id, subscription_id, order_id, sequence, next_attempt_at, created_at)
                SELECT events.event_id, s.id, events.order_id, events.sequence, @now, @now FROM events, s
                ON CONFLICT (order_id, subscription_id, sequence) DO UPDATE
                SET status = 'pending', attempts = 0, next_attempt_at = @now, claimed_until = NULL, replays = fulfillment.webhook_deliveries.replays + 1
                RETURNING 1),
            notified AS (SELECT pg_notify('{StatusPublisher.OutboxChannel}', ''))
            SELECT count(*)::int FROM upserted, notified
            """, new { merchantId, subscriptionId, since, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<MerchantNotice>> NoticesAsync(string merchantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<MerchantNotice>(new CommandDefinition("""
            SELECT id AS Id, merchant_id AS MerchantId, kind AS Kind, subject_id AS SubjectId, message AS Message, created_at AS CreatedAt
            FROM fulfillment.merchant_notices WHERE merchant_id = @merchantId ORDER BY id DESC LIMIT 100
            """, new { merchantId }, cancellationToken: ct))).ToList();
    }

    private static string[]? Distinct(string[]? types) => types?.Distinct(StringComparer.Ordinal).ToArray();
}
