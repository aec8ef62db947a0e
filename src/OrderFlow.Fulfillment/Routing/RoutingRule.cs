namespace OrderFlow.Fulfillment.Routing;

/// <summary>
/// One routing rule of a merchant. Rules are evaluated top-down: the first whose <see cref="Filter"/> matches the order
/// applies its <see cref="Strategy"/>; when that cannot place every line, <see cref="Fallback"/> decides: try the next
/// rule, hold the order for review, or cancel it (once <see cref="CancelAfter"/> has passed, holding until then).
/// </summary>
public sealed record RoutingRule
{
    public string Name { get; init; } = "";
    public RuleFilter Filter { get; init; } = new();
    public RuleStrategy Strategy { get; init; } = new();
    /// <summary>next_rule, hold or cancel.</summary>
    public string Fallback { get; init; } = RoutingFallbacks.NextRule;
    /// <summary>With fallback cancel: hold until this time, cancel after it (no date: cancel at once).</summary>
    public DateTimeOffset? CancelAfter { get; init; }
}

/// <summary>Which orders a rule applies to; every condition given must hold (an empty filter matches every order).</summary>
public sealed record RuleFilter
{
    /// <summary>Destination countries (ISO 3166-1 alpha-2).</summary>
    public IReadOnlyList<string>? Countries { get; init; }
    /// <summary>The rule applies when the order has at least one of these SKUs.</summary>
    public IReadOnlyList<string>? Skus { get; init; }
    public decimal? MinOrderValue { get; init; }
    public decimal? MaxOrderValue { get; init; }
    /// <summary>The rule applies when the order carries at least one of these tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>How a rule chooses suppliers.</summary>
public sealed record RuleStrategy
{
    /// <summary>priority (lowest priority number first) or lowest_landed_cost (items + shipping + fee per supplier order).</summary>
    public string Type { get; init; } = RoutingStrategies.Priority;
    /// <summary>Only these suppliers (all active ones when empty).</summary>
    public IReadOnlyList<string>? Suppliers { get; init; }
    /// <summary>none, preferred (one supplier if any can take every line) or required (one supplier or nothing).</summary>
    public string SingleSupplier { get; init; } = SingleSupplierModes.None;
    /// <summary>Split across suppliers only when the order is worth more than this; below it one supplier is required.</summary>
    public decimal? SplitAboveValue { get; init; }
}

public static class RoutingStrategies
{
    public const string Priority = "priority";
    public const string LowestLandedCost = "lowest_landed_cost";
    public static readonly IReadOnlyList<string> All = [Priority, LowestLandedCost];
}

public static class SingleSupplierModes
{
    public const string None = "none";
    public const string Preferred = "preferred";
    public const string Required = "required";
    public static readonly IReadOnlyList<string> All = [None, Preferred, Required];
}

public static class RoutingFallbacks
{
    public const string NextRule = "next_rule";
    public const string Hold = "hold";
    public const string Cancel = "cancel";
    public static readonly IReadOnlyList<string> All = [NextRule, Hold, Cancel];
}
