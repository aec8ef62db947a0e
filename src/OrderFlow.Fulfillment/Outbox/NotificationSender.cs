using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// Sends due customer notifications through their channels. Rows are claimed by their locks (<c>FOR UPDATE SKIP
/// LOCKED</c>, in a transaction held while the round is sent, so each is sent by one process at a time and written once),
/// failures retried on <see cref="RetrySchedule"/> and the outcome (sent, retrying with the error, failed) and the attempt
/// recorded on the row, where <c>GET /api/orders/{id}</c> shows it. A process that dies mid-round ends its transaction
/// with its connection, and another process claims the rows at once.
/// </summary>
public sealed class NotificationSender(
    NpgsqlDataSource dataSource,
    IEnumerable<INotificationChannel> channels,
    FulfillmentMetrics metrics,
    RandomSource random,
    TimeProvider clock,
    ILogger<NotificationSender> logger)
{
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = (await connection.QueryAsync<DueNotification>(new CommandDefinition("""
            SELECT n.id AS Id, n.channel AS Channel, n.recipient AS Recipient, n.subject AS Subject, n.text_body AS Text, n.html_body AS Html, n.attempts + 1 AS Attempts
            FROM fulfillment.notifications n
            WHERE status = 'pending' AND channel = ANY (@channels) AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
            ORDER BY next_attempt_at LIMIT 50
            FOR UPDATE SKIP LOCKED
            """, new { now, channels = _channels.Keys.ToArray() }, tx, cancellationToken: ct))).ToList();
        if (due.Count == 0)
        {
            await tx.CommitAsync(ct);
            return 0;
        }

        // Sent side by side (the SMTP server and the SMS provider answer slowly compared with a pickup directory), and
        // the outcomes recorded in one statement: one transaction per round, not one per message.
        var outcomes = new Outcome[due.Count];
        await Parallel.ForAsync(0, due.Count, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentSends, CancellationToken = ct },
            async (i, token) => outcomes[i] = await SendAsync(due[i], token));
        await RecordAsync(connection, tx, outcomes, ct);
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
            logger.LogWarning(e, "Notification {NotificationId} ({Channel}) failed on attempt {Attempt}", notification.Id, notification.Channel, notification.Attempts);
            var retryIn = permanent ? null : RetrySchedule.After(notification.Attempts, random.NextDouble());
            return new Outcome(notification, retryIn is null ? "failed" : "pending", e.Message, null, retryIn);
        }
    }

    /// <summary>Records the outcomes in the claim's transaction and commits it, which lets go of the rows.</summary>
    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Outcome[] outcomes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.notifications n
            SET attempts = n.attempts + 1, status = r.status, last_error = r.error, claimed_until = NULL, provider_message_id = coalesce(r.provider_id, n.provider_message_id),
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
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>At most this many messages of one round are in flight at once.</summary>
    private const int MaxConcurrentSends = 8;

    private sealed record Outcome(DueNotification Notification, string Status, string? Error, string? ProviderId, TimeSpan? RetryIn);
}
