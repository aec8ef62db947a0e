using Microsoft.Extensions.Logging;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// Wraps every protocol's connector (<see cref="SupplierClients.For"/>): answers are checked with <see cref="SupplierAnswers"/>
/// before anyone uses them. A single order that is unreadable or invalid fails the call with a <see cref="SupplierAnswerException"/>
/// (retried, then the supplier counts as unreachable for it); in lists (statuses, catalogue) the bad entries are left out
/// and the rest is used. Every refusal is logged (field and rule, no values, no credentials) and counted
/// (<c>orderflow.supplier.bad_answers</c>).
/// </summary>
internal class CheckedSupplierConnector(ISupplierConnector inner, string supplierId, ILogger logger, FulfillmentMetrics metrics) : ISupplierConnector
{
    protected ISupplierConnector Inner => inner;

    public static ISupplierConnector Wrap(ISupplierConnector inner, string supplierId, ILogger logger, FulfillmentMetrics metrics) =>
        inner is ISupplierStockCheck ? new CheckedStockConnector(inner, supplierId, logger, metrics) : new CheckedSupplierConnector(inner, supplierId, logger, metrics);

    public async Task<IReadOnlyList<CatalogItem>> GetCatalogAsync(CancellationToken ct)
    {
        var items = await ReadAsync("catalog", () => inner.GetCatalogAsync(ct)) ?? throw Refuse("catalog", "the answer is empty");
        var usable = new List<CatalogItem>(items.Count);
        var skus = new HashSet<string>(StringComparer.Ordinal);
        string? first = null;
        for (var i = 0; i < items.Count; i++)
        {
            var problem = SupplierAnswers.ProblemWith(items[i]) ?? (skus.Add(items[i].Sku) ? null : "the sku is listed twice");
            if (problem is null)
            {
                usable.Add(items[i]);
            }
            else
            {
                first ??= $"items[{i}]: {problem}";
            }
        }

        if (first is not null)
        {
            metrics.SupplierBadAnswer(supplierId, "catalog");
            logger.LogWarning("Supplier {SupplierId} listed {Count} unusable catalogue items, left out (first: {Problem})", supplierId, items.Count - usable.Count, first);
        }

        return usable;
    }

    public async Task<SupplierOrderDto> PlaceAsync(PlaceOrderRequest request, string idempotencyKey, CancellationToken ct) =>
        Require("place", await ReadAsync("place", () => inner.PlaceAsync(request, idempotencyKey, ct)), request.Reference);

    public async Task<SupplierOrderDto?> FindByReferenceAsync(string reference, CancellationToken ct) =>
        await ReadAsync("find", () => inner.FindByReferenceAsync(reference, ct)) is { } found ? Require("find", found, reference) : null;

    public async Task<IReadOnlyList<SupplierOrderDto>> GetStatusesAsync(IReadOnlyList<string> supplierOrderIds, CancellationToken ct)
    {
        var answer = await ReadAsync("status", () => inner.GetStatusesAsync(supplierOrderIds, ct)) ?? throw Refuse("status", "the answer is empty");
        var asked = supplierOrderIds.ToHashSet(StringComparer.Ordinal);
        var usable = new List<SupplierOrderDto>(answer.Count);
        foreach (var order in answer)
        {
            // An order we did not ask about (or a second copy) is left out: it is not news about ours.
            var problem = SupplierAnswers.ProblemWith(order) ?? (asked.Remove(order.Id) ? null : "an order that was not asked about, or twice");
            if (problem is null)
            {
                usable.Add(order);
            }
            else
            {
                metrics.SupplierBadAnswer(supplierId, "status");
                logger.LogWarning("Supplier {SupplierId} gave an unusable status of order {SupplierOrderId}, left out: {Problem}",
                    supplierId, Printable(order?.Id), problem);
            }
        }

        return usable;
    }

    public async Task<SupplierOrderDto> CancelAsync(string supplierOrderId, CancellationToken ct) =>
        Require("cancel", await ReadAsync("cancel", () => inner.CancelAsync(supplierOrderId, ct)), reference: null, supplierOrderId);

    /// <summary>Runs a call; an answer the protocol could not read becomes a <see cref="SupplierAnswerException"/>.</summary>
    protected async Task<T> ReadAsync<T>(string call, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (SupplierAnswers.IsUnreadable(e))
        {
            // The exception's message may quote the body (Refit's does not, JSON errors give a path): the type and path only.
            throw Refuse(call, $"the answer could not be read ({e.GetType().Name}{(e.InnerException is System.Text.Json.JsonException { Path: { } path } ? " at " + path : "")})", e);
        }
    }

    private SupplierOrderDto Require(string call, SupplierOrderDto? order, string? reference, string? id = null)
    {
        var problem = SupplierAnswers.ProblemWith(order)
            ?? (reference is not null && order!.Reference != reference ? "the order carries another reference" : null)
            ?? (id is not null && order!.Id != id ? "the answer is about another order" : null);
        return problem is null ? order! : throw Refuse(call, problem);
    }

    protected SupplierAnswerException Refuse(string call, string problem, Exception? inner = null)
    {
        metrics.SupplierBadAnswer(supplierId, call);
        logger.LogWarning("Supplier {SupplierId} gave an unusable answer to {Call}: {Problem}", supplierId, call, problem);
        return new SupplierAnswerException(supplierId, call, problem, inner);
    }

    private static string? Printable(string? id) => id is null ? null : id.Length > 100 || !Intake.StorableText.IsStorable(id) ? "(unprintable)" : id;

    /// <summary>The same for a protocol that can also confirm stock live.</summary>
    private sealed class CheckedStockConnector(ISupplierConnector inner, string supplierId, ILogger logger, FulfillmentMetrics metrics)
        : CheckedSupplierConnector(inner, supplierId, logger, metrics), ISupplierStockCheck
    {
        public async Task<IReadOnlyDictionary<string, int>> CheckStockAsync(IReadOnlyCollection<string> skus, CancellationToken ct)
        {
            var levels = await ReadAsync("stock", () => ((ISupplierStockCheck)Inner).CheckStockAsync(skus, ct)) ?? throw Refuse("stock", "the answer is empty");
            // Only what was asked, never below zero: a negative count would read as a debt routing could pay off.
            return skus.Distinct().ToDictionary(s => s, s => Math.Max(0, levels.GetValueOrDefault(s)), StringComparer.Ordinal);
        }
    }
}
