using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Routing;

/// <summary>
/// Routing by supplier priority: each line goes to the active supplier with the lowest priority number that stocks
/// enough of its SKU and has not rejected it; lines for the same supplier form one supplier order.
/// </summary>
public sealed class LineRouter
{
    public async Task<RoutingPlan> PlanAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        var lines = (await connection.QueryAsync<OpenLine>(new CommandDefinition("""
            SELECT line_id AS LineId, sku AS Sku, quantity AS Quantity, rejected_by AS RejectedBy
            FROM fulfillment.order_lines WHERE order_id = @orderId AND status IN ('new', 'rejected') ORDER BY line_id
            """, new { orderId }, tx, cancellationToken: ct))).ToList();
        if (lines.Count == 0)
        {
            return new RoutingPlan(new Dictionary<string, string>(), []);
        }

        var offers = (await connection.QueryAsync<Offer>(new CommandDefinition("""
            SELECT c.supplier_id AS SupplierId, c.sku AS Sku, c.available AS Available
            FROM fulfillment.catalog c JOIN fulfillment.suppliers s ON s.id = c.supplier_id AND s.active
            WHERE c.sku = ANY (@skus) AND c.available > 0
            ORDER BY s.priority, c.unit_price + c.shipping_price, s.id
            """, new { skus = lines.Select(l => l.Sku).Distinct().ToArray() }, tx, cancellationToken: ct))).ToList();

        var remaining = offers.ToDictionary(o => (o.SupplierId, o.Sku), o => o.Available);
        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        var unroutable = new List<string>();
        foreach (var line in lines)
        {
            var choice = offers.FirstOrDefault(o => o.Sku == line.Sku && !line.RejectedBy.Contains(o.SupplierId) && remaining[(o.SupplierId, o.Sku)] >= line.Quantity);
            if (choice is null)
            {
                unroutable.Add(line.LineId);
                continue;
            }

            remaining[(choice.SupplierId, choice.Sku)] -= line.Quantity;
            assignments[line.LineId] = choice.SupplierId;
        }

        return new RoutingPlan(assignments, unroutable);
    }

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

    private sealed record Offer(string SupplierId, string Sku, int Available);
}

/// <summary>Where each routable line goes (line id → supplier id), and the lines no supplier can take.</summary>
public sealed record RoutingPlan(IReadOnlyDictionary<string, string> Assignments, IReadOnlyList<string> Unroutable);
