using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderFlow.Fulfillment.Notifications.Templates;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>
/// Records a customer notification in the caller's transaction, rendered now from the merchant's template (or the default)
/// and sent by the outbox pump after commit: an e-mail, and an SMS when SMS is on for the merchant and the order has a phone
/// number. At most one per order, event and channel: a repeated burst, a second parcel or another checkpoint with the same
/// status sends nothing more.
/// </summary>
public sealed class CustomerNotifier(OrderSnapshots snapshots, TemplateRenderer renderer, IOptions<SmsOptions> sms, TimeProvider clock, Outbox.OutboxWake wake, ILogger<CustomerNotifier> logger)
{
    /// <summary>Records the messages for <paramref name="event"/>; <paramref name="parcelId"/> names the parcel that changed, if one did. True when anything new was recorded.</summary>
    public async Task<bool> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string @event, CancellationToken ct, Guid? parcelId = null)
    {
        var facts = await TemplateModel.LoadAsync(connection, tx, snapshots, orderId, @event, parcelId, ct)
            ?? throw new InvalidOperationException($"No order {orderId}.");
        var templates = await TemplateStore.EffectiveAsync(connection, tx, facts.MerchantId, @event, ct);
        var messages = new List<(string Channel, string Recipient, RenderedMessage Message)>(2);
        if (!string.IsNullOrWhiteSpace(facts.Email))
        {
            messages.Add((NotificationChannels.Email, facts.Email, await RenderAsync(templates[NotificationChannels.Email], @event, NotificationChannels.Email, facts)));
        }

        if (sms.Value.Enabled && facts.SmsEnabled && PhoneNumbers.ToE164(facts.Phone) is { } phone)
        {
            messages.Add((NotificationChannels.Sms, phone, await RenderAsync(templates[NotificationChannels.Sms], @event, NotificationChannels.Sms, facts)));
        }

        var recorded = messages.Count == 0 ? 0 : await InsertAsync(connection, tx, orderId, @event, messages, ct);
        if (recorded > 0)
        {
            wake.Touch();
        }

        return recorded > 0;
    }

    /// <summary>A merchant's template that fails on this order (it passed the sample at save time) falls back to the default: the customer still hears.</summary>
    private async Task<RenderedMessage> RenderAsync(MessageTemplate template, string @event, string channel, NotificationFacts facts)
    {
        try
        {
            return await renderer.RenderAsync(template, facts.Model);
        }
        catch (TemplateRenderException e)
        {
            logger.LogWarning(e, "Template {Event}/{Channel} of merchant {MerchantId} failed in {Field}; the default is sent instead", @event, channel, facts.MerchantId, e.Field);
            return await renderer.RenderAsync(DefaultTemplates.For(@event, channel), facts.Model);
        }
    }

    /// <summary>Every channel's message in one statement (one round trip); returns how many were new.</summary>
    private async Task<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string @event,
        List<(string Channel, string Recipient, RenderedMessage Message)> messages, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO fulfillment.notifications (id, order_id, channel, template, recipient, subject, text_body, html_body, next_attempt_at, created_at)
            SELECT m.id, @orderId, m.channel, @event, m.recipient, m.subject, m.text_body, m.html_body, @now, @now
            FROM unnest(@ids::uuid[], @channels::text[], @recipients::text[], @subjects::text[], @texts::text[], @htmls::text[])
                AS m(id, channel, recipient, subject, text_body, html_body)
            ON CONFLICT (order_id, template, channel) DO NOTHING
            """, new
        {
            orderId, @event, now,
            ids = messages.Select(_ => Guid.CreateVersion7(now)).ToArray(),
            channels = messages.Select(m => m.Channel).ToArray(),
            recipients = messages.Select(m => m.Recipient).ToArray(),
            subjects = messages.Select(m => m.Message.Subject).ToArray(),
            texts = messages.Select(m => m.Message.Text).ToArray(),
            htmls = messages.Select(m => m.Message.Html).ToArray(),
        }, tx, cancellationToken: ct));
    }
}
