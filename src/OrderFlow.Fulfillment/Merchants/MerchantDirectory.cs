using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Merchants;

/// <summary>
/// Looks merchants up for intake. Entries are cached for a few seconds: a rotated secret is seen by every process soon
/// after, without a database round trip on every webhook.
/// </summary>
public sealed class MerchantDirectory(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (Merchant? Merchant, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<Merchant?> FindAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(id, out var hit) && hit.Until > now)
        {
            return hit.Merchant;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var merchant = await connection.QuerySingleOrDefaultAsync<Merchant>(new CommandDefinition(
            "SELECT id AS Id, name AS Name, intake_secret AS IntakeSecret FROM fulfillment.merchants WHERE id = @id", new { id }, cancellationToken: ct));
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[id] = (merchant, now + CacheFor);
        return merchant;
    }
}
