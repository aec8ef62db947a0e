using OrderFlow.Fulfillment.Routing;

namespace OrderFlow.Fulfillment.Tests;

/// <summary>Every routing strategy and fallback, on a fixed catalogue: acme (priority 10, shipping 3.90) and globex (priority 20, shipping 2.90).</summary>
public sealed class RoutePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly Offer[] Catalogue =
    [
        new("acme", "MUG-BLUE", 100, 6.50m, 3.90m, 0, 10),
        new("acme", "MUG-RED", 100, 6.50m, 3.90m, 0, 10),
        new("acme", "POSTER-A2", 100, 4.00m, 3.90m, 0, 10),
        new("globex", "MUG-BLUE", 100, 7.00m, 2.90m, 0, 20),
        new("globex", "CAP-GREEN", 100, 11.00m, 2.90m, 0, 20),
        new("globex", "POSTER-A2", 100, 4.50m, 2.90m, 0, 20),
    ];

    private static LineToRoute Line(string id, string sku, int quantity = 1, params string[] rejectedBy) => new(id, sku, quantity, rejectedBy);

    private static OrderFacts Order(string country = "DE", decimal value = 50, params string[] tags) => new(country, value, ["MUG-BLUE"], tags);

    private static RoutingRule Rule(string type = RoutingStrategies.Priority, string single = SingleSupplierModes.None, string fallback = RoutingFallbacks.NextRule,
        RuleFilter? filter = null, decimal? splitAbove = null, string[]? suppliers = null, DateTimeOffset? cancelAfter = null) =>
        new() { Name = $"{type}/{single}/{fallback}", Filter = filter ?? new(), Strategy = new() { Type = type, SingleSupplier = single, SplitAboveValue = splitAbove, Suppliers = suppliers }, Fallback = fallback, CancelAfter = cancelAfter };

    [Fact]
    public void Plan_NoRules_HighestPrioritySupplierWithStock()
    {
        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-BLUE")], Catalogue, [], Now);

        Assert.Equal("acme", plan.Assignments["1"]);
        Assert.Equal(RoutePlanner.DefaultRule.Name, plan.Rule);
        Assert.Equal(10.40m, plan.Total);
    }

    [Fact]
    public void Plan_LowestLandedCost_PicksCheaperShippingOverCheaperItem()
    {
        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-BLUE")], Catalogue, [Rule(RoutingStrategies.LowestLandedCost)], Now);

        Assert.Equal("globex", plan.Assignments["1"]);
        Assert.Equal(9.90m, plan.Total);
    }

    [Fact]
    public void Plan_LowestLandedCost_ConsolidatesWhenSecondShipmentCostsMore()
    {
        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-RED"), Line("2", "POSTER-A2")], Catalogue, [Rule(RoutingStrategies.LowestLandedCost)], Now);

        Assert.Equal("acme", plan.Assignments["1"]);
        Assert.Equal("acme", plan.Assignments["2"]);
        Assert.Equal(14.40m, plan.Total);
        Assert.Single(plan.SupplierOrders);
    }

    [Fact]
    public void Plan_SingleSupplierRequiredImpossible_FallsToNextRule()
    {
        var rules = new[] { Rule(single: SingleSupplierModes.Required), Rule(RoutingStrategies.LowestLandedCost) };

        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-RED"), Line("2", "CAP-GREEN")], Catalogue, rules, Now);

        Assert.Equal(rules[1].Name, plan.Rule);
        Assert.Equal(["acme", "globex"], plan.SupplierOrders.Select(o => o.SupplierId));
    }

    [Fact]
    public void Plan_SingleSupplierRequiredImpossibleWithHold_HeldAllLinesUnroutable()
    {
        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-RED"), Line("2", "CAP-GREEN")], Catalogue, [Rule(single: SingleSupplierModes.Required, fallback: RoutingFallbacks.Hold)], Now);

        Assert.Equal(RoutingFallbacks.Hold, plan.Fallback);
        Assert.Equal(["1", "2"], plan.Unroutable);
        Assert.Empty(plan.Assignments);
    }

    [Fact]
    public void Plan_SingleSupplierPreferred_OneSupplierWhenPossibleOtherwiseSplit()
    {
        var consolidated = RoutePlanner.Plan(Order(), [Line("1", "MUG-BLUE"), Line("2", "CAP-GREEN")], Catalogue, [Rule(single: SingleSupplierModes.Preferred)], Now);
        var split = RoutePlanner.Plan(Order(), [Line("1", "MUG-RED"), Line("2", "CAP-GREEN")], Catalogue, [Rule(single: SingleSupplierModes.Preferred)], Now);

        Assert.Equal(["globex"], consolidated.Assignments.Values.Distinct());
        Assert.Equal(2, split.SupplierOrders.Count);
    }

    [Theory]
    [InlineData(80, RoutingFallbacks.Hold)]
    [InlineData(150, null)]
    public void Plan_SplitAboveValue_SplitsOnlyAboveThreshold(decimal orderValue, string? expectedFallback)
    {
        var rule = Rule(splitAbove: 100, fallback: RoutingFallbacks.Hold);

        var plan = RoutePlanner.Plan(Order(value: orderValue), [Line("1", "MUG-RED"), Line("2", "CAP-GREEN")], Catalogue, [rule], Now);

        Assert.Equal(expectedFallback, plan.Fallback);
        Assert.Equal(expectedFallback is null ? 2 : 0, plan.SupplierOrders.Count);
    }

    [Fact]
    public void Plan_FilterOnCountryTagSkuAndValue_OnlyMatchingRuleApplies()
    {
        var france = Rule(RoutingStrategies.LowestLandedCost, filter: new RuleFilter { Countries = ["FR"] });
        var vip = Rule(suppliers: ["globex"], filter: new RuleFilter { Tags = ["vip"], Skus = ["MUG-BLUE"], MinOrderValue = 10, MaxOrderValue = 100 });

        var german = RoutePlanner.Plan(Order("DE"), [Line("1", "MUG-BLUE")], Catalogue, [france], Now);
        var french = RoutePlanner.Plan(Order("FR"), [Line("1", "MUG-BLUE")], Catalogue, [france], Now);
        var vipOrder = RoutePlanner.Plan(Order(tags: "VIP"), [Line("1", "MUG-BLUE")], Catalogue, [vip], Now);
        var bigVip = RoutePlanner.Plan(Order(value: 500, tags: "vip"), [Line("1", "MUG-BLUE")], Catalogue, [vip], Now);

        Assert.Equal("acme", german.Assignments["1"]);
        Assert.Equal("globex", french.Assignments["1"]);
        Assert.Equal("globex", vipOrder.Assignments["1"]);
        Assert.Equal("acme", bigVip.Assignments["1"]);
        var otherSku = RoutePlanner.Plan(Order(tags: "vip") with { Skus = ["MUG-RED"] }, [Line("1", "MUG-RED")], Catalogue, [vip], Now);
        Assert.Equal(RoutePlanner.DefaultRule.Name, otherSku.Rule);
    }

    [Fact]
    public void Plan_LineRejectedByPreferredSupplier_GoesToNextOne()
    {
        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-BLUE", 1, "acme")], Catalogue, [], Now);

        Assert.Equal("globex", plan.Assignments["1"]);
    }

    [Fact]
    public void Plan_NotEnoughStockAnywhere_HeldByDefault()
    {
        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-RED", 101)], Catalogue, [], Now);

        Assert.Equal(RoutingFallbacks.Hold, plan.Fallback);
        Assert.Equal(["1"], plan.Unroutable);
    }

    [Theory]
    [InlineData(-1, RoutingFallbacks.Cancel)]
    [InlineData(24, RoutingFallbacks.Hold)]
    public void Plan_CancelFallback_HoldsUntilDateThenCancels(int hoursFromNow, string expected)
    {
        var rule = Rule(single: SingleSupplierModes.Required, fallback: RoutingFallbacks.Cancel, cancelAfter: Now.AddHours(hoursFromNow));

        var plan = RoutePlanner.Plan(Order(), [Line("1", "MUG-RED"), Line("2", "CAP-GREEN")], Catalogue, [rule], Now);

        Assert.Equal(expected, plan.Fallback);
    }

    [Fact]
    public void Validate_BadStrategyAndFallback_ErrorsNameTheFields()
    {
        var errors = RoutingRuleValidator.Validate([new RoutingRule { Name = "x", Strategy = new() { Type = "cheapest" }, Fallback = "retry" }, null]);

        Assert.Contains("rules[0].strategy.type", errors.Keys);
        Assert.Contains("rules[0].fallback", errors.Keys);
        Assert.Contains("rules[1]", errors.Keys);
    }
}
