using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// Sends due customer notifications through their channels. Rows are claimed with SKIP LOCKED and a lease (so each is sent
/// by one process at a time), attempts are counted at the claim, failures retried on <see cref="RetrySchedule"/> and the
/// outcome (sent, retrying with the error, failed) recorded on the row, where <c>GET /api/orders/{id}</c> shows it.
/// Unlike storefront webhooks (<see cref="WebhookSender"/>), the claim is not a transaction held through the round: a round
/// of 50 goes out 8 at a time, and an SMTP server that stops answering holds each send for MailKit's two minutes, so a
/// transaction could stay open for many minutes and hold back every table's vacuum meanwhile.
/// </summary>
public sealed class NotificationSender(
    NpgsqlDataSource dataSource,
    IEnumerable<INotificationChannel> channels,
    FulfillmentMetrics metrics,
    RandomSource random,
    TimeProvider clock,
    ILogger<NotificationSender> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<DueNotification> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due = (await connection.QueryAsync<DueNotification>(new CommandDefinition("""
                UPDATE fulfillment.notifications n SET claimed_until = @leaseUntil, attempts = attempts + 1
                WHERE n.id IN (
                    SELECT id FROM fulfillment.notifications
                    WHERE status = 'pending' AND channel = ANY (@channels) AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                    ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED)
                RETURNING n.id AS Id, n.channel AS Channel, n.recipient AS Recipient, n.subject AS Subject, n.text_body AS Text, n.html_body AS Html, n.attempts AS Attempts
                """, new { now, leaseUntil = now + Lease, channels = _channels.Keys.ToArray() }, cancellationToken: ct))).ToList();
        }

        if (due.Count == 0)
        {
            return 0;
        }

        // Sent side by side (the SMTP server and the SMS provider answer slowly compared with a pickup directory), and
        // the outcomes recorded in one statement: one transaction per round, not one per message.
        var outcomes = new Outcome[due.Count];
        await Parallel.ForAsync(0, due.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentSends, CancellationToken = ct },
            async (i, token) => outcomes[i] = await SendAsync(due[i], token));
        await RecordAsync(outcomes, ct);
        return due.Count;
    }

    private async Task<Outcome> SendAsync(DueNotification notification, CancellationToken ct)
    {
        try
        {
            var providerId = await _channels[notification.Channel].SendAsync(notification, ct);
            metrics.Notification(notification.Channel, "sent");
            return new Outcome(notification, "sent", null, providerId, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var permanent = e is NotificationRejectedException;
            metrics.Notification(notification.Channel, "failed");
            var retryIn = permanent ? null : RetrySchedule.After(notification.Attempts, random.NextDouble());
            if (permanent)
            {
                logger.LogWarning("Notification {NotificationId} ({Channel}) rejected on attempt {Attempt}: {Error}", notification.Id, notification.Channel, notification.Attempts, e.Message);
            }
            else if (retryIn is null)
            {
                logger.LogError(e, "Notification {NotificationId} ({Channel}) failed for good on attempt {Attempt}", notification.Id, notification.Channel, notification.Attempts);
            }
            else
            {
                // Retried: the type and message only, as for activities (a provider outage fails every message at each attempt).
                logger.LogWarning("Notification {NotificationId} ({Channel}) failed on attempt {Attempt} ({ErrorType}: {Error}); retrying in {RetryIn}",
                    notification.Id, notification.Channel, notification.Attempts, e.GetType().Name, e.Message, retryIn);
            }

            return new Outcome(notification, retryIn is null ? "failed" : "pending", e.Message, null, retryIn);
        }
    }

    private async Task RecordAsync(Outcome[] outcomes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.notifications n
            SET status = r.status, last_error = r.error, claimed_until = NULL, provider_message_id = coalesce(r.provider_id, n.provider_message_id),
                next_attempt_at = r.next_attempt_at, sent_at = CASE WHEN r.status = 'sent' THEN @now END
            FROM unnest(@ids::uuid[], @statuses::text[], @errors::text[], @providerIds::text[], @nextAttempts::timestamptz[])
                AS r(id, status, error, provider_id, next_attempt_at)
            WHERE n.id = r.id
            """, new
        {
            now,
            ids = outcomes.Select(o => o.Notification.Id).ToArray(),
            statuses = outcomes.Select(o => o.Status).ToArray(),
            errors = outcomes.Select(o => o.Error).ToArray(),
            providerIds = outcomes.Select(o => o.ProviderId).ToArray(),
            nextAttempts = outcomes.Select(o => now + (o.RetryIn ?? TimeSpan.Zero)).ToArray(),
        }, cancellationToken: ct));
    }

    /// <summary>At most this many messages of one round are in flight at once.</summary>
    private const int MaxConcurrentSends = 8;

    private sealed record Outcome(DueNotification Notification, string Status, string? Error, string? ProviderId, TimeSpan? RetryIn);
}
