using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Routing;

/// <summary>
/// Routes an order's open lines (new, or rejected by their supplier) with the merchant's rules over the synced catalogue
/// (<see cref="RoutePlanner"/>), confirms the plan with the suppliers' live stock where they offer it
/// (<see cref="LiveStockCheck"/>), and turns the plan into supplier orders, one per supplier.
/// </summary>
public sealed class LineRouter(RoutingRuleStore rules, LiveStockCheck liveStock, TimeProvider clock)
{
    public async Task<RoutingPlan> PlanAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        var order = await connection.QuerySingleAsync<OrderRow>(new CommandDefinition("""
            SELECT merchant_id AS MerchantId, shipping_address->>'country' AS Country, total AS Total, tags AS Tags,
                   (SELECT array_agg(sku) FROM fulfillment.order_lines WHERE order_id = o.id) AS Skus
            FROM fulfillment.orders o WHERE id = @orderId
            """, new { orderId }, tx, cancellationToken: ct));
        var lines = (await connection.QueryAsync<OpenLine>(new CommandDefinition("""
            SELECT line_id AS LineId, sku AS Sku, quantity AS Quantity, rejected_by AS RejectedBy
            FROM fulfillment.order_lines WHERE order_id = @orderId AND status IN ('new', 'rejected') ORDER BY line_id
            """, new { orderId }, tx, cancellationToken: ct))).Select(l => new LineToRoute(l.LineId, l.Sku, l.Quantity, l.RejectedBy)).ToList();
        if (lines.Count == 0)
        {
            return RoutingPlan.Empty;
        }

        var offers = await OffersAsync(connection, tx, lines.Select(l => l.Sku), ct);
        var merchantRules = await rules.GetAsync(connection, tx, order.MerchantId, ct);
        var facts = new OrderFacts(order.Country, order.Total, order.Skus, order.Tags);
        var now = clock.GetUtcNow();
        var plan = RoutePlanner.Plan(facts, lines, offers, merchantRules, now);
        return await liveStock.ConfirmAsync(plan, lines, offers, corrected => RoutePlanner.Plan(facts, lines, corrected, merchantRules, now), ct);
    }

    public static async Task<IReadOnlyList<Offer>> OffersAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, IEnumerable<string> skus, CancellationToken ct) =>
        (await connection.QueryAsync<Offer>(new CommandDefinition("""
            SELECT c.supplier_id AS SupplierId, c.sku AS Sku, c.available AS Available, c.unit_price AS UnitPrice,
                   c.shipping_price AS ShippingPrice, s.order_fee AS OrderFee, s.priority AS Priority
            FROM fulfillment.catalog c JOIN fulfillment.suppliers s ON s.id = c.supplier_id AND s.active
            WHERE c.sku = ANY (@skus) AND c.available > 0
            ORDER BY s.priority, s.id
            """, new { skus = skus.Distinct().ToArray() }, tx, cancellationToken: ct))).ToList();

    /// <summary>Creates the supplier orders of <paramref name="plan"/>; returns how many.</summary>
    public async Task<int> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, RoutingPlan plan, long round, DateTimeOffset now, CancellationToken ct)
    {
        var created = 0;
        foreach (var group in plan.Assignments.GroupBy(a => a.Value))
        {
            var supplierId = group.Key;
            var reference = $"OF-{orderId:N}-{round}-{supplierId}";
            var supplierOrderId = Guid.CreateVersion7(now);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO fulfillment.supplier_orders (id, order_id, supplier_id, reference, status, updated_at)
                VALUES (@supplierOrderId, @orderId, @supplierId, @reference, 'new', @now);
                UPDATE fulfillment.order_lines SET status = 'routed', supplier_id = @supplierId, supplier_order_id = @supplierOrderId, rejection_reason = NULL
                WHERE order_id = @orderId AND line_id = ANY (@lineIds);
                """, new { supplierOrderId, orderId, supplierId, reference, now, lineIds = group.Select(a => a.Key).ToArray() }, tx, cancellationToken: ct));
            created++;
        }

        return created;
    }

    private sealed record OpenLine
    {
        public string LineId { get; init; } = "";
        public string Sku { get; init; } = "";
        public int Quantity { get; init; }
        public string[] RejectedBy { get; init; } = [];
    }

    private sealed record OrderRow
    {
        public string MerchantId { get; init; } = "";
        public string Country { get; init; } = "";
        public decimal Total { get; init; }
        public string[] Tags { get; init; } = [];
        public string[] Skus { get; init; } = [];
    }
}
