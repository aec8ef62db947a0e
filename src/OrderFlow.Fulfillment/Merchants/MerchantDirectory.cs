using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Security;

namespace OrderFlow.Fulfillment.Merchants;

/// <summary>
/// Looks merchants up for intake, with the secrets valid at this moment. Entries are cached for a few seconds, and never
/// past the expiry of a secret they hold: a rotated-out secret is refused on time by every process.
/// </summary>
public sealed class MerchantDirectory(NpgsqlDataSource dataSource, ISecretProtector protector, TimeProvider clock)
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
        var rows = (await connection.QueryAsync<(string Id, string Name, string? Secret, DateTime? ExpiresAt)>(new CommandDefinition("""
            SELECT m.id, m.name, s.secret, s.expires_at
            FROM fulfillment.merchants m LEFT JOIN fulfillment.merchant_secrets s ON s.merchant_id = m.id AND (s.expires_at IS NULL OR s.expires_at > @now)
            WHERE m.id = @id ORDER BY s.created_at DESC
            """, new { id, now }, cancellationToken: ct))).ToList();
        var merchant = rows.Count == 0 ? null : new Merchant(rows[0].Id, rows[0].Name, rows.Where(r => r.Secret is not null).Select(r => protector.Unprotect(r.Secret!, SecretPurposes.MerchantIntakeSecret)).ToList());
        var until = now + CacheFor;
        foreach (var expiry in rows.Where(r => r.ExpiresAt is not null).Select(r => new DateTimeOffset(r.ExpiresAt!.Value, TimeSpan.Zero)))
        {
            until = expiry < until ? expiry : until;
        }

        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[id] = (merchant, until);
        return merchant;
    }

    /// <summary>Forgets a merchant so the next lookup reads the database (after a change made by this process).</summary>
    public void Invalidate(string id) => _cache.TryRemove(id, out _);
}
