namespace OrderFlow.SupplierSimulator.Suppliers;

/// <summary>The two hosted suppliers and what they stock. Deliberately overlapping but not identical, so routing matters.</summary>
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
        };
}

internal sealed record SupplierProfile(string Id, decimal ShippingPrice, string Warehouse, IReadOnlyList<CatalogProduct> Products)
{
    public CatalogProduct? Find(string sku) => Products.FirstOrDefault(p => p.Sku == sku);
}

internal sealed record CatalogProduct(string Sku, string Name, decimal UnitPrice);
