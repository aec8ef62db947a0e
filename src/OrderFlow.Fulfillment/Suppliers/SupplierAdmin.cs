using Dapper;
using Npgsql;
using OrderFlow.Fulfillment.Security;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// Lists, creates and changes suppliers: their connector settings, configured without code. Credentials and the callback
/// secret are write-only (views only tell whether they are set) and stored encrypted.
/// </summary>
public sealed class SupplierAdmin(NpgsqlDataSource dataSource, SupplierClients clients, ISecretProtector protector, OutboundTargetGuard guard, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, name AS Name, protocol AS Protocol, base_url AS BaseUrl, priority AS Priority, active AS Active, order_fee AS OrderFee,
        auth_type AS AuthType, auth_header AS AuthHeader, api_key <> '' AS HasCredentials, callback_secret IS NOT NULL AS HasCallbackSecret,
        timeout_seconds AS TimeoutSeconds, rate_limit_per_second AS RateLimitPerSecond, rate_limit_burst AS RateLimitBurst,
        live_stock_check AS LiveStockCheck, created_at AS CreatedAt
        """;

    public async Task<IReadOnlyList<SupplierView>> ListAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SupplierRow>(new CommandDefinition($"SELECT {Columns} FROM fulfillment.suppliers ORDER BY priority, id", cancellationToken: ct));
        return rows.Select(View).ToList();
    }

    public async Task<SupplierView?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SupplierRow>(new CommandDefinition(
            $"SELECT {Columns} FROM fulfillment.suppliers WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : View(row);
    }

    /// <summary>The protocols this server speaks and what they can do beyond the common connector.</summary>
    public IReadOnlyList<SupplierProtocolView> Protocols() =>
        clients.Protocols.Order(StringComparer.Ordinal).Select(p => new SupplierProtocolView(p, clients.Protocol(p)!.CanCheckStock)).ToList();

    public async Task<SupplierSaveResult> CreateAsync(SupplierRequest request, CancellationToken ct)
    {
        var errors = Validate(request, null, await CheckBaseUrlAsync(request.BaseUrl, ct));
        if (errors.Count > 0)
        {
            return SupplierSaveResult.Invalid(errors);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var created = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO fulfillment.suppliers (id, name, protocol, base_url, api_key, priority, active, order_fee, auth_type, auth_header,
                callback_secret, timeout_seconds, rate_limit_per_second, rate_limit_burst, live_stock_check, created_at)
            VALUES (@Id, @Name, @Protocol, @BaseUrl, @Credentials, @Priority, @Active, @OrderFee, @AuthType, @AuthHeader,
                @CallbackSecret, @TimeoutSeconds, @RateLimitPerSecond, @RateLimitBurst, @LiveStockCheck, @now)
            ON CONFLICT (id) DO NOTHING
            """, Parameters(request, null, clock.GetUtcNow()), cancellationToken: ct));
        return created == 0
            ? SupplierSaveResult.Conflict($"Supplier '{request.Id}' already exists.")
            : SupplierSaveResult.Ok((await GetAsync(request.Id!, ct))!);
    }

    /// <summary>Replaces the supplier's settings; omitted credentials and callback secret stay as they are (an empty callback secret removes it).</summary>
    public async Task<SupplierSaveResult> UpdateAsync(string id, SupplierRequest request, CancellationToken ct)
    {
        // Before the row lock: DNS may take a while.
        var urlProblem = await CheckBaseUrlAsync(request.BaseUrl, ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var existing = await connection.QuerySingleOrDefaultAsync<SupplierRow>(new CommandDefinition(
            $"SELECT {Columns} FROM fulfillment.suppliers WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
        if (existing is null)
        {
            return SupplierSaveResult.NotFound($"No supplier '{id}'.");
        }

        var errors = Validate(request with { Id = request.Id ?? id }, existing.AuthType, urlProblem);
        if (request.Id is not null && request.Id != id)
        {
            errors["id"] = ["The id cannot change; leave it out or give the one in the URL."];
        }

        if (errors.Count > 0)
        {
            return SupplierSaveResult.Invalid(errors);
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE fulfillment.suppliers SET name = @Name, protocol = @Protocol, base_url = @BaseUrl, api_key = coalesce(@Credentials, api_key),
                priority = @Priority, active = @Active, order_fee = @OrderFee, auth_type = @AuthType, auth_header = @AuthHeader,
                callback_secret = CASE WHEN @CallbackSecret IS NULL THEN callback_secret ELSE nullif(@CallbackSecret, '') END,
                timeout_seconds = @TimeoutSeconds, rate_limit_per_second = @RateLimitPerSecond, rate_limit_burst = @RateLimitBurst,
                live_stock_check = @LiveStockCheck
            WHERE id = @Id
            """, Parameters(request with { Id = id }, existing, clock.GetUtcNow()), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        clients.Invalidate(id);
        return SupplierSaveResult.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>Why the base URL's host may not be called (server-side request forgery: private, loopback, link-local …), or null.</summary>
    private Task<string?> CheckBaseUrlAsync(string? baseUrl, CancellationToken ct) => guard.CheckUrlAsync(OutboundTarget.Supplier, baseUrl, ct);

    /// <summary>The field checks; the address problem counts when the URL is otherwise well-formed (one message per mistake).</summary>
    private Dictionary<string, string[]> Validate(SupplierRequest request, string? currentAuthType, string? urlProblem)
    {
        var errors = SupplierRequestValidator.Validate(request, currentAuthType, clients);
        if (urlProblem is not null && !errors.ContainsKey("baseUrl"))
        {
            errors["baseUrl"] = [urlProblem];
        }

        return errors;
    }

    private object Parameters(SupplierRequest r, SupplierRow? existing, DateTimeOffset now) => new
    {
        r.Id,
        Name = r.Name!.Trim(),
        r.Protocol,
        BaseUrl = r.BaseUrl!.TrimEnd('/'),
        Credentials = string.IsNullOrEmpty(r.Credentials) ? r.Credentials : protector.Protect(r.Credentials, SecretPurposes.SupplierApiKey),
        Priority = r.Priority ?? existing?.Priority ?? 100,
        Active = r.Active ?? existing?.Active ?? true,
        OrderFee = r.OrderFee ?? existing?.OrderFee ?? 0m,
        AuthType = r.AuthType ?? existing?.AuthType ?? SupplierAuthTypes.ApiKey,
        AuthHeader = string.IsNullOrWhiteSpace(r.AuthHeader) ? null : r.AuthHeader,
        CallbackSecret = string.IsNullOrEmpty(r.CallbackSecret) ? r.CallbackSecret : protector.Protect(r.CallbackSecret, SecretPurposes.SupplierCallbackSecret),
        r.TimeoutSeconds,
        r.RateLimitPerSecond,
        RateLimitBurst = r.RateLimitPerSecond is null ? null : r.RateLimitBurst,
        LiveStockCheck = r.LiveStockCheck ?? false,
        now,
    };

    private SupplierView View(SupplierRow r) => new(r.Id, r.Name, r.Protocol, r.BaseUrl, r.Priority, r.Active, r.OrderFee, r.AuthType, r.AuthHeader,
        r.HasCredentials, r.HasCallbackSecret, r.TimeoutSeconds, r.RateLimitPerSecond, r.RateLimitBurst, r.LiveStockCheck,
        clients.Protocol(r.Protocol)?.CanCheckStock ?? false, r.CreatedAt);

    private sealed record SupplierRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Protocol { get; init; } = "";
        public string BaseUrl { get; init; } = "";
        public int Priority { get; init; }
        public bool Active { get; init; }
        public decimal OrderFee { get; init; }
        public string AuthType { get; init; } = "";
        public string? AuthHeader { get; init; }
        public bool HasCredentials { get; init; }
        public bool HasCallbackSecret { get; init; }
        public int? TimeoutSeconds { get; init; }
        public double? RateLimitPerSecond { get; init; }
        public int? RateLimitBurst { get; init; }
        public bool LiveStockCheck { get; init; }
        public DateTime CreatedAt { get; init; }
    }
}
