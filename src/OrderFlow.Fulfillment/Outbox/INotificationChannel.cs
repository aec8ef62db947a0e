namespace OrderFlow.Fulfillment.Outbox;

/// <summary>
/// One way of reaching a customer (e-mail, SMS). <see cref="NotificationSender"/> claims due notifications and hands each
/// to the channel named in its row; an exception means "try again later" unless it is a <see cref="NotificationRejectedException"/>.
/// </summary>
public interface INotificationChannel
{
    /// <summary>The <c>channel</c> value of the rows this sends.</summary>
    string Name { get; }

    /// <summary>Sends one message; returns the provider's id for it, when it gives one.</summary>
    Task<string?> SendAsync(DueNotification notification, CancellationToken ct);
}

/// <summary>A notification to send now; <see cref="Id"/> is stable across attempts (the idempotency key).</summary>
public sealed record DueNotification(Guid Id, string Channel, string Recipient, string? Subject, string Text, string? Html, int Attempts);

/// <summary>The provider refused the message for good (a bad number, a bad request): retrying would not help.</summary>
public sealed class NotificationRejectedException(string message) : Exception(message);
