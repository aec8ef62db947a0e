using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// How each supplier is doing, from what OrderFlow saw of it: when its catalogue last synced, and what became of the supplier
/// orders sent to it in the last 24 hours (placed, refused, unreachable). <see cref="State"/> sums it up:
/// <c>inactive</c>, <c>unreachable</c> (an order could not be placed within the last hour), <c>no_catalogue</c>,
/// <c>stale_catalogue</c> (no sync for three sync intervals) or <c>ok</c>.
/// </summary>
public sealed record SupplierHealthView(string SupplierId, string State, string Detail, DateTime? CatalogSyncedAt, int CatalogSkus, int OpenOrders,
    int PlacedLastDay, int RejectedLastDay, int UnreachableLastDay, DateTime? LastUnreachableAt);

public sealed class SupplierHealth(NpgsqlDataSource dataSource, IOptions<FulfillmentOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<SupplierHealthView>> ListAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT s.id AS SupplierId, s.active AS Active, c.synced AS CatalogSyncedAt, c.skus::int AS CatalogSkus,
                   o.open::int AS OpenOrders, p.placed::int AS PlacedLastDay, t.rejected::int AS RejectedLastDay,
                   t.unreachable::int AS UnreachableLastDay, t.last_unreachable AS LastUnreachableAt
            FROM fulfillment.suppliers s
            CROSS JOIN LATERAL (SELECT max(synced_at) AS synced, count(*) AS skus FROM fulfillment.catalog WHERE supplier_id = s.id) c
            -- Each figure from its own index, so none reads the supplier's history: open orders from supplier_orders_active,
            -- placements from supplier_orders_placed, refusals and failures from supplier_orders_troubled (migration 0110;
            -- one filtered scan of all of them took ~700 ms with 1,000,000 supplier orders stored).
            CROSS JOIN LATERAL (SELECT count(*) AS open FROM fulfillment.supplier_orders
                                WHERE supplier_id = s.id AND status IN ('pending', 'accepted', 'shipped', 'cancel_requested')) o
            CROSS JOIN LATERAL (SELECT count(*) AS placed FROM fulfillment.supplier_orders WHERE supplier_id = s.id AND placed_at >= @since) p
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE status = 'rejected') AS rejected, count(*) FILTER (WHERE status = 'unreachable') AS unreachable,
                       max(updated_at) FILTER (WHERE status = 'unreachable') AS last_unreachable
                FROM fulfillment.supplier_orders
                WHERE supplier_id = s.id AND status IN ('rejected', 'unreachable') AND updated_at >= @since) t
            ORDER BY s.priority, s.id
            """, new { since = now.AddDays(-1) }, cancellationToken: ct));
        var staleAfter = TimeSpan.FromSeconds(3 * Math.Max(1, options.Value.CatalogSyncSeconds));
        return rows.Select(r =>
        {
            var (state, detail) = r switch
            {
                { Active: false } => ("inactive", "Not used for routing."),
                { LastUnreachableAt: { } at } when now - at < TimeSpan.FromHours(1) =>
                    ("unreachable", $"{r.UnreachableLastDay} supplier order(s) could not be placed in the last 24 h; the last {Ago(now - at)} ago."),
                { CatalogSyncedAt: null } => ("no_catalogue", "Its catalogue has not been synced yet, so nothing is routed to it."),
                { CatalogSyncedAt: { } synced } when now - synced > staleAfter =>
                    ("stale_catalogue", $"Catalogue last synced {Ago(now - synced)} ago: the sync is failing, stock may be out of date."),
                _ => ("ok", $"{r.PlacedLastDay} placed, {r.RejectedLastDay} refused in the last 24 h."),
            };
            return new SupplierHealthView(r.SupplierId, state, detail, r.CatalogSyncedAt, r.CatalogSkus, r.OpenOrders, r.PlacedLastDay, r.RejectedLastDay,
                r.UnreachableLastDay, r.LastUnreachableAt);
        }).ToList();
    }

    private static string Ago(TimeSpan span) =>
        span.TotalMinutes < 1 ? "under a minute" : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min" : span.TotalDays < 1 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalDays} d";

    private sealed record Row
    {
        public string SupplierId { get; init; } = "";
        public bool Active { get; init; }
        public DateTime? CatalogSyncedAt { get; init; }
        public int CatalogSkus { get; init; }
        public int OpenOrders { get; init; }
        public int PlacedLastDay { get; init; }
        public int RejectedLastDay { get; init; }
        public int UnreachableLastDay { get; init; }
        public DateTime? LastUnreachableAt { get; init; }
    }
}
