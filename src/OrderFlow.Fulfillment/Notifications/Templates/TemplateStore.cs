using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Notifications.Templates;

/// <summary>
/// Merchants' message templates per event and channel: read (the merchant's own or the default), save after validation,
/// reset to the default, and preview against a sample order. Every save bumps the row's version.
/// </summary>
public sealed class TemplateStore(NpgsqlDataSource dataSource, TemplateRenderer renderer, OrderSnapshots snapshots, TimeProvider clock, ILogger<TemplateStore> logger)
{
    private const int MaxSubjectLength = 1_000;
    private const int MaxBodyLength = 64 * 1024;
    private const int MaxSmsLength = 1_600;

    /// <summary>Null when the merchant does not exist.</summary>
    public async Task<IReadOnlyList<StoredTemplate>?> ListAsync(string merchantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await MerchantNameAsync(connection, merchantId, ct) is null)
        {
            return null;
        }

        var saved = (await connection.QueryAsync<TemplateRow>(new CommandDefinition(
            $"{SelectTemplates} WHERE merchant_id = @merchantId", new { merchantId }, cancellationToken: ct))).ToList();
        return [.. NotificationEvents.All.SelectMany(e => NotificationChannels.All.Select(c =>
            saved.FirstOrDefault(s => s.Event == e && s.Channel == c)?.ToStored() ?? Default(e, c)))];
    }

    /// <summary>The template in force; null when the merchant does not exist.</summary>
    public async Task<StoredTemplate?> GetAsync(string merchantId, string @event, string channel, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await MerchantNameAsync(connection, merchantId, ct) is null)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<TemplateRow>(new CommandDefinition(
            $"{SelectTemplates} WHERE merchant_id = @merchantId AND event = @event AND channel = @channel", new { merchantId, @event, channel }, cancellationToken: ct));
        return row?.ToStored() ?? Default(@event, channel);
    }

    /// <summary>The merchant's templates for one event (both channels), read in the caller's transaction; defaults where none is saved.</summary>
    public static async Task<IReadOnlyDictionary<string, MessageTemplate>> EffectiveAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string merchantId, string @event, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<TemplateRow>(new CommandDefinition(
            $"{SelectTemplates} WHERE merchant_id = @merchantId AND event = @event", new { merchantId, @event }, tx, cancellationToken: ct))).ToList();
        return NotificationChannels.All.ToDictionary(c => c, c => rows.FirstOrDefault(r => r.Channel == c)?.ToTemplate() ?? DefaultTemplates.For(@event, c));
    }

    /// <summary>Checks a template: required parts, lengths, Liquid syntax, and a trial render against the sample order. Field → errors.</summary>
    public async Task<Dictionary<string, string[]>> ValidateAsync(string merchantId, string @event, string channel, MessageTemplate template)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(string field, string? source, bool required, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                if (required)
                {
                    errors[field] = ["This field is required."];
                }
            }
            else if (source.Length > maxLength)
            {
                errors[field] = [$"At most {maxLength} characters."];
            }
            else if (renderer.ParseError(source) is { } error)
            {
                errors[field] = [$"The Liquid template does not parse: {error}"];
            }
        }

        if (channel == NotificationChannels.Sms)
        {
            Check("text", template.Text, required: true, MaxSmsLength);
            if (template.Subject is not null)
            {
                errors["subject"] = ["An SMS has no subject; leave it out."];
            }

            if (template.Html is not null)
            {
                errors["html"] = ["An SMS has no HTML body; leave it out."];
            }
        }
        else
        {
            Check("subject", template.Subject, required: true, MaxSubjectLength);
            Check("text", template.Text, required: true, MaxBodyLength);
            Check("html", template.Html, required: false, MaxBodyLength);
        }

        if (errors.Count == 0)
        {
            try
            {
                await PreviewAsync(merchantId, @event, template);
            }
            catch (TemplateRenderException e)
            {
                errors[e.Field] = [$"The template fails on the sample order: {e.Message}"];
            }
        }

        return errors;
    }

    /// <summary>Renders <paramref name="template"/> against the sample order of the merchant.</summary>
    public Task<RenderedMessage> PreviewAsync(string merchantId, string @event, MessageTemplate template, string? merchantName = null) =>
        renderer.RenderAsync(template, TemplateModel.Sample(@event, merchantId, merchantName ?? merchantId,
            snapshots.TrackingPageUrl("sample-tracking-token"), clock.GetUtcNow()));

    /// <summary>Renders a template (or the one in force, when null) against the sample order; null when the merchant does not exist.</summary>
    public async Task<RenderedMessage?> PreviewAsync(string merchantId, string @event, string channel, MessageTemplate? template, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await MerchantNameAsync(connection, merchantId, ct) is not { } name)
        {
            return null;
        }

        template ??= (await EffectiveAsync(connection, null, merchantId, @event, ct))[channel];
        return await PreviewAsync(merchantId, @event, template, name);
    }

    /// <summary>Saves a validated template; null when the merchant does not exist.</summary>
    public async Task<StoredTemplate?> SaveAsync(string merchantId, string @event, string channel, MessageTemplate template, string actor, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await MerchantNameAsync(connection, merchantId, ct) is null)
        {
            return null;
        }

        var row = await connection.QuerySingleAsync<TemplateRow>(new CommandDefinition("""
            INSERT INTO fulfillment.notification_templates AS t (merchant_id, event, channel, subject, text_body, html_body, updated_at, updated_by)
            VALUES (@merchantId, @event, @channel, @Subject, @Text, @Html, @now, @actor)
            ON CONFLICT (merchant_id, event, channel) DO UPDATE
            SET subject = excluded.subject, text_body = excluded.text_body, html_body = excluded.html_body,
                version = t.version + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            RETURNING event AS Event, channel AS Channel, subject AS Subject, text_body AS Text, html_body AS Html, version AS Version,
                      updated_at AS UpdatedAt, updated_by AS UpdatedBy
            """, new { merchantId, @event, channel, template.Subject, template.Text, template.Html, now = clock.GetUtcNow(), actor }, cancellationToken: ct));
        logger.LogInformation("Template {Event}/{Channel} of merchant {MerchantId} saved by {Actor} (version {Version})", @event, channel, merchantId, actor, row.Version);
        return row.ToStored();
    }

    /// <summary>Drops the merchant's own template, so the default applies again. False when there was none.</summary>
    public async Task<bool> ResetAsync(string merchantId, string @event, string channel, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM fulfillment.notification_templates WHERE merchant_id = @merchantId AND event = @event AND channel = @channel",
            new { merchantId, @event, channel }, cancellationToken: ct)) > 0;
    }

    private const string SelectTemplates = """
        SELECT event AS Event, channel AS Channel, subject AS Subject, text_body AS Text, html_body AS Html, version AS Version,
               updated_at AS UpdatedAt, updated_by AS UpdatedBy
        FROM fulfillment.notification_templates
        """;

    private static Task<string?> MerchantNameAsync(NpgsqlConnection connection, string merchantId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT name FROM fulfillment.merchants WHERE id = @merchantId", new { merchantId }, cancellationToken: ct));

    private static StoredTemplate Default(string @event, string channel)
    {
        var t = DefaultTemplates.For(@event, channel);
        return new StoredTemplate(@event, channel, t.Subject, t.Text, t.Html, IsDefault: true, Version: 0, UpdatedAt: null, UpdatedBy: null);
    }

    private sealed record TemplateRow
    {
        public string Event { get; init; } = "";
        public string Channel { get; init; } = "";
        public string? Subject { get; init; }
        public string Text { get; init; } = "";
        public string? Html { get; init; }
        public int Version { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string UpdatedBy { get; init; } = "";

        public MessageTemplate ToTemplate() => new(Subject, Text, Html);

        public StoredTemplate ToStored() => new(Event, Channel, Subject, Text, Html, IsDefault: false, Version, UpdatedAt, UpdatedBy);
    }
}

/// <summary>A template as the API shows it: the merchant's own (with its version) or the default (<see cref="IsDefault"/>, version 0).</summary>
public sealed record StoredTemplate(string Event, string Channel, string? Subject, string Text, string? Html, bool IsDefault, int Version, DateTime? UpdatedAt, string? UpdatedBy);
