using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderFlow.Fulfillment.Security;

/// <summary>
/// Encrypts, at start, every stored secret that is still in plain text (rows from before encryption, rows inserted by
/// hand) or under a retired key. Idempotent and safe with several processes: a row is only rewritten if it still holds
/// the value that was read.
/// </summary>
public sealed class SecretsAtRest(NpgsqlDataSource dataSource, ISecretProtector protector, ILogger<SecretsAtRest> logger)
{
    /// <summary>The encrypted columns: table, key column, secret column, purpose.</summary>
    public static readonly IReadOnlyList<(string Table, string Key, string Column, string Purpose)> Columns =
    [
        ("fulfillment.merchant_secrets", "id", "secret", SecretPurposes.MerchantIntakeSecret),
        ("fulfillment.webhook_subscriptions", "id", "secret", SecretPurposes.SubscriptionSecret),
        ("fulfillment.suppliers", "id", "api_key", SecretPurposes.SupplierApiKey),
        ("fulfillment.suppliers", "id", "callback_secret", SecretPurposes.SupplierCallbackSecret),
    ];

    /// <summary>Encrypts what is not encrypted with the current key; returns how many values were rewritten.</summary>
    public async Task<int> EncryptAllAsync(CancellationToken ct)
    {
        var rewritten = 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var (table, key, column, purpose) in Columns)
        {
            var rows = new List<(object Key, string Value)>();
            await using (var select = new NpgsqlCommand($"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL", connection))
            await using (var reader = await select.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var value = reader.GetString(1);
                    if (!protector.IsCurrent(value))
                    {
                        rows.Add((reader.GetValue(0), value));
                    }
                }
            }

            foreach (var (id, value) in rows)
            {
                await using var update = new NpgsqlCommand($"UPDATE {table} SET {column} = $1 WHERE {key} = $2 AND {column} = $3", connection)
                {
                    Parameters = { new() { Value = protector.Protect(protector.Unprotect(value, purpose), purpose) }, new() { Value = id }, new() { Value = value } },
                };
                rewritten += await update.ExecuteNonQueryAsync(ct);
            }
        }

        if (rewritten > 0)
        {
            logger.LogInformation("Encrypted {Count} stored secrets with the current secrets key", rewritten);
        }

        return rewritten;
    }
}
