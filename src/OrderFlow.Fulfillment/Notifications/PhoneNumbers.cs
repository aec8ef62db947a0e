using System.Text.RegularExpressions;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>Customer phone numbers as an SMS provider takes them (E.164), and recipients as ops may see them (masked).</summary>
public static partial class PhoneNumbers
{
    /// <summary>The number in E.164 (<c>+4915112345678</c>) with spaces, dashes, dots and brackets dropped; null when it is not one.</summary>
    public static string? ToE164(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var compact = Separators().Replace(phone.Trim(), "");
        if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            compact = "+" + compact[2..];
        }

        return E164().IsMatch(compact) ? compact : null;
    }

    /// <summary>
    /// A recipient with most of it hidden: <c>a***@example.com</c>, <c>+49*******5678</c>. Enough for ops to tell which
    /// contact a message went to without the API handing out customers' addresses.
    /// </summary>
    public static string Mask(string channel, string recipient)
    {
        if (channel == NotificationChannels.Email)
        {
            var at = recipient.LastIndexOf('@');
            return at <= 0 ? "***" : recipient[..1] + "***" + recipient[at..];
        }

        return recipient.Length <= 7 ? "***" : recipient[..3] + new string('*', recipient.Length - 7) + recipient[^4..];
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"[\s\-.()/]")]
    private static partial Regex Separators();
}
