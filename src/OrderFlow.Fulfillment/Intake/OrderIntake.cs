using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OrderFlow.Engine;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Merchants;
using OrderFlow.Fulfillment.Orders;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>
/// Takes a merchant's order webhook: verifies its signature over the raw body, validates it, and in one transaction stores
/// the order, its <c>order.received</c> event and the start of its workflow. A webhook or order seen before answers with
/// the order it created; nothing is stored twice and nothing is half-stored.
/// </summary>
public sealed class OrderIntake(
    NpgsqlDataSource dataSource,
    IntakeFormats formats,
    MerchantDirectory merchants,
    IWorkflowRuntime workflows,
    StatusPublisher publisher,
    FulfillmentMetrics metrics,
    TimeProvider clock,
    ILogger<OrderIntake> logger)
{
    public const string WorkflowId = "dropship-order";

    /// <summary>An order in OrderFlow's own format, signed with Standard Webhooks.</summary>
    public Task<IntakeResult> ReceiveAsync(string merchantId, SignedWebhook webhook, CancellationToken ct) =>
        ReceiveAsync(merchantId, formats.Standard, new IntakeRequest(new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [StandardWebhooks.IdHeader] = webhook.Id,
            [StandardWebhooks.TimestampHeader] = webhook.Timestamp,
            [StandardWebhooks.SignatureHeader] = webhook.Signature,
        }, webhook.Body), ct);

    public async Task<IntakeResult> ReceiveAsync(string merchantId, IIntakeFormat format, IntakeRequest request, CancellationToken ct)
    {
        var merchant = await merchants.FindAsync(merchantId, ct);
        // An unknown merchant gets the same answer as a bad signature: the endpoint does not reveal which merchants exist.
        var verification = format.Verify(merchant?.Secrets ?? [], request, clock.GetUtcNow());
        if (merchant is null || !verification.IsValid)
        {
            metrics.IntakeRejected("signature");
            logger.LogWarning("{Format} order webhook for merchant {MerchantId} refused: {Problem}", format.Name, merchantId, merchant is null ? "unknown merchant" : verification.Problem);
            return IntakeResult.Unauthorized(merchant is null ? "The signature does not match." : verification.Problem!);
        }

        if (format.Ignore(request) is { } reason)
        {
            return IntakeResult.Ignored(reason);
        }

        var mapping = format.Map(request.Body);
        var errors = mapping.Errors ?? IntakeValidator.Validate(mapping.Order!);
        if (errors.Count > 0)
        {
            metrics.IntakeRejected("payload");
            return IntakeResult.Invalid(errors);
        }

        var deliveryId = format.DeliveryId(request) ?? $"order:{mapping.Order!.OrderId}";
        return await StoreAsync(merchant, format.Name, deliveryId, mapping.Order!, ct);
    }

    public const int MaxBatch = 100;

    /// <summary>
    /// Reconciliation: a signed batch of recent orders (OrderFlow's format). Each is stored like a webhook would be, so
    /// orders already received are reported as duplicates and nothing is stored twice. Invalid orders are reported per order.
    /// </summary>
    public async Task<BatchResult> ReceiveBatchAsync(string merchantId, IntakeRequest request, CancellationToken ct)
    {
        var merchant = await merchants.FindAsync(merchantId, ct);
        var verification = formats.Standard.Verify(merchant?.Secrets ?? [], request, clock.GetUtcNow());
        if (merchant is null || !verification.IsValid)
        {
            metrics.IntakeRejected("signature");
            return new BatchResult(IntakeResult.Unauthorized(merchant is null ? "The signature does not match." : verification.Problem!), []);
        }

        IntakeBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize<IntakeBatch>(request.Body.Span, IntakeJson.Options);
        }
        catch (JsonException e)
        {
            return new BatchResult(IntakeResult.Invalid(new() { [IntakeJson.FieldOf(e)] = [IntakeJson.Describe(e)] }), []);
        }

        if (batch?.Orders is not { Count: > 0 and <= MaxBatch } orders)
        {
            return new BatchResult(IntakeResult.Invalid(new() { ["orders"] = [$"Send 1 to {MaxBatch} orders."] }), []);
        }

        var results = new List<(string? MerchantOrderId, IntakeResult Result)>();
        foreach (var order in orders)
        {
            var errors = order is null ? new() { ["$"] = ["An order cannot be null."] } : IntakeValidator.Validate(order);
            results.Add((order?.OrderId, errors.Count > 0 ? IntakeResult.Invalid(errors) : await StoreAsync(merchant, "standard", $"order:{order!.OrderId}", order, ct)));
        }

        return new BatchResult(null, results);
    }

    /// <summary>
    /// Two round trips for a new order: one batch (the order with its workflow instance id, its webhook id, lines, status
    /// event and workflow start) and the commit. The order is inserted only if its webhook id is new (a resent webhook is a
    /// duplicate even with another order id) and its (merchant, order id) is free; a concurrent delivery of the same webhook
    /// or order waits on the unique index. If either the order or its webhook id lost, the transaction is rolled back and the
    /// answer is the order that won, read by the batch's second statement (or, failing that, again on the same connection).
    /// A duplicate writes nothing: the lines, status event and workflow start are guarded on the order having been inserted.
    /// </summary>
    private async Task<IntakeResult> StoreAsync(Merchant merchant, string format, string webhookId, IntakeOrder order, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var orderId = Guid.CreateVersion7(now);
        var instanceId = Guid.CreateVersion7(now);
        var lines = order.Lines!;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var start = await workflows.PrepareStartAsync(WorkflowId, new JsonObject { ["orderId"] = orderId.ToString() }, orderId.ToString(), instanceId, connection, tx, ct);

        bool stored;
        Guid? existing;
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            batch.BatchCommands.Add(InsertOrderCommand(merchant.Id, format, webhookId, orderId, instanceId, order, now));
            // A new statement, so it sees the order or webhook id of a transaction the insert waited for and lost to.
            batch.BatchCommands.Add(FindExistingCommand(merchant.Id, format, webhookId, order.OrderId!, orderId));
            // Guarded, so that a lost order insert leaves an empty statement rather than a foreign key error.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO fulfillment.order_lines (order_id, line_id, sku, name, quantity, unit_price, status)
                SELECT $1, l.line_id, l.sku, l.name, l.quantity, l.unit_price, 'new'
                FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::numeric[]) AS l(line_id, sku, name, quantity, unit_price)
                WHERE EXISTS (SELECT 1 FROM fulfillment.orders WHERE id = $1)
                """)
            {
                Parameters =
                {
                    new() { Value = orderId },
                    new() { Value = lines.Select(l => l.LineId!).ToArray() },
                    new() { Value = lines.Select(l => l.Sku!).ToArray() },
                    new() { Value = lines.Select(l => l.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    new() { Value = lines.Select(l => l.Quantity!.Value).ToArray() },
                    new() { Value = lines.Select(l => l.UnitPrice!.Value).ToArray() },
                },
            });
            // When the order was not inserted the status touches no row, and the instance is rolled back with the rest below.
            batch.BatchCommands.Add(publisher.StatusCommand(orderId, OrderStatuses.Received, null));
            batch.BatchCommands.Add(start);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            stored = reader.GetInt64(0) == 1 && reader.GetInt64(1) == 1;
            await reader.NextResultAsync(ct);
            existing = await reader.ReadAsync(ct) ? reader.GetGuid(0) : null;
            while (await reader.NextResultAsync(ct))
            {
            }
        }

        if (!stored)
        {
            // A webhook or order seen before, or lost the race for either to a transaction that has committed it.
            await tx.RollbackAsync(ct);
            if (existing is { } duplicate)
            {
                metrics.IntakeDuplicate();
                return IntakeResult.Duplicate(duplicate);
            }

            return await ReceiveDuplicateAsync(connection, merchant.Id, format, webhookId, order.OrderId!, ct);
        }

        await tx.CommitAsync(ct);
        publisher.Touch();
        workflows.Dispatch([instanceId]);
        metrics.OrderReceived(merchant.Id);
        using (logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = orderId, ["WorkflowInstanceId"] = instanceId }))
        {
            logger.LogInformation("Order {MerchantOrderId} of merchant {MerchantId} received with {LineCount} lines", order.OrderId, merchant.Id, lines.Count);
        }

        return IntakeResult.Accepted(orderId);
    }

    /// <summary>On the same connection: asking the pool for a second one while holding the first starves it under a burst of duplicates.</summary>
    private async Task<IntakeResult> ReceiveDuplicateAsync(NpgsqlConnection connection, string merchantId, string format, string webhookId, string merchantOrderId, CancellationToken ct)
    {
        var existing = await FindExistingAsync(connection, merchantId, format, webhookId, merchantOrderId, ct)
            ?? throw new InvalidOperationException($"Order {merchantOrderId} of {merchantId} conflicted but cannot be found.");
        metrics.IntakeDuplicate();
        return IntakeResult.Duplicate(existing);
    }

    /// <summary>The order this webhook (first) or this merchant order id already created, in one statement of its own.</summary>
    private static async Task<Guid?> FindExistingAsync(NpgsqlConnection connection, string merchantId, string format, string webhookId, string merchantOrderId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { FindExistingCommand(merchantId, format, webhookId, merchantOrderId, Guid.Empty) } };
        return await batch.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }

    /// <summary>
    /// The order this webhook (first) or this merchant order id already created, other than <paramref name="ownOrderId"/>
    /// (the order this transaction may have just inserted).
    /// </summary>
    private static NpgsqlBatchCommand FindExistingCommand(string merchantId, string format, string webhookId, string merchantOrderId, Guid ownOrderId) =>
        new("""
            SELECT order_id FROM fulfillment.intake_events WHERE merchant_id = $1 AND webhook_id = $2 AND format = $4 AND order_id <> $5
            UNION ALL
            SELECT id FROM fulfillment.orders WHERE merchant_id = $1 AND merchant_order_id = $3 AND id <> $5
            LIMIT 1
            """)
        {
            Parameters = { new() { Value = merchantId }, new() { Value = webhookId }, new() { Value = merchantOrderId }, new() { Value = format }, new() { Value = ownOrderId } },
        };

    /// <summary>
    /// Inserts the order, already linked to its workflow instance, unless its webhook id was seen before, and records the
    /// webhook id with it. Returns one row: orders inserted (0 or 1) and webhook ids recorded (0 or 1).
    /// </summary>
    private static NpgsqlBatchCommand InsertOrderCommand(string merchantId, string format, string webhookId, Guid orderId, Guid instanceId, IntakeOrder order, DateTimeOffset now)
    {
        var total = order.Lines!.Sum(l => l.Quantity!.Value * l.UnitPrice!.Value);
        return new NpgsqlBatchCommand("""
            WITH o AS (
                INSERT INTO fulfillment.orders (id, merchant_id, merchant_order_id, status, currency, customer, shipping_address, total, tags, tracking_token, workflow_instance_id, created_at, updated_at)
                SELECT $1, $2, $3, 'received', $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $11
                WHERE NOT EXISTS (SELECT 1 FROM fulfillment.intake_events WHERE merchant_id = $2 AND format = $12 AND webhook_id = $13)
                ON CONFLICT (merchant_id, merchant_order_id) DO NOTHING
                RETURNING id),
            e AS (
                INSERT INTO fulfillment.intake_events (merchant_id, webhook_id, order_id, received_at, format)
                SELECT $2, $13, o.id, $11, $12 FROM o
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM e)
            """)
        {
            Parameters =
            {
                new() { Value = orderId }, new() { Value = merchantId }, new() { Value = order.OrderId! }, new() { Value = order.Currency! },
                new() { Value = JsonSerializer.Serialize(order.Customer, IntakeJson.Options), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = JsonSerializer.Serialize(order.ShippingAddress, IntakeJson.Options), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = total },
                new() { Value = (order.Tags ?? []).ToArray() },
                new() { Value = NewTrackingToken() },
                new() { Value = instanceId },
                new() { Value = now },
                new() { Value = format },
                new() { Value = webhookId },
            },
        };
    }

    private static string NewTrackingToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}

/// <summary>A batch's outcome: a problem with the whole request, or one result per order, in order.</summary>
public sealed record BatchResult(IntakeResult? Problem, IReadOnlyList<(string? MerchantOrderId, IntakeResult Result)> Orders);

/// <summary>The parts of a signed webhook request that intake reads.</summary>
public sealed record SignedWebhook(string? Id, string? Timestamp, string? Signature, ReadOnlyMemory<byte> Body);

/// <summary>What intake did with a webhook.</summary>
public sealed record IntakeResult(IntakeOutcome Outcome, Guid? OrderId, string? Problem, Dictionary<string, string[]>? Errors)
{
    public static IntakeResult Accepted(Guid orderId) => new(IntakeOutcome.Accepted, orderId, null, null);
    public static IntakeResult Duplicate(Guid orderId) => new(IntakeOutcome.Duplicate, orderId, null, null);
    public static IntakeResult Unauthorized(string problem) => new(IntakeOutcome.Unauthorized, null, problem, null);
    public static IntakeResult Invalid(Dictionary<string, string[]> errors) => new(IntakeOutcome.Invalid, null, null, errors);
    public static IntakeResult Ignored(string reason) => new(IntakeOutcome.Ignored, null, reason, null);
}

public enum IntakeOutcome
{
    Accepted,
    Duplicate,
    Unauthorized,
    Invalid,
    Ignored,
}
