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

        foreach (var notification in due)
        {
            await SendAsync(notification, ct);
        }

        return due.Count;
    }

    private async Task SendAsync(DueNotification notification, CancellationToken ct)
    {
        string? error = null, providerId = null;
        var permanent = false;
        try
        {
            providerId = await _channels[notification.Channel].SendAsync(notification, ct);
            metrics.Notification(notification.Channel, "sent");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            error = e.Message;
            permanent = e is NotificationRejectedException;
            metrics.Notification(notification.Channel, "failed");
            logger.LogWarning(e, "Notification {NotificationId} ({Channel}) failed on attempt {Attempt}", notification.Id, notification.Channel, notification.Attempts);
        }

        var retryIn = error is null || permanent ? null : RetrySchedule.After(notification.Attempts, random.NextDouble());
        var status = error is null ? "sent" : retryIn is null ? "failed" : "pending";
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.notifications SET status = @status, last_error = @error, claimed_until = NULL, provider_message_id = coalesce(@providerId, provider_message_id),
                next_attempt_at = @next, sent_at = CASE WHEN @status = 'sent' THEN @now END
            WHERE id = @Id
            """, new { notification.Id, status, error, providerId, next = now + (retryIn ?? TimeSpan.Zero), now }, cancellationToken: ct));
    }
}
