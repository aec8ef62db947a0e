using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using OrderFlow.Fulfillment.Notifications;

namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// The e-mail channel: multipart (plain text and HTML) messages written as .eml files into the pickup directory when one is configured, otherwise over SMTP.
/// Each message carries a Message-Id derived from the notification, so a resend after a crash is recognisable.
/// </summary>
public sealed class EmailSender(IOptions<MailOptions> options) : INotificationChannel
{
    public string Name => NotificationChannels.Email;

    public async Task<string?> SendAsync(DueNotification email, CancellationToken ct)
    {
        var settings = options.Value;
        var message = new MimeMessage { Subject = email.Subject ?? "", MessageId = $"{email.Id:N}@orderflow" };
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
            return null;
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
        return null;
    }
}
