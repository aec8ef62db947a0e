using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrderFlow.Fulfillment.Demo;

/// <summary>Creates the demo merchant, its storefront subscription and the simulator's three suppliers, when missing.</summary>
public sealed class DemoSeeder(NpgsqlDataSource dataSource, IOptions<DemoOptions> options, ILogger<DemoSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var demo = options.Value;
        var simulator = demo.SimulatorBaseUrl.TrimEnd('/');
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('fulfillment.demo-seed'))", transaction: tx, cancellationToken: ct));
        var created = await connection.ExecuteAsync(new CommandDefinition("""
            WITH m AS (INSERT INTO fulfillment.merchants (id, name, sms_enabled) VALUES (@MerchantId, 'Demo shop', true) ON CONFLICT DO NOTHING RETURNING id)
            INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at) SELECT @secretId, id, @IntakeSecret, now() FROM m
            """, new { demo.MerchantId, demo.IntakeSecret, secretId = Guid.CreateVersion7() }, tx, cancellationToken: ct));
        // The simulator's address can change between runs (another port): keep the seeded rows pointing at it.
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM fulfillment.webhook_subscriptions WHERE merchant_id = @MerchantId AND url LIKE '%/storefront/' || @MerchantId || '/webhooks'
                AND url <> @storefrontUrl AND NOT EXISTS (SELECT 1 FROM fulfillment.webhook_deliveries d WHERE d.subscription_id = webhook_subscriptions.id);
            UPDATE fulfillment.webhook_subscriptions SET url = @storefrontUrl
            WHERE merchant_id = @MerchantId AND url LIKE '%/storefront/' || @MerchantId || '/webhooks';
            INSERT INTO fulfillment.webhook_subscriptions (id, merchant_id, url, secret)
            SELECT @subscriptionId, @MerchantId, @storefrontUrl, @StorefrontSecret
            WHERE NOT EXISTS (SELECT 1 FROM fulfillment.webhook_subscriptions WHERE merchant_id = @MerchantId);
            INSERT INTO fulfillment.suppliers (id, name, protocol, base_url, api_key, priority)
            VALUES ('acme', 'Acme Wholesale', 'orderflow', @simulator || '/suppliers/acme', 'sim-key-acme', 10),
                   ('globex', 'Globex Dropship', 'orderflow', @simulator || '/suppliers/globex', 'sim-key-globex', 20)
            ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url;
            -- A third supplier on another protocol, ranked last: demo orders reach it only for what it alone stocks or after a decline.
            INSERT INTO fulfillment.suppliers (id, name, protocol, base_url, api_key, priority, auth_type)
            VALUES ('parcelhub', 'Parcelhub Fulfilment', 'parcelhub-v2', @simulator || '/v2/parcelhub', 'sim-token-parcelhub', 30, 'bearer')
            ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url;
            """, new { demo.MerchantId, demo.StorefrontSecret, storefrontUrl = $"{simulator}/storefront/{demo.MerchantId}/webhooks", subscriptionId = Guid.CreateVersion7(), simulator },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        if (created > 0)
        {
            logger.LogInformation("Demo data seeded: merchant {MerchantId} and suppliers acme, globex, parcelhub at {SimulatorUrl}", demo.MerchantId, simulator);
        }
    }
}
