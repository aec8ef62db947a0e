using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using OrderFlow.Engine.Activities;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Fulfillment.Tracking;
using Refit;

namespace OrderFlow.Fulfillment.Activities;

/// <summary>
/// Places every supplier order not yet placed, each with its reference as the idempotency key. On a retry it first looks
/// the order up by reference, so an order the supplier committed before a timeout is found rather than placed again.
/// A supplier that stays unreachable, or refuses the request, gets its lines rerouted.
/// </summary>
public sealed class PlaceSupplierOrdersActivity(SupplierClients clients, FulfillmentMetrics metrics, IOptions<FulfillmentOptions> options) : IActivity
{
    public ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "Fulfillment.PlaceSupplierOrders",
        Category = OrderWorkflow.Category,
        DisplayName = "Place supplier orders",
        Description = "Sends each new supplier order to its supplier's API (idempotent). Rejected when a supplier refused lines or stayed unreachable.",
        Outputs = [new OutputDescriptor("placed", "json", "Supplier order references placed in this run, with the supplier's id.")],
        Outcomes = ["Placed", "Rejected"],
        DefaultRetry = new RetryPolicy { MaxAttempts = 10, InitialDelaySeconds = 2, MaxDelaySeconds = 60 },
    };

    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orderId = OrderWorkflow.OrderId(context);
        var ct = context.CancellationToken;
        var pending = (await context.Connection.QueryAsync<NewSupplierOrder>(new CommandDefinition("""
            SELECT so.id AS Id, so.supplier_id AS SupplierId, so.reference AS Reference, o.currency AS Currency,
                   o.customer::text AS Customer, o.shipping_address::text AS Address
            FROM fulfillment.supplier_orders so JOIN fulfillment.orders o ON o.id = so.order_id
            WHERE so.order_id = @orderId AND so.status = 'new' ORDER BY so.reference
            """, new { orderId }, context.Transaction, cancellationToken: ct))).ToList();

        var placed = new System.Text.Json.Nodes.JsonObject();
        var unreachable = new List<string>();
        foreach (var order in pending)
        {
            var supplier = await clients.FindAsync(order.SupplierId, ct);
            var lines = (await context.Connection.QueryAsync<PlaceOrderLine>(new CommandDefinition(
                "SELECT line_id AS LineRef, sku AS Sku, quantity AS Quantity FROM fulfillment.order_lines WHERE supplier_order_id = @Id ORDER BY line_id",
                new { order.Id }, context.Transaction, cancellationToken: ct))).ToList();
            try
            {
                if (supplier is not { Active: true })
                {
                    throw new SupplierRefusedException(order.SupplierId, "the supplier is inactive or unknown");
                }

                var api = clients.For(supplier);
                var dto = context.Attempt > 1 ? await api.FindByReferenceAsync(order.Reference, ct) : null;
                dto ??= await PlaceAsync(api, order, lines, ct);
                await SupplierOrderSync.ApplyAsync(context.Connection, context.Transaction, order.Id, order.SupplierId, dto, context.Clock.GetUtcNow(), ct);
                placed[order.Reference] = dto.Id;
                metrics.Placement(order.SupplierId, dto.Status);
                context.Logger.LogPlaced(order.Reference, order.SupplierId, dto.Id, dto.Status);
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                context.Logger.LogSupplierUnreachable(order.SupplierId, order.Reference, context.Attempt, e.Message);
                metrics.Placement(order.SupplierId, "unreachable");
                if (context.Attempt < options.Value.PlacementAttemptsBeforeReroute)
                {
                    unreachable.Add(order.SupplierId);
                    continue;
                }

                await GiveUpAsync(context, order, "supplier_unavailable", e.Message);
            }
            catch (Exception e) when (e is SupplierRefusedException or ApiException)
            {
                var status = e is ApiException api ? (int)api.StatusCode : 0;
                context.Logger.LogSupplierRefused(order.SupplierId, order.Reference, status, e.Message);
                metrics.Placement(order.SupplierId, "refused");
                await GiveUpAsync(context, order, "other", e.Message);
            }
        }

        if (unreachable.Count > 0)
        {
            // The durable retry runs the whole activity again; supplier orders placed above are found by reference then.
            throw new SupplierUnavailableException(unreachable.Distinct());
        }

        context.SetOutput("placed", placed);
        var rejected = await context.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM fulfillment.order_lines WHERE order_id = @orderId AND status = 'rejected')",
            new { orderId }, context.Transaction, cancellationToken: ct));
        return ActivityResult.Outcome(rejected ? "Rejected" : "Placed");
    }

    private static Task<SupplierOrderDto> PlaceAsync(ISupplierConnector api, NewSupplierOrder order, List<PlaceOrderLine> lines, CancellationToken ct)
    {
        var customer = JsonDocument.Parse(order.Customer).RootElement;
        var address = JsonSerializer.Deserialize<IntakeAddress>(order.Address, IntakeJson.Options)!;
        var request = new PlaceOrderRequest(order.Reference, order.Currency,
            new ShipTo(address.Name!, address.Line1!, address.Line2, address.City!, address.PostalCode!, address.Region, address.Country!,
                customer.GetProperty("email").GetString()!, customer.TryGetProperty("phone", out var phone) ? phone.GetString() : null),
            lines);
        return api.PlaceAsync(request, order.Reference, ct);
    }

    private static async Task GiveUpAsync(ActivityContext context, NewSupplierOrder order, string reason, string message)
    {
        await context.Connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.supplier_orders SET status = 'unreachable', rejection_reason = @reason, rejection_message = @message, updated_at = @now WHERE id = @Id;
            UPDATE fulfillment.order_lines SET status = 'rejected', rejection_reason = @reason, rejected_by = array_append(rejected_by, @SupplierId)
            WHERE supplier_order_id = @Id AND status IN ('routed', 'placed');
            """, new { order.Id, order.SupplierId, reason, message = message.Length > 500 ? message[..500] : message, now = context.Clock.GetUtcNow() },
            context.Transaction, cancellationToken: context.CancellationToken));
    }

    /// <summary>True for failures that may pass (5xx, 429, timeouts, refused or dropped connections), looking through wrappers.</summary>
    private static bool IsTransient(Exception e, CancellationToken ct)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            var transient = current switch
            {
                ApiException api => (int)api.StatusCode >= 500 || api.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout,
                HttpRequestException or TimeoutException or System.Net.Sockets.SocketException or IOException
                    or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException => true,
                OperationCanceledException => !ct.IsCancellationRequested,
                _ => false,
            };
            if (transient)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record NewSupplierOrder(Guid Id, string SupplierId, string Reference, string Currency, string Customer, string Address);
}

/// <summary>Suppliers did not answer; the activity is retried on its durable schedule.</summary>
public sealed class SupplierUnavailableException(IEnumerable<string> supplierIds)
    : Exception($"Supplier(s) unreachable: {string.Join(", ", supplierIds)}; will retry.");

/// <summary>A supplier cannot take the order at all (inactive, or it refused the request); its lines are rerouted.</summary>
public sealed class SupplierRefusedException(string supplierId, string reason) : Exception($"Supplier {supplierId} refused: {reason}.");
