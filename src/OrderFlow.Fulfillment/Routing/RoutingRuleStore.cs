using System.Text.Json;
using Dapper;
using Npgsql;

namespace OrderFlow.Fulfillment.Routing;

/// <summary>A merchant's ordered routing rules, replaced as a whole (the order of rules is their meaning).</summary>
public sealed class RoutingRuleStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<RoutingRule>> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string merchantId, CancellationToken ct) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT rule::text FROM fulfillment.routing_rules WHERE merchant_id = @merchantId ORDER BY position", new { merchantId }, tx, cancellationToken: ct)))
        .Select(r => JsonSerializer.Deserialize<RoutingRule>(r, Json)!).ToList();

    public async Task<IReadOnlyList<RoutingRule>?> GetAsync(string merchantId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM fulfillment.merchants WHERE id = @merchantId)", new { merchantId }, cancellationToken: ct)))
        {
            return null;
        }

        return await GetAsync(connection, null, merchantId, ct);
    }

    /// <summary>Replaces the merchant's rules after validating them; returns the field errors (empty when saved), or null for an unknown merchant.</summary>
    public async Task<Dictionary<string, string[]>?> ReplaceAsync(string merchantId, IReadOnlyList<RoutingRule?>? rules, string actor, CancellationToken ct)
    {
        var errors = RoutingRuleValidator.Validate(rules);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM fulfillment.merchants WHERE id = @merchantId FOR UPDATE)", new { merchantId }, tx, cancellationToken: ct)))
        {
            return null;
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM fulfillment.routing_rules WHERE merchant_id = @merchantId;
            INSERT INTO fulfillment.routing_rules (merchant_id, position, rule, updated_at, updated_by)
            SELECT @merchantId, r.position, r.rule::jsonb, @now, @actor FROM unnest(@positions::int[], @rules::text[]) AS r(position, rule);
            """, new
        {
            merchantId, now = clock.GetUtcNow(), actor,
            positions = Enumerable.Range(0, rules!.Count).ToArray(),
            rules = rules.Select(r => JsonSerializer.Serialize(r! with { Filter = r.Filter ?? new(), Strategy = r.Strategy ?? new() }, Json)).ToArray(),
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return errors;
    }
}
