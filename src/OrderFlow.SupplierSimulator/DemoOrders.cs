using System.Globalization;
using System.Text.Json;

namespace OrderFlow.SupplierSimulator;

/// <summary>Plausible storefront orders for demos and tests, reproducible from the <see cref="Random"/> given.</summary>
public static class DemoOrders
{
    /// <summary>The union of both suppliers' catalogues with retail names and prices.</summary>
    public static readonly IReadOnlyList<(string Sku, string Name, decimal Price)> Products =
    [
        ("MUG-BLUE", "Blue mug", 12.50m),
        ("MUG-RED", "Red mug", 12.50m),
        ("TEE-BLACK-M", "Black T-shirt (M)", 19.90m),
        ("TEE-WHITE-L", "White T-shirt (L)", 19.90m),
        ("POSTER-A2", "A2 poster", 9.90m),
        ("CAP-GREEN", "Green cap", 17.50m),
        ("BOTTLE-STEEL", "Steel bottle", 24.00m),
    ];

    private static readonly string[] FirstNames =
        ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Niklaus", "Frances", "Tim", "Radia", "Linus"];

    private static readonly string[] LastNames =
        ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Wirth", "Allen", "Berners-Lee", "Perlman", "Torvalds"];

    private static readonly (string Country, string City, string PostalCode, string Street, string Phone)[] Places =
    [
        ("DE", "Berlin", "10115", "Hauptstraße", "+4915112345678"),
        ("DE", "München", "80331", "Marienplatz", "+4916098765432"),
        ("FR", "Paris", "75001", "Rue de Rivoli", "+33612345678"),
        ("NL", "Amsterdam", "1012 AB", "Damrak", "+31612345678"),
        ("AT", "Wien", "1010", "Kärntner Straße", "+436641234567"),
        ("IT", "Roma", "00184", "Via Nazionale", "+393471234567"),
    ];

    /// <summary>
    /// Order number <paramref name="n"/>, id <c>{prefix}{yyyyMMddHHmmss}-{n:0000}</c> stamped with <paramref name="now"/>
    /// (default: the system clock), with 1–3 lines of distinct SKUs, quantities 1–3.
    /// </summary>
    public static DemoOrder Create(int n, Random rng, string prefix, DateTimeOffset? now = null)
    {
        var createdAt = now ?? TimeProvider.System.GetUtcNow();
        var first = FirstNames[rng.Next(FirstNames.Length)];
        var last = LastNames[rng.Next(LastNames.Length)];
        var name = $"{first} {last}";
        var place = Places[rng.Next(Places.Length)];
        var products = Products.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
        var lines = products
            .Select((p, i) => new DemoLine((i + 1).ToString(CultureInfo.InvariantCulture), p.Sku, p.Name, rng.Next(1, 4), p.Price))
            .ToList();

        return new DemoOrder(
            $"{prefix}{createdAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{n:0000}",
            createdAt,
            "EUR",
            new DemoCustomer(name, $"{first}.{last}".ToLowerInvariant() + "@example.com", place.Phone),
            new DemoAddress(name, $"{place.Street} {rng.Next(1, 120)}", null, place.City, place.PostalCode, null, place.Country),
            lines,
            ["demo"]);
    }

    /// <summary>The intake JSON body for <paramref name="order"/>.</summary>
    public static string ToJson(DemoOrder order) => JsonSerializer.Serialize(order);
}
