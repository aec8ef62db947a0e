using Dapper;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderFlow.Fulfillment.Orders;

/// <summary>
/// Folds the per-backend rows of <c>fulfillment.order_counts</c> (see migration <c>0100_order_counts.sql</c>) into one
/// row per merchant, so the console's counts read a few rows however many connections have written. Rows that
/// a running transaction holds are skipped (they fold next time), so the fold never waits on an order's transaction and
/// no transaction waits on it for longer than its own short statement. One fold at a time across processes.
/// </summary>
public sealed class OrderCountsFoldJob(NpgsqlDataSource dataSource, ILogger<OrderCountsFoldJob> logger)
{
    public const string RecurringJobId = "order-counts-fold";

    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Two folds at once could each hold a slot-0 row the other wants; the second simply leaves it to the first.
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(hashtext('fulfillment.order-counts-fold'))", transaction: tx, cancellationToken: ct)))
        {
            return 0;
        }

        var folded = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            WITH moved AS (
                DELETE FROM fulfillment.order_counts c
                WHERE (c.merchant_id, c.slot) IN (
                    SELECT merchant_id, slot FROM fulfillment.order_counts WHERE slot <> 0 FOR UPDATE SKIP LOCKED)
                RETURNING c.merchant_id, c.count),
            kept AS (
                INSERT INTO fulfillment.order_counts AS c (merchant_id, slot, count)
                SELECT merchant_id, 0, sum(count) FROM moved GROUP BY merchant_id
                ON CONFLICT (merchant_id, slot) DO UPDATE SET count = c.count + excluded.count)
            SELECT count(*)::int FROM moved
            """, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        if (folded > 0)
        {
            logger.LogDebug("Folded {Rows} order count rows", folded);
        }

        return folded;
    }
}
