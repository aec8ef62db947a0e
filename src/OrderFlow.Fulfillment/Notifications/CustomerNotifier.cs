using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Notifications;

/// <summary>
/// Records a customer notification in the caller's transaction, rendered now and sent by the outbox pump after commit.
/// At most one per order, template and channel: a repeated burst or a second trigger sends nothing more.
/// </summary>
public sealed class CustomerNotifier(OrderSnapshots snapshots, TimeProvider clock, Outbox.OutboxWake wake)
{
    public async Task<bool> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string template, CancellationToken ct)
    {
        var order = await connection.QuerySingleAsync<OrderRow>(new CommandDefinition("""
            SELECT merchant_order_id AS MerchantOrderId, customer->>'name' AS CustomerName, customer->>'email' AS Email, tracking_token AS Token
            FROM fulfillment.orders WHERE id = @orderId
            """, new { orderId }, tx, cancellationToken: ct));
        var parcels = (await connection.QueryAsync<ParcelModel>(new CommandDefinition(
            "SELECT carrier AS Carrier, tracking_number AS TrackingNumber, tracking_url AS TrackingUrl FROM fulfillment.parcels WHERE order_id = @orderId ORDER BY created_at",
            new { orderId }, tx, cancellationToken: ct))).ToList();
        var message = NotificationTemplates.Render(template,
            new NotificationModel(order.CustomerName, order.MerchantOrderId, snapshots.TrackingPageUrl(order.Token), parcels));
        var now = clock.GetUtcNow();
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO fulfillment.notifications (id, order_id, channel, template, recipient, subject, text_body, html_body, next_attempt_at, created_at)
            VALUES (@id, @orderId, 'email', @template, @Email, @Subject, @Text, @Html, @now, @now)
            ON CONFLICT (order_id, template, channel) DO NOTHING
            """, new { id = Guid.CreateVersion7(now), orderId, template, order.Email, message.Subject, message.Text, message.Html, now }, tx, cancellationToken: ct));
        wake.Touch();
        return inserted > 0;
    }

    private sealed record OrderRow(string MerchantOrderId, string CustomerName, string Email, string Token);
}
