namespace OrderFlow.Fulfillment.Notifications;

/// <summary>How a customer notification travels.</summary>
public static class NotificationChannels
{
    public const string Email = "email";
    public const string Sms = "sms";

    public static readonly IReadOnlyList<string> All = [Email, Sms];
}
