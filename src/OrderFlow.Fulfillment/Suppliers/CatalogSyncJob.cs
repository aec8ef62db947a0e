using Dapper;
using Hangfire;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>Refreshes each active supplier's catalogue (stock and prices) from its API; routing reads the result.</summary>
public sealed class CatalogSyncJob(NpgsqlDataSource dataSource, SupplierClients clients, TimeProvider clock, ILogger<CatalogSyncJob> logger)
{
    public const string RecurringJobId = "catalog-sync";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(300)]
    public async Task RunAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var suppliers = (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM fulfillment.suppliers WHERE active ORDER BY id", cancellationToken: ct))).ToList();
        foreach (var supplierId in suppliers)
        {
            try
            {
                await SyncAsync(connection, supplierId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Catalogue sync of supplier {SupplierId} failed; its last known stock stays in use", supplierId);
            }
        }
    }

    public async Task SyncAsync(NpgsqlConnection connection, string supplierId, CancellationToken ct)
    {
        var items = await (await clients.ForAsync(supplierId, ct)).GetCatalogAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO fulfillment.catalog (supplier_id, sku, name, available, unit_price, shipping_price, currency, synced_at)
            SELECT @supplierId, i.sku, i.name, i.available, i.unit_price, i.shipping_price, i.currency, @now
            FROM unnest(@skus::text[], @names::text[], @available::int[], @prices::numeric[], @shipping::numeric[], @currencies::text[])
                 AS i(sku, name, available, unit_price, shipping_price, currency)
            ON CONFLICT (supplier_id, sku) DO UPDATE SET name = excluded.name, available = excluded.available, unit_price = excluded.unit_price,
                shipping_price = excluded.shipping_price, currency = excluded.currency, synced_at = excluded.synced_at;
            DELETE FROM fulfillment.catalog WHERE supplier_id = @supplierId AND NOT (sku = ANY (@skus));
            """, new
        {
            supplierId,
            now = clock.GetUtcNow(),
            skus = items.Select(i => i.Sku).ToArray(),
            names = items.Select(i => i.Name ?? i.Sku).ToArray(),
            available = items.Select(i => i.Available).ToArray(),
            prices = items.Select(i => i.UnitPrice).ToArray(),
            shipping = items.Select(i => i.ShippingPrice).ToArray(),
            currencies = items.Select(i => i.Currency).ToArray(),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("Catalogue of supplier {SupplierId} synced: {Count} SKUs", supplierId, items.Count);
    }
}
