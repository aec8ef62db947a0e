namespace OrderFlow.Fulfillment.Routing;

/// <summary>
/// Decides where lines go, from the merchant's rules and the suppliers' offers, without touching the database: the same
/// code serves routing and the dry-run preview. Without rules (or when none matches) lines go by supplier priority.
/// </summary>
public static class RoutePlanner
{
    public static readonly RoutingRule DefaultRule = new() { Name = "Default: supplier priority", Fallback = RoutingFallbacks.Hold };

    public static RoutingPlan Plan(OrderFacts order, IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers, IReadOnlyList<RoutingRule> rules, DateTimeOffset now)
    {
        if (lines.Count == 0)
        {
            return RoutingPlan.Empty;
        }

        var candidates = rules.Where(r => Matches(r.Filter, order)).Append(DefaultRule).ToList();
        RoutingPlan? last = null;
        foreach (var rule in candidates)
        {
            var assignments = Assign(rule.Strategy, order, lines, offers);
            if (assignments is not null)
            {
                return Priced(rule.Name, assignments, lines, offers, [], null);
            }

            var unroutable = lines.Select(l => l.LineId).ToList();
            last = rule.Fallback switch
            {
                RoutingFallbacks.Cancel when rule.CancelAfter is null || rule.CancelAfter <= now => new RoutingPlan(rule.Name, new Dictionary<string, string>(), unroutable, [], 0, RoutingFallbacks.Cancel),
                RoutingFallbacks.Cancel or RoutingFallbacks.Hold => new RoutingPlan(rule.Name, new Dictionary<string, string>(), unroutable, [], 0, RoutingFallbacks.Hold),
                _ => null,
            };
            if (last is not null)
            {
                return last;
            }
        }

        return last ?? new RoutingPlan(DefaultRule.Name, new Dictionary<string, string>(), lines.Select(l => l.LineId).ToList(), [], 0, RoutingFallbacks.Hold);
    }

    public static bool Matches(RuleFilter filter, OrderFacts order) =>
        (filter.Countries is not { Count: > 0 } countries || countries.Contains(order.Country, StringComparer.OrdinalIgnoreCase))
        && (filter.Skus is not { Count: > 0 } skus || order.Skus.Any(s => skus.Contains(s, StringComparer.Ordinal)))
        && (filter.MinOrderValue is not { } min || order.Value >= min)
        && (filter.MaxOrderValue is not { } max || order.Value <= max)
        && (filter.Tags is not { Count: > 0 } tags || order.Tags.Any(t => tags.Contains(t, StringComparer.OrdinalIgnoreCase)));

    /// <summary>Line id → supplier id for every line, or null when the strategy cannot place them all.</summary>
    private static Dictionary<string, string>? Assign(RuleStrategy strategy, OrderFacts order, IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> allOffers)
    {
        var offers = allOffers.Where(o => strategy.Suppliers is not { Count: > 0 } allowed || allowed.Contains(o.SupplierId)).ToList();
        var single = strategy.SingleSupplier;
        if (strategy.SplitAboveValue is { } threshold && order.Value <= threshold)
        {
            single = SingleSupplierModes.Required;
        }

        if (single is SingleSupplierModes.Required or SingleSupplierModes.Preferred)
        {
            var whole = Rank(strategy, offers.Select(o => o.SupplierId).Distinct()
                    .Where(s => lines.All(l => CanTake(offers, s, l))), lines, offers)
                .FirstOrDefault();
            if (whole is not null)
            {
                return lines.ToDictionary(l => l.LineId, _ => whole);
            }

            if (single == SingleSupplierModes.Required)
            {
                return null;
            }
        }

        return strategy.Type == RoutingStrategies.LowestLandedCost ? CheapestSplit(lines, offers) : PrioritySplit(lines, offers);
    }

    private static IEnumerable<string> Rank(RuleStrategy strategy, IEnumerable<string> suppliers, IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers) =>
        strategy.Type == RoutingStrategies.LowestLandedCost
            ? suppliers.OrderBy(s => Cost(lines.ToDictionary(l => l.LineId, _ => s), lines, offers)).ThenBy(s => s, StringComparer.Ordinal)
            : suppliers.OrderBy(s => offers.First(o => o.SupplierId == s).Priority).ThenBy(s => s, StringComparer.Ordinal);

    private static Dictionary<string, string>? PrioritySplit(IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers)
    {
        var remaining = offers.ToDictionary(o => (o.SupplierId, o.Sku), o => o.Available);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var choice = offers.Where(o => o.Sku == line.Sku && !line.RejectedBy.Contains(o.SupplierId) && remaining[(o.SupplierId, o.Sku)] >= line.Quantity)
                .OrderBy(o => o.Priority).ThenBy(o => o.UnitPrice + o.ShippingPrice).ThenBy(o => o.SupplierId, StringComparer.Ordinal).FirstOrDefault();
            if (choice is null)
            {
                return null;
            }

            remaining[(choice.SupplierId, choice.Sku)] -= line.Quantity;
            result[line.LineId] = choice.SupplierId;
        }

        return result;
    }

    /// <summary>
    /// The cheapest assignment counting shipping and fee once per supplier used: tries every set of suppliers (few per
    /// order in practice; capped at 10, beyond which the cheapest per line is used) and gives each line its cheapest member.
    /// </summary>
    private static Dictionary<string, string>? CheapestSplit(IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers)
    {
        var suppliers = offers.Where(o => lines.Any(l => CanTake(offers, o.SupplierId, l))).Select(o => o.SupplierId).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (suppliers.Count > 10)
        {
            return CheapestPerLine(lines, offers, suppliers);
        }

        Dictionary<string, string>? best = null;
        var bestCost = decimal.MaxValue;
        for (var mask = 1; mask < 1 << suppliers.Count; mask++)
        {
            var set = suppliers.Where((_, i) => (mask & (1 << i)) != 0).ToList();
            var assignment = CheapestPerLine(lines, offers, set);
            if (assignment is null)
            {
                continue;
            }

            var cost = Cost(assignment, lines, offers);
            if (cost < bestCost)
            {
                (best, bestCost) = (assignment, cost);
            }
        }

        return best;
    }

    private static Dictionary<string, string>? CheapestPerLine(IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers, IReadOnlyList<string> suppliers)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var choice = suppliers.Where(s => CanTake(offers, s, line)).OrderBy(s => Find(offers, s, line.Sku)!.UnitPrice).ThenBy(s => s, StringComparer.Ordinal).FirstOrDefault();
            if (choice is null)
            {
                return null;
            }

            result[line.LineId] = choice;
        }

        return result;
    }

    private static bool CanTake(IReadOnlyList<Offer> offers, string supplierId, LineToRoute line) =>
        !line.RejectedBy.Contains(supplierId) && Find(offers, supplierId, line.Sku) is { } offer && offer.Available >= line.Quantity;

    private static Offer? Find(IReadOnlyList<Offer> offers, string supplierId, string sku) => offers.FirstOrDefault(o => o.SupplierId == supplierId && o.Sku == sku);

    /// <summary>Landed cost: items, plus shipping and fee once per supplier order.</summary>
    public static decimal Cost(IReadOnlyDictionary<string, string> assignment, IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers) =>
        lines.Sum(l => Find(offers, assignment[l.LineId], l.Sku)!.UnitPrice * l.Quantity)
        + assignment.Values.Distinct().Sum(s => offers.First(o => o.SupplierId == s).ShippingPrice + offers.First(o => o.SupplierId == s).OrderFee);

    private static RoutingPlan Priced(string rule, Dictionary<string, string> assignments, IReadOnlyList<LineToRoute> lines, IReadOnlyList<Offer> offers, List<string> unroutable, string? fallback)
    {
        var orders = assignments.GroupBy(a => a.Value).Select(g =>
        {
            var items = lines.Where(l => g.Any(a => a.Key == l.LineId)).Sum(l => Find(offers, g.Key, l.Sku)!.UnitPrice * l.Quantity);
            var offer = offers.First(o => o.SupplierId == g.Key);
            return new SupplierOrderCost(g.Key, [.. g.Select(a => a.Key).Order(StringComparer.Ordinal)], items, offer.ShippingPrice, offer.OrderFee, items + offer.ShippingPrice + offer.OrderFee);
        }).OrderBy(o => o.SupplierId, StringComparer.Ordinal).ToList();
        return new RoutingPlan(rule, assignments, unroutable, orders, orders.Sum(o => o.Total), fallback);
    }
}

/// <summary>What rules filter on.</summary>
public sealed record OrderFacts(string Country, decimal Value, IReadOnlyList<string> Skus, IReadOnlyList<string> Tags);

/// <summary>A line that needs a supplier, and the suppliers that already refused it.</summary>
public sealed record LineToRoute(string LineId, string Sku, int Quantity, IReadOnlyList<string> RejectedBy);

/// <summary>A supplier's offer for a SKU, from the synced catalogue.</summary>
public sealed record Offer(string SupplierId, string Sku, int Available, decimal UnitPrice, decimal ShippingPrice, decimal OrderFee, int Priority);

/// <summary>What one supplier order would cost.</summary>
public sealed record SupplierOrderCost(string SupplierId, IReadOnlyList<string> LineIds, decimal Items, decimal Shipping, decimal Fee, decimal Total);

/// <summary>
/// Where each routable line goes (line id → supplier id) with the cost, or the lines no supplier can take and what to do:
/// <see cref="Fallback"/> is hold or cancel when nothing could be placed.
/// </summary>
public sealed record RoutingPlan(string Rule, IReadOnlyDictionary<string, string> Assignments, IReadOnlyList<string> Unroutable,
    IReadOnlyList<SupplierOrderCost> SupplierOrders, decimal Total, string? Fallback)
{
    public static RoutingPlan Empty { get; } = new("", new Dictionary<string, string>(), [], [], 0, null);
}
