using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Security;
using OrderFlow.Fulfillment.Webhooks;

namespace OrderFlow.Fulfillment.Merchants;

/// <summary>
/// Creates merchants and rotates their intake secrets. A rotation adds the new secret and lets the old ones run until the
/// end of an overlap, so the merchant can switch its sender without losing a webhook; after that only the new one works.
/// Secrets are shown once, when created, and never returned again.
/// </summary>
public sealed partial class MerchantAdmin(NpgsqlDataSource dataSource, MerchantDirectory directory, ISecretProtector protector, TimeProvider clock)
{
    public async Task<IReadOnlyList<MerchantView>> ListAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<(string Id, string Name, DateTime CreatedAt, Guid? SecretId, DateTime? SecretCreatedAt, DateTime? ExpiresAt)>(new CommandDefinition("""
            SELECT m.id, m.name, m.created_at, s.id, s.created_at, s.expires_at
            FROM fulfillment.merchants m LEFT JOIN fulfillment.merchant_secrets s ON s.merchant_id = m.id
            ORDER BY m.id, s.created_at DESC
            """, cancellationToken: ct))).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        return rows.GroupBy(r => r.Id).Select(g => new MerchantView(g.Key, g.First().Name, g.First().CreatedAt,
            g.Where(r => r.SecretId is not null).Select(r => new SecretView(r.SecretId!.Value, r.SecretCreatedAt!.Value, r.ExpiresAt, r.ExpiresAt is null || r.ExpiresAt > now)).ToList())).ToList();
    }

    /// <summary>Creates a merchant with a new whsec_ intake secret (returned once).</summary>
    public async Task<AdminResult<CreatedSecret>> CreateAsync(string id, string name, CancellationToken ct)
    {
        if (!IdPattern().IsMatch(id ?? ""))
        {
            return AdminResult<CreatedSecret>.Invalid("id", "Use 2 to 50 lower-case letters, digits and dashes, starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return AdminResult<CreatedSecret>.Invalid("name", "Give a name of 1 to 200 characters.");
        }

        var secret = StandardWebhooks.NewSecret();
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var created = await connection.ExecuteAsync(new CommandDefinition("""
            WITH m AS (INSERT INTO fulfillment.merchants (id, name, created_at) VALUES (@id, @name, @now) ON CONFLICT DO NOTHING RETURNING id)
            INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at) SELECT @secretId, id, @secret, @now FROM m
            """, new { id, name, now, secret = protector.Protect(secret, SecretPurposes.MerchantIntakeSecret), secretId = Guid.CreateVersion7(now) }, cancellationToken: ct));
        return created == 0
            ? AdminResult<CreatedSecret>.Conflict($"Merchant '{id}' already exists.")
            : AdminResult<CreatedSecret>.Ok(new CreatedSecret(id!, secret, null));
    }

    /// <summary>
    /// Adds <paramref name="secret"/> (or a new whsec_ one) and lets the current secrets expire after <paramref name="overlap"/>.
    /// Shopify and WooCommerce secrets come from the platform, so they are given; OrderFlow-format secrets are generated.
    /// </summary>
    public async Task<AdminResult<CreatedSecret>> RotateAsync(string merchantId, string? secret, TimeSpan overlap, CancellationToken ct)
    {
        if (secret is not null && (secret.Length is < 16 or > 200))
        {
            return AdminResult<CreatedSecret>.Invalid("secret", "A given secret must be 16 to 200 characters long.");
        }

        if (overlap < TimeSpan.Zero || overlap > TimeSpan.FromDays(30))
        {
            return AdminResult<CreatedSecret>.Invalid("overlapHours", "The overlap must be between 0 and 720 hours.");
        }

        var value = secret ?? StandardWebhooks.NewSecret();
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM fulfillment.merchants WHERE id = @merchantId FOR UPDATE)", new { merchantId }, tx, cancellationToken: ct));
        if (!exists)
        {
            return AdminResult<CreatedSecret>.NotFound($"No merchant '{merchantId}'.");
        }

        var oldUntil = now + overlap;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.merchant_secrets SET expires_at = @oldUntil
            WHERE merchant_id = @merchantId AND (expires_at IS NULL OR expires_at > @oldUntil);
            INSERT INTO fulfillment.merchant_secrets (id, merchant_id, secret, created_at) VALUES (@secretId, @merchantId, @value, @now);
            """, new { merchantId, oldUntil, value = protector.Protect(value, SecretPurposes.MerchantIntakeSecret), now, secretId = Guid.CreateVersion7(now) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        directory.Invalidate(merchantId);
        return AdminResult<CreatedSecret>.Ok(new CreatedSecret(merchantId, value, oldUntil));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex IdPattern();
}

/// <summary>A merchant and its secrets (never their values).</summary>
public sealed record MerchantView(string Id, string Name, DateTime CreatedAt, IReadOnlyList<SecretView> Secrets);

/// <summary>One intake secret: when it was added, when it stops working, whether it works now.</summary>
public sealed record SecretView(Guid Id, DateTime CreatedAt, DateTime? ExpiresAt, bool Active);

/// <summary>A secret shown once, at creation; <see cref="PreviousSecretsExpireAt"/> tells when the old ones stop working.</summary>
public sealed record CreatedSecret(string MerchantId, string Secret, DateTimeOffset? PreviousSecretsExpireAt);

/// <summary>The result of an admin operation: a value, or why not (field errors, not found, conflict).</summary>
public sealed record AdminResult<T>(T? Value, string? Field, string? Error, int Status)
{
    public static AdminResult<T> Ok(T value) => new(value, null, null, 200);
    public static AdminResult<T> Invalid(string field, string error) => new(default, field, error, 400);
    public static AdminResult<T> NotFound(string error) => new(default, null, error, 404);
    public static AdminResult<T> Conflict(string error) => new(default, null, error, 409);
}
