namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>A template part (<see cref="Field"/>: subject, text or html) that does not parse or fails while rendering.</summary>
public sealed class TemplateRenderException(string field, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Field { get; } = field;
}
