using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// A supplier's request rate, shared by every server process: the generic cell rate algorithm over one row per supplier
/// (<c>fulfillment.supplier_rate_limits</c>). Each request moves the row's theoretical arrival time one interval
/// (1/rate) ahead in a single upsert and waits until it falls within the burst allowance, so N processes together send
/// at most rate per second plus the burst, without coordinating otherwise. The database's clock is the one clock all
/// processes share. Cost: one round trip per supplier call, only for suppliers that have a limit.
/// </summary>
public sealed class SupplierRateLimiter(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Reserves the next slot and returns how long to wait for it, or null (nothing reserved) when that would be longer
    /// than <paramref name="maxWait"/>.
    /// </summary>
    public async Task<TimeSpan?> ReserveAsync(string supplierId, double perSecond, int burst, TimeSpan maxWait, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var waitSeconds = await connection.ExecuteScalarAsync<double>(new CommandDefinition("""
            INSERT INTO fulfillment.supplier_rate_limits AS r (supplier_id, theoretical_arrival) VALUES (@supplierId, now() + @interval)
            ON CONFLICT (supplier_id) DO UPDATE SET theoretical_arrival = greatest(r.theoretical_arrival, now()) + @interval
            RETURNING greatest(0, extract(epoch FROM theoretical_arrival - now()) - @allowance)::float8
            """, new { supplierId, interval, allowance = burst / perSecond }, cancellationToken: ct));
        var wait = TimeSpan.FromSeconds(waitSeconds);
        if (wait <= maxWait)
        {
            return wait;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE fulfillment.supplier_rate_limits SET theoretical_arrival = theoretical_arrival - @interval WHERE supplier_id = @supplierId",
            new { supplierId, interval }, cancellationToken: ct));
        return null;
    }
}
