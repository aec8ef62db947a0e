using Dapper;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Notifications;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>
/// Cancels an order in the caller's transaction: supplier orders not yet shipped are marked for cancellation (the tracking
/// poll then tells each supplier, so the cancellation reaches them), the storefront gets order.cancelled and the customer
/// an e-mail. Also runs when ops cancel the order's workflow instance.
/// </summary>
public sealed class OrderCancellation(StatusPublisher publisher, CustomerNotifier notifier, TimeProvider clock) : IWorkflowLifecycleObserver
{
    public async Task CancelAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, string reason, CancellationToken ct)
    {
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM fulfillment.orders WHERE id = @orderId FOR UPDATE", new { orderId }, tx, cancellationToken: ct));
        if (status is null or OrderStatuses.Cancelled or OrderStatuses.Delivered)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.supplier_orders SET status = CASE WHEN status = 'new' THEN 'cancelled' ELSE 'cancel_requested' END, updated_at = @now
            WHERE order_id = @orderId AND status IN ('new', 'pending', 'accepted');
            UPDATE fulfillment.order_lines SET status = 'cancelled' WHERE order_id = @orderId AND status NOT IN ('shipped', 'delivered');
            """, new { orderId, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        await publisher.PublishStatusAsync(connection, tx, orderId, OrderStatuses.Cancelled, new System.Text.Json.Nodes.JsonObject { ["reason"] = reason }, ct);
        await notifier.RecordAsync(connection, tx, orderId, NotificationEvents.Cancelled, ct);
    }

    public async Task OnCancelledAsync(WorkflowInstanceInfo instance, string actor, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(instance.CorrelationId, out var orderId))
        {
            await CancelAsync(connection, transaction, orderId, $"Cancelled by {actor}.", cancellationToken);
        }
    }
}
