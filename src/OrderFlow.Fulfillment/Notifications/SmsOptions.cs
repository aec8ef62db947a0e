using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>
/// The SMS provider, bound from <c>OrderFlow:Sms</c>. Off unless <see cref="Enabled"/>; then customers of merchants with
/// SMS turned on get a text message besides the e-mail, when their order has a phone number. The wire format is in the README.
/// </summary>
public sealed class SmsOptions : IValidatableObject
{
    public const string Section = "OrderFlow:Sms";

    public bool Enabled { get; set; }

    /// <summary>Where messages are POSTed (JSON, bearer token), e.g. <c>https://sms.example.com/v1/messages</c>.</summary>
    public string? ProviderUrl { get; set; }

    /// <summary>The provider's API token, sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string? Token { get; set; }

    /// <summary>The sender shown on the phone: a number or up to 11 letters and digits.</summary>
    [Required, RegularExpression(@"^(\+[1-9][0-9]{6,14}|[A-Za-z0-9]{1,11})$", ErrorMessage = "From must be an E.164 number or 1-11 letters and digits.")]
    public string From { get; set; } = "OrderFlow";

    /// <summary>Timeout of one request to the provider.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(ProviderUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult("OrderFlow:Sms:ProviderUrl must be an absolute http(s) URL when SMS is enabled.", [nameof(ProviderUrl)]);
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            yield return new ValidationResult("OrderFlow:Sms:Token is required when SMS is enabled.", [nameof(Token)]);
        }
    }
}
