using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>
/// The pull alternative to storefront webhooks: status events in a global order, read after a cursor. Only events whose
/// writing transaction is older than every transaction still running are returned, so an event committed late with a
/// lower position is never skipped by a reader that has already moved past it.
/// </summary>
public sealed class EventFeed(NpgsqlDataSource dataSource)
{
    public async Task<EventFeedPage> ReadAsync(long after, string? merchantId, int limit, CancellationToken ct, IReadOnlyCollection<string>? merchants = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT e.position AS Position, e.event_id AS EventId, e.order_id AS OrderId, o.merchant_id AS MerchantId, e.sequence AS Sequence,
                   e.type AS Type, e.payload::text AS Payload, e.created_at AS CreatedAt
            FROM fulfillment.order_events e JOIN fulfillment.orders o ON o.id = e.order_id
            WHERE e.position > @after AND (@merchantId::text IS NULL OR o.merchant_id = @merchantId)
              AND (@merchants::text[] IS NULL OR o.merchant_id = ANY(@merchants))
              -- xmin before the snapshot's oldest running transaction (modulo 2^32, as transaction ids wrap);
              -- rows older than a minute pass regardless, as a frozen row's raw xmin can look like the future.
              AND (e.created_at < now() - interval '1 minute'
                   OR ((pg_snapshot_xmin(pg_current_snapshot())::text::bigint - e.xmin::text::bigint) % 4294967296 + 4294967296) % 4294967296
                      BETWEEN 1 AND 2147483647)
            ORDER BY e.position LIMIT @limit
            """, new { after, merchantId, limit, merchants = merchants?.ToArray() }, cancellationToken: ct))).ToList();
        return new EventFeedPage(
            rows.Select(r => new FeedEvent(r.Position, r.EventId, r.OrderId, r.MerchantId, r.Sequence, r.Type, JsonNode.Parse(r.Payload), r.CreatedAt)).ToList(),
            rows.Count > 0 ? rows[^1].Position : after);
    }

    private sealed record Row
    {
        public long Position { get; init; }
        public string EventId { get; init; } = "";
        public Guid OrderId { get; init; }
        public string MerchantId { get; init; } = "";
        public int Sequence { get; init; }
        public string Type { get; init; } = "";
        public string Payload { get; init; } = "";
        public DateTime CreatedAt { get; init; }
    }
}
