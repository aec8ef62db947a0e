using System.Text.Json.Nodes;

namespace OrderFlow.SupplierSimulator.Tests;

public sealed class DemoOrdersTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 10, 10, 10, TimeSpan.Zero);

    [Fact]
    public void Create_ManyOrders_PlausibleAndWithinTheRules()
    {
        var rng = new Random(11);
        var skus = DemoOrders.Products.Select(p => p.Sku).ToHashSet();

        var orders = Enumerable.Range(1, 200).Select(n => DemoOrders.Create(n, rng, "demo-", At)).ToList();

        Assert.Equal("demo-20261125101010-0001", orders[0].OrderId);
        Assert.Equal("demo-20261125101010-0200", orders[^1].OrderId);
        Assert.All(orders, o => Assert.InRange(o.Lines.Count, 1, 3));
        Assert.All(orders, o => Assert.Equal(o.Lines.Count, o.Lines.Select(l => l.Sku).Distinct().Count()));
        Assert.All(orders.SelectMany(o => o.Lines), l => Assert.InRange(l.Quantity, 1, 3));
        Assert.All(orders.SelectMany(o => o.Lines), l => Assert.Contains(l.Sku, skus));
        Assert.All(orders, o => Assert.EndsWith("@example.com", o.Customer.Email));
        Assert.Equal(["AT", "DE", "FR", "IT", "NL"], orders.Select(o => o.ShippingAddress.Country).Distinct().Order());
        Assert.Equal(skus.Order(), orders.SelectMany(o => o.Lines).Select(l => l.Sku).Distinct().Order());
    }

    [Fact]
    public void Create_SameSeed_SameOrder()
    {
        var a = DemoOrders.ToJson(DemoOrders.Create(1, new Random(5), "x-", At));
        var b = DemoOrders.ToJson(DemoOrders.Create(1, new Random(5), "x-", At));

        Assert.Equal(a, b);
    }

    [Fact]
    public void ToJson_Order_UsesTheIntakeFieldNames()
    {
        var json = JsonNode.Parse(DemoOrders.ToJson(DemoOrders.Create(3, new Random(1), "demo-", At)))!;

        Assert.Equal("demo-20261125101010-0003", (string)json["orderId"]!);
        Assert.Equal("EUR", (string)json["currency"]!);
        Assert.NotNull(json["customer"]!["email"]);
        Assert.NotNull(json["shippingAddress"]!["postalCode"]);
        Assert.Equal("1", (string)json["lines"]![0]!["lineId"]!);
        Assert.NotNull(json["lines"]![0]!["unitPrice"]);
        Assert.Equal("demo", (string)json["tags"]![0]!);
    }
}
