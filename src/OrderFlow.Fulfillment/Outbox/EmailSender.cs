using Dapper;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Notifications;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// Sends due customer e-mails: as .eml files into the pickup directory when one is configured, otherwise over SMTP.
/// Each message carries a Message-Id derived from the notification, so a resend after a crash is recognisable.
/// </summary>
public sealed class EmailSender(
    NpgsqlDataSource dataSource,
    FulfillmentMetrics metrics,
    RandomSource random,
    TimeProvider clock,
    IOptions<MailOptions> options,
    ILogger<EmailSender> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<DueEmail> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due = (await connection.QueryAsync<DueEmail>(new CommandDefinition("""
                UPDATE fulfillment.notifications n SET claimed_until = @leaseUntil, attempts = attempts + 1
                WHERE n.id IN (
                    SELECT id FROM fulfillment.notifications
                    WHERE status = 'pending' AND channel = 'email' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                    ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED)
                RETURNING n.id AS Id, n.recipient AS Recipient, n.subject AS Subject, n.text_body AS Text, n.html_body AS Html, n.attempts AS Attempts
                """, new { now, leaseUntil = now + Lease }, cancellationToken: ct))).ToList();
        }

        foreach (var email in due)
        {
            string? error = null;
            try
            {
                await SendAsync(email, ct);
                metrics.Notification("email", "sent");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = e.Message;
                metrics.Notification("email", "failed");
                logger.LogWarning(e, "E-mail notification {NotificationId} failed on attempt {Attempt}", email.Id, email.Attempts);
            }

            var retryIn = error is null ? null : RetrySchedule.After(email.Attempts, random.NextDouble());
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE fulfillment.notifications SET status = @status, last_error = @error, claimed_until = NULL,
                    next_attempt_at = @next, sent_at = CASE WHEN @status = 'sent' THEN @now END
                WHERE id = @Id
                """, new { email.Id, status = error is null ? "sent" : retryIn is null ? "failed" : "pending", error, next = clock.GetUtcNow() + (retryIn ?? TimeSpan.Zero), now = clock.GetUtcNow() },
                cancellationToken: ct));
        }

        return due.Count;
    }

    private async Task SendAsync(DueEmail email, CancellationToken ct)
    {
        var settings = options.Value;
        var message = new MimeMessage { Subject = email.Subject, MessageId = $"{email.Id:N}@orderflow" };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.Recipient));
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();

        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            var path = Path.Combine(settings.PickupDirectory, $"{email.Id:N}.eml");
            var temporary = path + ".tmp";
            await message.WriteToAsync(temporary, ct);
            File.Move(temporary, path, overwrite: true);
            return;
        }

        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            throw new InvalidOperationException("No mail transport: set OrderFlow:Mail:PickupDirectory or OrderFlow:Mail:SmtpHost.");
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        }

        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
    }

    private sealed record DueEmail(Guid Id, string Recipient, string Subject, string Text, string? Html, int Attempts);
}
