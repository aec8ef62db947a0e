namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>
/// The Liquid sources of one message: an e-mail has a subject, a plain-text body and (optionally) an HTML body; an SMS
/// has only <see cref="Text"/>.
/// </summary>
public sealed record MessageTemplate(string? Subject, string Text, string? Html);
