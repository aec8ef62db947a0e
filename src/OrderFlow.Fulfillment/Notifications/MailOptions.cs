using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>
/// How customer e-mails leave, bound from <c>OrderFlow:Mail</c>: written as .eml files to <see cref="PickupDirectory"/>
/// when it is set (the demo default), otherwise sent through the SMTP server.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "OrderFlow:Mail";

    public string? PickupDirectory { get; set; }

    public string? SmtpHost { get; set; }

    [Range(1, 65_535)]
    public int SmtpPort { get; set; } = 587;

    public bool UseStartTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required]
    public string From { get; set; } = "OrderFlow <orders@orderflow.local>";
}
