using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Runtime;
using OrderFlow.Fulfillment.Merchants;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Intake;

/// <summary>
/// Takes a merchant's order webhook: verifies its signature over the raw body, validates it, and acknowledges it once it
/// is durable in the inbox; the <see cref="IntakeMaterializer"/> then stores the order, its <c>order.received</c> event
/// and the start of its workflow in one transaction. A webhook or order seen before answers with the order it created;
/// nothing is stored twice and nothing is half-stored.
/// </summary>
public sealed class OrderIntake(
    NpgsqlDataSource dataSource,
    IntakeFormats formats,
    MerchantDirectory merchants,
    IntakeInbox inbox,
    IntakeMaterializer materializer,
    BurstThrottle throttle,
    FulfillmentMetrics metrics,
    TimeProvider clock,
    ILogger<OrderIntake> logger)
{
    /// <summary>An order in OrderFlow's own format, signed with Standard Webhooks; answers once the order is stored.</summary>
    public Task<IntakeResult> ReceiveAsync(string merchantId, SignedWebhook webhook, CancellationToken ct) =>
        ReceiveAsync(merchantId, webhook, IntakeCompletion.Stored, ct);

    /// <summary>An order in OrderFlow's own format, signed with Standard Webhooks.</summary>
    public Task<IntakeResult> ReceiveAsync(string merchantId, SignedWebhook webhook, IntakeCompletion completion, CancellationToken ct) =>
        ReceiveAsync(merchantId, formats.Standard, new IntakeRequest(new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [StandardWebhooks.IdHeader] = webhook.Id,
            [StandardWebhooks.TimestampHeader] = webhook.Timestamp,
            [StandardWebhooks.SignatureHeader] = webhook.Signature,
        }, webhook.Body), completion, ct);

    public async Task<IntakeResult> ReceiveAsync(string merchantId, IIntakeFormat format, IntakeRequest request, IntakeCompletion completion, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var merchant = await merchants.FindAsync(merchantId, ct);
        // An unknown merchant gets the same answer as a bad signature: the endpoint does not reveal which merchants exist.
        var verification = format.Verify(merchant?.Secrets ?? [], request, clock.GetUtcNow());
        if (merchant is null || !verification.IsValid)
        {
            metrics.IntakeRejected("signature");
            logger.LogWarning("{Format} order webhook for merchant {MerchantId} refused: {Problem}", format.Name, merchantId, merchant is null ? "unknown merchant" : verification.Problem);
            return IntakeResult.Unauthorized(merchant is null ? "The signature does not match." : verification.Problem!);
        }

        // A merchant waits on this answer: a surge of them takes the cores from the bursts at once (see BurstThrottle).
        // Counted once the signature holds, so that unsigned requests cannot hold the engine back.
        throttle.ReportForegroundArrival();
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
        return await StoreAsync(merchant, format.Name, deliveryId, mapping.Order!, completion, started, ct);
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
            results.Add((order?.OrderId, errors.Count > 0 ? IntakeResult.Invalid(errors) : await StoreAsync(merchant, "standard", $"order:{order!.OrderId}", order, IntakeCompletion.Stored, Stopwatch.GetTimestamp(), ct)));
        }

        return new BatchResult(null, results);
    }

    /// <summary>
    /// Makes the order durable in the inbox (<see cref="IntakeInbox"/>: one multi-row INSERT shared with the orders
    /// arriving at the same time) unless its webhook id or merchant order id was seen before, which answers with the
    /// order that came first and stores nothing. <see cref="IntakeCompletion.Acknowledged"/> answers then, and wakes this
    /// process's <see cref="IntakeMaterializer"/> to store the order and start its workflow moments later;
    /// <see cref="IntakeCompletion.Stored"/> stores it before answering.
    /// </summary>
    private async Task<IntakeResult> StoreAsync(Merchant merchant, string format, string webhookId, IntakeOrder order, IntakeCompletion completion, long started, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var orderId = Guid.CreateVersion7(now);
        var entry = new InboxEntry(merchant.Id, format, webhookId, order.OrderId!, orderId, now, JsonSerializer.Serialize(order, IntakeJson.Options));
        var stored = await inbox.StoreAsync(entry, ct);
        // While the answers of a surge are slow, this process runs fewer bursts at once (they can wait).
        throttle.ReportForegroundLatency(Stopwatch.GetElapsedTime(started));
        if (!stored)
        {
            var existing = await FindExistingAsync(merchant.Id, format, webhookId, order.OrderId!, ct)
                ?? throw new InvalidOperationException($"Order {order.OrderId} of {merchant.Id} conflicted but cannot be found.");
            metrics.IntakeDuplicate();
            return IntakeResult.Duplicate(existing);
        }

        metrics.OrderReceived(merchant.Id);
        using (logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = orderId }))
        {
            logger.LogInformation("Order {MerchantOrderId} of merchant {MerchantId} received with {LineCount} lines", order.OrderId, merchant.Id, order.Lines!.Count);
        }

        if (completion == IntakeCompletion.Stored)
        {
            await materializer.MaterializeAsync(merchant.Id, format, webhookId, ct);
        }
        else
        {
            materializer.Wake();
        }

        return IntakeResult.Accepted(orderId);
    }

    /// <summary>The order this webhook (first) or this merchant order id created: waiting in the inbox or stored.</summary>
    private async Task<Guid?> FindExistingAsync(string merchantId, string format, string webhookId, string merchantOrderId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT order_id FROM fulfillment.intake_events WHERE merchant_id = $1 AND format = $4 AND webhook_id = $2
            UNION ALL
            SELECT order_id FROM fulfillment.intake_events WHERE merchant_id = $1 AND merchant_order_id = $3
            UNION ALL
            SELECT id FROM fulfillment.orders WHERE merchant_id = $1 AND merchant_order_id = $3
            LIMIT 1
            """);
        command.Parameters.Add(new() { Value = merchantId });
        command.Parameters.Add(new() { Value = webhookId });
        command.Parameters.Add(new() { Value = merchantOrderId });
        command.Parameters.Add(new() { Value = format });
        return await command.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }
}

/// <summary>A batch's outcome: a problem with the whole request, or one result per order, in order.</summary>
public sealed record BatchResult(IntakeResult? Problem, IReadOnlyList<(string? MerchantOrderId, IntakeResult Result)> Orders);

/// <summary>The parts of a signed webhook request that intake reads.</summary>
public sealed record SignedWebhook(string? Id, string? Timestamp, string? Signature, ReadOnlyMemory<byte> Body);

/// <summary>When intake answers.</summary>
public enum IntakeCompletion
{
    /// <summary>Once the order is durable in the inbox; it is stored and its workflow started moments later (webhooks).</summary>
    Acknowledged,

    /// <summary>Once the order is stored and its workflow started (reconciliation batches, in-process callers).</summary>
    Stored,
}

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
