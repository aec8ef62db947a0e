namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>A supplier API dialect: creates connectors for suppliers whose <c>protocol</c> column names it.</summary>
public interface ISupplierProtocol
{
    /// <summary>The value of <c>suppliers.protocol</c> this dialect serves, e.g. "orderflow".</summary>
    string Name { get; }

    /// <summary>Whether its connectors implement <see cref="ISupplierStockCheck"/> (live stock before placing).</summary>
    bool CanCheckStock { get; }

    /// <summary>A connector for <paramref name="supplier"/> over <paramref name="http"/> (base address and credentials already set).</summary>
    ISupplierConnector Create(Supplier supplier, HttpClient http);
}
