namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>A message ready to send; <see cref="Subject"/> and <see cref="Html"/> are null for an SMS.</summary>
public sealed record RenderedMessage(string? Subject, string Text, string? Html);
