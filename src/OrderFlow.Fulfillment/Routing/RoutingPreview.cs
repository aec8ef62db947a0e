using Npgsql;
using OrderFlow.Fulfillment.Intake;

namespace OrderFlow.Fulfillment.Routing;

/// <summary>Where an order would go and what it would cost under the merchant's rules, without storing or placing anything.</summary>
public sealed class RoutingPreview(NpgsqlDataSource dataSource, RoutingRuleStore rules, TimeProvider clock)
{
    /// <summary>The plan, or the order's field errors; null when the merchant does not exist.</summary>
    public async Task<(RoutingPlan? Plan, Dictionary<string, string[]>? Errors)?> PreviewAsync(string merchantId, IntakeOrder order, CancellationToken ct)
    {
        var errors = IntakeValidator.Validate(order);
        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(e => "order." + e.Key, e => e.Value));
        }

        var merchantRules = await rules.GetAsync(merchantId, ct);
        if (merchantRules is null)
        {
            return null;
        }

        var lines = order.Lines!.Select(l => new LineToRoute(l.LineId!, l.Sku!, l.Quantity!.Value, [])).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var offers = await LineRouter.OffersAsync(connection, null, lines.Select(l => l.Sku), ct);
        var facts = new OrderFacts(order.ShippingAddress!.Country!, order.Lines!.Sum(l => l.Quantity!.Value * l.UnitPrice!.Value),
            [.. lines.Select(l => l.Sku)], order.Tags ?? []);
        return (RoutePlanner.Plan(facts, lines, offers, merchantRules, clock.GetUtcNow()), null);
    }
}
