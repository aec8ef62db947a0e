using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Orders;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>
/// Turns acknowledged orders (rows of <c>fulfillment.intake_events</c> with a payload) into stored orders: the order and
/// its lines, its <c>order.received</c> event with the storefront deliveries, and the start of its workflow, for up to
/// <see cref="BatchSize"/> orders per transaction in four round trips, with one statement per kind of row whatever the
/// number of orders. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so any number of processes share the inbox and
/// each order is stored once; the payload is cleared in the same transaction. Woken at once by this process's intake, and
/// every second for orders acknowledged by other processes or left by a crash. It yields to acknowledgements through the
/// <see cref="BurstThrottle"/>, like bursts do.
/// </summary>
public sealed class IntakeMaterializer(
    NpgsqlDataSource dataSource,
    IWorkflowRuntime workflows,
    StatusPublisher publisher,
    BurstThrottle throttle,
    FulfillmentMetrics metrics,
    TimeProvider clock,
    ILogger<IntakeMaterializer> logger) : BackgroundService
{
    public const string WorkflowId = "dropship-order";
    public const int BatchSize = 64;
    public const int ThrottledBatchSize = 8;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Orders were acknowledged in this process: store them now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Starting workflows is background work like their bursts: it waits while acknowledgements are slow and
                // runs when this process may run at least two bursts (the acknowledged orders are durable meanwhile).
                // While throttled, in small transactions: a batch of 64 is ~100 ms of work for the database.
                await throttle.WaitTurnAsync(1, stoppingToken);
                int size;
                while (await MaterializeNextAsync(size = throttle.Throttled ? ThrottledBatchSize : BatchSize, stoppingToken) == size)
                {
                    await throttle.WaitTurnAsync(1, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Storing acknowledged orders failed; trying again shortly");
            }

            try
            {
                await _wake.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Acknowledged orders not yet stored, with the columns <see cref="ClaimAsync"/> reads, in its order.</summary>
    private const string Waiting = """
        SELECT merchant_id, format, webhook_id, merchant_order_id, order_id, received_at, payload
        FROM fulfillment.intake_events WHERE payload IS NOT NULL
        """;

    /// <summary>Stores the oldest acknowledged orders no other transaction holds; returns how many it claimed.</summary>
    public Task<int> MaterializeNextAsync(int limit, CancellationToken ct) =>
        MaterializeAsync(new NpgsqlBatchCommand($"{Waiting} ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED")
        {
            Parameters = { new() { Value = limit } },
        }, ct);

    /// <summary>
    /// Stores the one acknowledged order of this webhook, waiting for a transaction that holds it; nothing when it is
    /// stored already.
    /// </summary>
    public Task<int> MaterializeAsync(string merchantId, string format, string webhookId, CancellationToken ct) =>
        MaterializeAsync(new NpgsqlBatchCommand($"{Waiting} AND merchant_id = $1 AND format = $2 AND webhook_id = $3 FOR UPDATE")
        {
            Parameters = { new() { Value = merchantId }, new() { Value = format }, new() { Value = webhookId } },
        }, ct);

    /// <summary>
    /// Stores the acknowledged order <paramref name="orderId"/> now if it is still waiting in the inbox (someone asked for
    /// it by the id its 202 gave), waiting for a transaction that holds it; 0 when there is no such order waiting.
    /// </summary>
    public Task<int> MaterializeOrderAsync(Guid orderId, CancellationToken ct) =>
        MaterializeAsync(new NpgsqlBatchCommand($"{Waiting} AND order_id = $1 FOR UPDATE") { Parameters = { new() { Value = orderId } } }, ct);

    private async Task<int> MaterializeAsync(NpgsqlBatchCommand claim, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var claimed = await ClaimAsync(connection, tx, claim, ct);
        if (claimed.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return 0;
        }

        var now = clock.GetUtcNow();
        var stored = await InsertOrdersAsync(connection, tx, claimed, now, ct);
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            var lines = claimed.Where(c => stored.Contains(c.Entry.OrderId)).SelectMany(c => c.Order.Lines!.Select(l => (c.Entry.OrderId, Line: l))).ToList();
            if (lines.Count > 0)
            {
                batch.BatchCommands.Add(InsertLinesCommand(lines));
            }

            // The received events and the workflow starts of the whole batch, a statement each: a statement per order
            // would cost PostgreSQL the statements' fixed part once per order.
            var storedOrders = claimed.Where(c => stored.Contains(c.Entry.OrderId)).ToList();
            if (storedOrders.Count > 0)
            {
                batch.BatchCommands.Add(publisher.StatusCommand([.. storedOrders.Select(c => c.Entry.OrderId)], OrderStatuses.Received));
                batch.BatchCommands.Add(await workflows.PrepareStartAsync(WorkflowId,
                    [.. storedOrders.Select(c => new WorkflowStart(c.InstanceId, new JsonObject { ["orderId"] = c.Entry.OrderId.ToString() }, c.Entry.OrderId.ToString()))],
                    connection, tx, ct));
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                UPDATE fulfillment.intake_events e SET payload = NULL
                FROM unnest($1::text[], $2::text[], $3::text[]) AS k(merchant_id, format, webhook_id)
                WHERE e.merchant_id = k.merchant_id AND e.format = k.format AND e.webhook_id = k.webhook_id
                """)
            {
                Parameters =
                {
                    new() { Value = claimed.Select(c => c.Entry.MerchantId).ToArray() },
                    new() { Value = claimed.Select(c => c.Entry.Format).ToArray() },
                    new() { Value = claimed.Select(c => c.Entry.WebhookId).ToArray() },
                },
            });
            await batch.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        publisher.Touch();
        workflows.Dispatch(claimed.Where(c => stored.Contains(c.Entry.OrderId)).Select(c => c.InstanceId));
        foreach (var order in claimed)
        {
            metrics.IntakeLag(now - order.Entry.ReceivedAt);
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = order.Entry.OrderId, ["WorkflowInstanceId"] = order.InstanceId });
            if (stored.Contains(order.Entry.OrderId))
            {
                logger.LogDebug("Order {MerchantOrderId} of merchant {MerchantId} stored and its workflow started, {Lag} ms after it was acknowledged",
                    order.Entry.MerchantOrderId, order.Entry.MerchantId, (long)(now - order.Entry.ReceivedAt).TotalMilliseconds);
            }
            else
            {
                // Intake deduplicates before it acknowledges, so only an order written around it (by hand, by a restore) gets here.
                logger.LogError("Acknowledged order {MerchantOrderId} of merchant {MerchantId} collides with a stored order and was not stored",
                    order.Entry.MerchantOrderId, order.Entry.MerchantId);
            }
        }

        return claimed.Count;
    }

    private static async Task<List<Claimed>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction tx, NpgsqlBatchCommand claim, CancellationToken ct)
    {
        var claimed = new List<Claimed>();
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { claim } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var entry = new InboxEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetGuid(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6));
            var order = JsonSerializer.Deserialize<IntakeOrder>(entry.Payload, IntakeJson.Options)
                ?? throw new InvalidOperationException($"The inbox payload of order {entry.OrderId} is empty.");
            claimed.Add(new Claimed(entry, order, Guid.CreateVersion7(entry.ReceivedAt)));
        }

        return claimed;
    }

    /// <summary>All claimed orders in one statement, each linked to its workflow instance; returns the ids inserted.</summary>
    private static async Task<HashSet<Guid>> InsertOrdersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Claimed> claimed, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tags, tracking_token, workflow_instance_id, created_at, updated_at)
            SELECT o.id, o.merchant_id, o.merchant_order_id, 'received', o.currency, o.customer::jsonb, o.address::jsonb, o.total,
                   ARRAY(SELECT jsonb_array_elements_text(o.tags::jsonb)), o.token, o.instance_id, o.received_at, $11
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::text[], $9::text[], $10::uuid[], $12::timestamptz[])
                AS o(id, merchant_id, merchant_order_id, currency, customer, address, total, tags, token, instance_id, received_at)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, connection, tx);
        var orders = claimed.Select(c => c.Order).ToList();
        command.Parameters.Add(new() { Value = claimed.Select(c => c.Entry.OrderId).ToArray() });
        command.Parameters.Add(new() { Value = claimed.Select(c => c.Entry.MerchantId).ToArray() });
        command.Parameters.Add(new() { Value = claimed.Select(c => c.Entry.MerchantOrderId).ToArray() });
        command.Parameters.Add(new() { Value = orders.Select(o => o.Currency!).ToArray() });
        command.Parameters.Add(new() { Value = orders.Select(o => JsonSerializer.Serialize(o.Customer, IntakeJson.Options)).ToArray() });
        command.Parameters.Add(new() { Value = orders.Select(o => JsonSerializer.Serialize(o.ShippingAddress, IntakeJson.Options)).ToArray() });
        command.Parameters.Add(new() { Value = orders.Select(o => o.Lines!.Sum(l => l.Quantity!.Value * l.UnitPrice!.Value)).ToArray() });
        command.Parameters.Add(new() { Value = orders.Select(o => JsonSerializer.Serialize(o.Tags ?? [], IntakeJson.Options)).ToArray() });
        command.Parameters.Add(new() { Value = claimed.Select(_ => NewTrackingToken()).ToArray() });
        command.Parameters.Add(new() { Value = claimed.Select(c => c.InstanceId).ToArray() });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = claimed.Select(c => c.Entry.ReceivedAt).ToArray() });
        var stored = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored.Add(reader.GetGuid(0));
        }

        return stored;
    }

    private static NpgsqlBatchCommand InsertLinesCommand(List<(Guid OrderId, IntakeLine Line)> lines) =>
        new("""
            INSERT INTO fulfillment.order_lines (order_id, line_id, sku, name, quantity, unit_price, status)
            SELECT l.order_id, l.line_id, l.sku, l.name, l.quantity, l.unit_price, 'new'
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::numeric[]) AS l(order_id, line_id, sku, name, quantity, unit_price)
            """)
        {
            Parameters =
            {
                new() { Value = lines.Select(l => l.OrderId).ToArray() },
                new() { Value = lines.Select(l => l.Line.LineId!).ToArray() },
                new() { Value = lines.Select(l => l.Line.Sku!).ToArray() },
                new() { Value = lines.Select(l => l.Line.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new() { Value = lines.Select(l => l.Line.Quantity!.Value).ToArray() },
                new() { Value = lines.Select(l => l.Line.UnitPrice!.Value).ToArray() },
            },
        };

    private static string NewTrackingToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    private sealed record Claimed(InboxEntry Entry, IntakeOrder Order, Guid InstanceId);
}
