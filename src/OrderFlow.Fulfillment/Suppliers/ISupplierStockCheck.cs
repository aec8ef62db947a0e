namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// A connector capability: the supplier's stock right now, asked just before placing when the supplier's row enables
/// <c>live_stock_check</c>. The synced catalogue may be minutes old; this answer is not.
/// </summary>
public interface ISupplierStockCheck
{
    /// <summary>Units available per SKU; a SKU the supplier does not list counts as none. Failures are exceptions, as in <see cref="ISupplierConnector"/>.</summary>
    Task<IReadOnlyDictionary<string, int>> CheckStockAsync(IReadOnlyCollection<string> skus, CancellationToken ct);
}
