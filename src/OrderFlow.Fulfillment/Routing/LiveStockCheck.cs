using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Fulfillment.Suppliers;

namespace OrderFlow.Fulfillment.Routing;

/// <summary>
/// Confirms a routing plan against the suppliers' live stock before anything is placed. Each supplier in the plan whose
/// row enables <c>live_stock_check</c> and whose protocol can (<see cref="ISupplierStockCheck"/>) is asked for the SKUs it
/// would get; where it has fewer than planned, its offer is corrected and the order planned again, until every
/// (supplier, SKU) in the plan has been confirmed or cannot be. A supplier that does not answer is not a refusal: the
/// catalogue stands and placement decides. Live figures are written back to the catalogue for the next orders.
/// </summary>
public sealed partial class LiveStockCheck(SupplierClients clients, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<LiveStockCheck> logger)
{
    public async Task<RoutingPlan> ConfirmAsync(RoutingPlan plan, IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers,
        Func<IReadOnlyList<Offer>, RoutingPlan> replan, CancellationToken ct)
    {
        var current = offers.ToList();
        var asked = new HashSet<(string Supplier, string Sku)>();
        var corrections = new List<(string Supplier, string Sku, int Available)>();
        var byLine = lines.ToDictionary(l => l.LineId);
        while (true)
        {
            var needed = plan.Assignments
                .GroupBy(a => (Supplier: a.Value, byLine[a.Key].Sku))
                .Where(g => !asked.Contains(g.Key))
                .ToDictionary(g => g.Key, g => g.Sum(a => byLine[a.Key].Quantity));
            if (needed.Count == 0)
            {
                break;
            }

            var short_ = false;
            foreach (var supplierSkus in needed.Keys.GroupBy(k => k.Supplier).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var skus = supplierSkus.Select(k => k.Sku).ToList();
                asked.UnionWith(supplierSkus);
                var live = await AskAsync(supplierSkus.Key, skus, ct);
                if (live is null)
                {
                    continue;
                }

                foreach (var sku in skus)
                {
                    var available = live.GetValueOrDefault(sku);
                    var at = current.FindIndex(o => o.SupplierId == supplierSkus.Key && o.Sku == sku);
                    if (at >= 0 && current[at].Available != available)
                    {
                        current[at] = current[at] with { Available = available };
                        corrections.Add((supplierSkus.Key, sku, available));
                    }

                    if (available < needed[(supplierSkus.Key, sku)])
                    {
                        LogShort(supplierSkus.Key, sku, available, needed[(supplierSkus.Key, sku)]);
                        short_ = true;
                    }
                }
            }

            if (!short_)
            {
                break;
            }

            plan = replan(current);
        }

        await SaveAsync(corrections, ct);
        return plan;
    }

    /// <summary>Live stock of <paramref name="skus"/>, or null when the supplier does not check live or did not answer.</summary>
    private async Task<IReadOnlyDictionary<string, int>?> AskAsync(string supplierId, IReadOnlyCollection<string> skus, CancellationToken ct)
    {
        var supplier = await clients.FindAsync(supplierId, ct);
        if (supplier is not { Active: true, LiveStockCheck: true } || clients.For(supplier) is not ISupplierStockCheck check)
        {
            return null;
        }

        try
        {
            return await check.CheckStockAsync(skus, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogUnanswered(supplierId, e.Message);
            return null;
        }
    }

    /// <summary>Best effort, outside the routing transaction: a failure here only leaves the catalogue to the next sync.</summary>
    private async Task SaveAsync(List<(string Supplier, string Sku, int Available)> corrections, CancellationToken ct)
    {
        if (corrections.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            foreach (var (supplier, sku, available) in corrections.OrderBy(c => c.Supplier, StringComparer.Ordinal).ThenBy(c => c.Sku, StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE fulfillment.catalog SET available = @available, synced_at = @now WHERE supplier_id = @supplier AND sku = @sku",
                    new { supplier, sku, available, now = clock.GetUtcNow() }, cancellationToken: ct));
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogNotSaved(e.Message);
        }
    }

    [LoggerMessage(LogLevel.Information, "Live stock of {Sku} at supplier {SupplierId} is {Available}, {Needed} needed: routing again")]
    private partial void LogShort(string supplierId, string sku, int available, int needed);

    [LoggerMessage(LogLevel.Warning, "Supplier {SupplierId} did not answer the live stock check ({Error}); the catalogue stands")]
    private partial void LogUnanswered(string supplierId, string error);

    [LoggerMessage(LogLevel.Warning, "Live stock figures not written to the catalogue ({Error}); the next sync will")]
    private partial void LogNotSaved(string error);
}
