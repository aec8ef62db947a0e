using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;

namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>
/// Parses and renders Liquid message templates with Fluid. HTML bodies are rendered with an HTML encoder, so every value
/// a template prints is encoded; subjects and text bodies are printed as they are. Parsed templates are cached by their
/// source text, so a template changed by any process is parsed afresh at its next use and never served stale.
/// </summary>
public sealed partial class TemplateRenderer
{
    private const int MaxCached = 512;
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options;

    public TemplateRenderer(TimeProvider clock)
    {
        _options = new TemplateOptions
        {
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            Now = clock.GetUtcNow,
            // A merchant's loop or recursion must not hold a worker: templates are small.
            MaxSteps = 200_000,
            MaxRecursion = 20,
            // An unknown filter is a typo the merchant should hear about when saving, not a silently empty value.
            StrictFilters = true,
        };
    }

    /// <summary>Null when <paramref name="source"/> parses, otherwise Fluid's error (with line and column).</summary>
    public string? ParseError(string source) => Parser.TryParse(source, out _, out var error) ? null : error;

    /// <summary>Renders every part of <paramref name="template"/>; throws <see cref="TemplateRenderException"/> naming the part at fault.</summary>
    public async Task<RenderedMessage> RenderAsync(MessageTemplate template, IReadOnlyDictionary<string, object?> model)
    {
        var subject = template.Subject is null ? null : OneLine(await RenderPartAsync("subject", template.Subject, model, NullEncoder.Default));
        var text = await RenderPartAsync("text", template.Text, model, NullEncoder.Default);
        var html = template.Html is null ? null : await RenderPartAsync("html", template.Html, model, HtmlEncoder.Default);
        return new RenderedMessage(subject, text.Trim() + "\n", html);
    }

    private async Task<string> RenderPartAsync(string field, string source, IReadOnlyDictionary<string, object?> model, TextEncoder encoder)
    {
        var template = Parse(field, source);
        var context = new TemplateContext(_options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }

        try
        {
            return await template.RenderAsync(context, encoder);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new TemplateRenderException(field, e.Message, e);
        }
    }

    private IFluidTemplate Parse(string field, string source)
    {
        if (_parsed.TryGetValue(source, out var cached))
        {
            return cached;
        }

        if (!Parser.TryParse(source, out var template, out var error))
        {
            throw new TemplateRenderException(field, error);
        }

        if (_parsed.Count >= MaxCached)
        {
            _parsed.Clear();
        }

        _parsed[source] = template;
        return template;
    }

    private static string OneLine(string value) => Whitespace().Replace(value, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
