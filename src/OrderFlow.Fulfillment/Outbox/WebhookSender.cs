using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// Delivers due storefront webhooks, signed with Standard Webhooks headers. Per order and subscription only the earliest
/// pending event is sent, so a storefront sees an order's events in sequence. 2xx is success; anything else (3xx too)
/// is retried on <see cref="RetrySchedule"/>; 410 Gone disables the subscription.
/// </summary>
public sealed class WebhookSender(
    NpgsqlDataSource dataSource,
    IHttpClientFactory httpClients,
    ISecretProtector protector,
    FulfillmentMetrics metrics,
    RandomSource random,
    TimeProvider clock,
    IOptions<FulfillmentOptions> options,
    ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "storefront-webhooks";

    /// <summary>
    /// Claims up to a batch of due deliveries, sends them side by side and records the outcomes. The claim is the rows'
    /// locks (<c>FOR UPDATE SKIP LOCKED</c>) in a transaction held while the requests are out, so each delivery is written
    /// once, with its outcome, instead of once to claim it and once more to record it; if this process dies mid-send the
    /// transaction ends with its connection and another process claims the rows at once. A delivery still under a lease
    /// (<c>claimed_until</c>, written by a process of an earlier version during a rolling upgrade) is left to its holder.
    /// The transaction lasts as long as the slowest request of the round, at most <see cref="FulfillmentOptions.WebhookTimeoutSeconds"/>:
    /// the requests go out all at once.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<DueDelivery>(new CommandDefinition("""
            WITH claimed AS (
                SELECT d.id, d.event_id, d.subscription_id, d.attempts + 1 AS attempts, d.next_attempt_at
                FROM fulfillment.webhook_deliveries d
                WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until < @now)
                  AND EXISTS (SELECT 1 FROM fulfillment.webhook_subscriptions s WHERE s.id = d.subscription_id AND s.enabled)
                  -- An earlier event of the order still to go holds this one back (in order per subscriber); one being
                  -- sent by another process right now is locked, but still not settled, so it holds this one back too.
                  -- "Not settled" rather than "= 'pending'": that would let the planner probe the due index (every
                  -- pending row, estimated at one) for each candidate, quadratic in a backlog (15 ms per claim in the
                  -- bench); this way the probe reads the order's few rows by its own index.
                  AND NOT EXISTS (SELECT 1 FROM fulfillment.webhook_deliveries e
                                  WHERE e.order_id = d.order_id AND e.subscription_id = d.subscription_id
                                    AND e.sequence < d.sequence AND e.status NOT IN ('delivered', 'failed'))
                ORDER BY d.next_attempt_at LIMIT @batch
                FOR UPDATE OF d SKIP LOCKED)
            SELECT c.id AS Id, c.event_id AS EventId, c.attempts AS Attempts, c.next_attempt_at AS DueAt,
                   s.url AS Url, s.secret AS Secret, e.payload::text AS Payload, e.created_at AS CreatedAt
            FROM claimed c JOIN fulfillment.webhook_subscriptions s ON s.id = c.subscription_id
            JOIN fulfillment.order_events e ON e.event_id = c.event_id
            """, new { now, batch = options.Value.OutboxBatchSize }, tx, cancellationToken: ct))).ToList();
        if (due.Count == 0)
        {
            await tx.CommitAsync(ct);
            return 0;
        }

        var results = await Task.WhenAll(due.Select(d => SendAsync(d, ct)));
        await RecordAsync(connection, tx, results, ct);
        return due.Count;
    }

    private async Task<DeliveryResult> SendAsync(DueDelivery delivery, CancellationToken ct)
    {
        if (delivery.Attempts == 1)
        {
            metrics.OutboxLag(clock.GetUtcNow() - delivery.DueAt);
        }

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(StandardWebhooks.IdHeader, delivery.EventId);
        request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(protector.Unprotect(delivery.Secret, SecretPurposes.SubscriptionSecret), delivery.EventId, timestamp, body));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.WebhookTimeoutSeconds));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? new DeliveryResult(delivery, code, null, null)
                : new DeliveryResult(delivery, code, $"HTTP {code}", response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? date - clock.GetUtcNow() : null));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new DeliveryResult(delivery, null, e.Message, null);
        }
    }

    /// <summary>Records the outcomes in the claim's transaction and commits it, which lets go of the rows.</summary>
    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DeliveryResult[] results, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = new List<long>();
        var statuses = new List<string>();
        var nextAttempts = new List<DateTimeOffset>();
        var codes = new List<int?>();
        var errors = new List<string?>();
        var gone = new List<long>();
        foreach (var r in results)
        {
            var success = r.Error is null;
            var retryIn = success || r.StatusCode == (int)HttpStatusCode.Gone ? null : RetrySchedule.After(r.Delivery.Attempts, random.NextDouble(), r.RetryAfter);
            ids.Add(r.Delivery.Id);
            statuses.Add(success ? "delivered" : retryIn is null ? "failed" : "pending");
            nextAttempts.Add(now + (retryIn ?? TimeSpan.Zero));
            codes.Add(r.StatusCode);
            errors.Add(r.Error);
            metrics.WebhookDelivery(success ? "delivered" : retryIn is null ? "failed" : "retry");
            if (r.StatusCode == (int)HttpStatusCode.Gone)
            {
                gone.Add(r.Delivery.Id);
            }

            if (!success)
            {
                logger.LogWarning("Webhook {EventId} to {Url} failed on attempt {Attempt}: {Error}", r.Delivery.EventId, r.Delivery.Url, r.Delivery.Attempts, r.Error);
            }
        }

        var failed = results.Where(r => r.Error is not null).Select(r => r.Delivery.Id).ToArray();
        var succeeded = results.Where(r => r.Error is null).Select(r => r.Delivery.Id).ToArray();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.webhook_deliveries d
            SET attempts = d.attempts + 1, status = r.status, next_attempt_at = r.next_attempt_at, last_status_code = r.code, last_error = r.error, claimed_until = NULL,
                delivered_at = CASE WHEN r.status = 'delivered' THEN @now END
            FROM unnest(@ids::bigint[], @statuses::text[], @nextAttempts::timestamptz[], @codes::int[], @errors::text[]) AS r(id, status, next_attempt_at, code, error)
            WHERE d.id = r.id;
            UPDATE fulfillment.webhook_subscriptions SET failing_since = @now
            WHERE failing_since IS NULL AND id IN (SELECT subscription_id FROM fulfillment.webhook_deliveries WHERE id = ANY (@failed));
            -- One success shows the endpoint works: the failure clock starts again.
            UPDATE fulfillment.webhook_subscriptions SET failing_since = NULL
            WHERE failing_since IS NOT NULL AND id IN (SELECT subscription_id FROM fulfillment.webhook_deliveries WHERE id = ANY (@succeeded));
            """, new { now, ids = ids.ToArray(), statuses = statuses.ToArray(), nextAttempts = nextAttempts.ToArray(), codes = codes.ToArray(), errors = errors.ToArray(), failed, succeeded },
            tx, cancellationToken: ct));
        var disabled = await connection.QueryAsync<(Guid Id, string Url, string Reason)>(new CommandDefinition("""
            WITH gone AS (SELECT DISTINCT subscription_id AS id FROM fulfillment.webhook_deliveries WHERE id = ANY (@gone)),
            disabled AS (
                UPDATE fulfillment.webhook_subscriptions s SET enabled = false, disabled_at = @now, updated_at = @now,
                    disabled_reason = CASE WHEN s.id IN (SELECT id FROM gone) THEN 'The endpoint answered 410 Gone.'
                                           ELSE format('Every delivery failed for %s hours.', @hours) END
                WHERE s.enabled AND (s.id IN (SELECT id FROM gone) OR s.failing_since <= @now - make_interval(hours => @hours))
                RETURNING s.id, s.merchant_id, s.url, s.disabled_reason),
            notices AS (
                INSERT INTO fulfillment.merchant_notices (merchant_id, kind, subject_id, message, created_at)
                SELECT merchant_id, 'webhook_subscription_disabled', id::text,
                       format('Status webhooks to %s are disabled: %s Fix the endpoint, enable the subscription again and replay what it missed.', url, disabled_reason), @now
                FROM disabled)
            SELECT id AS Id, url AS Url, disabled_reason AS Reason FROM disabled
            """, new { now, gone = gone.ToArray(), hours = options.Value.WebhookDisableAfterFailingHours }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        foreach (var d in disabled)
        {
            logger.LogWarning("Webhook subscription {SubscriptionId} to {Url} disabled: {Reason}", d.Id, d.Url, d.Reason);
        }
    }

    private sealed record DueDelivery(long Id, string EventId, int Attempts, DateTime DueAt, string Url, string Secret, string Payload, DateTime CreatedAt);

    private sealed record DeliveryResult(DueDelivery Delivery, int? StatusCode, string? Error, TimeSpan? RetryAfter);
}
