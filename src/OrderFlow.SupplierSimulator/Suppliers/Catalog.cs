namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>
/// The hosted suppliers and what they stock. Deliberately overlapping but not identical, so routing matters. acme and globex
/// speak the orderflow API under <c>/suppliers</c>; parcelhub speaks its own API under <c>/v2/parcelhub</c>.
/// </summary>
internal static class Catalog
{
    public const string Currency = "EUR";

    public static readonly IReadOnlyDictionary<string, SupplierProfile> Suppliers =
        new Dictionary<string, SupplierProfile>(StringComparer.Ordinal)
        {
            ["acme"] = new("acme", 3.90m, "Leipzig, DE",
            [
                new("MUG-BLUE", "Blue mug", 6.50m),
                new("MUG-RED", "Red mug", 6.50m),
                new("TEE-BLACK-M", "Black T-shirt (M)", 9.00m),
                new("TEE-WHITE-L", "White T-shirt (L)", 9.00m),
                new("POSTER-A2", "A2 poster", 4.00m),
            ]),
            ["globex"] = new("globex", 2.90m, "Venlo, NL",
            [
                new("MUG-BLUE", "Blue mug", 7.00m),
                new("TEE-BLACK-M", "Black T-shirt (M)", 8.50m),
                new("CAP-GREEN", "Green cap", 11.00m),
                new("POSTER-A2", "A2 poster", 4.50m),
                new("BOTTLE-STEEL", "Steel bottle", 14.00m),
            ]),
            ["parcelhub"] = new("parcelhub", 4.50m, "Poznań, PL",
            [
                new("MUG-BLUE", "Blue mug", 6.90m),
                new("CAP-GREEN", "Green cap", 10.50m),
                new("LAMP-DESK", "Desk lamp", 24.00m),
                new("NOTEBOOK-A5", "A5 notebook", 3.20m),
                new("POSTER-A2", "A2 poster", 3.80m),
            ], SupplierFlavour.Parcelhub),
        };
}

internal sealed record SupplierProfile(
    string Id, decimal ShippingPrice, string Warehouse, IReadOnlyList<CatalogProduct> Products, string Flavour = SupplierFlavour.OrderFlow)
{
    public CatalogProduct? Find(string sku) => Products.FirstOrDefault(p => p.Sku == sku);
}

internal sealed record CatalogProduct(string Sku, string Name, decimal UnitPrice);

/// <summary>Which wire API a hosted supplier speaks; the same order book and lifecycle sit behind both.</summary>
internal static class SupplierFlavour
{
    public const string OrderFlow = "orderflow";
    public const string Parcelhub = "parcelhub";
}
