using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Fulfillment.Security;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// Connectors per supplier, configured from the supplier's row (protocol, base URL, credentials, timeout, rate limit)
/// without code. They share one resilient <see cref="HttpClient"/> pipeline whose circuit breaker is kept per supplier;
/// its timeouts, rate limiter and request signer read the supplier's settings from <see cref="Current"/>.
/// </summary>
public sealed class SupplierClients(IHttpClientFactory httpClients, NpgsqlDataSource dataSource, IEnumerable<ISupplierProtocol> protocols, ISecretProtector protector,
    FulfillmentMetrics metrics, TimeProvider clock, ILogger<SupplierClients> logger)
{
    public const string HttpClientName = "suppliers";
    /// <summary>Request header naming the supplier, so the resilience pipeline keeps a circuit per supplier.</summary>
    public const string SupplierHeader = "X-OrderFlow-Supplier";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, ISupplierProtocol> _protocols = protocols.ToDictionary(p => p.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Supplier? Supplier, DateTimeOffset Until)> _suppliers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Supplier> _current = new(StringComparer.Ordinal);

    /// <summary>The protocols this server speaks.</summary>
    public IReadOnlyCollection<string> Protocols => _protocols.Keys;

    /// <summary>The protocol named <paramref name="name"/>, or null when this server does not speak it.</summary>
    public ISupplierProtocol? Protocol(string name) => _protocols.GetValueOrDefault(name);

    /// <summary>The settings the last connector for <paramref name="supplierId"/> was made with (what the HTTP pipeline applies).</summary>
    public Supplier? Current(string supplierId) => _current.GetValueOrDefault(supplierId);

    /// <summary>Forgets this process's cached row after a change; other processes see it within the cache time (10 s).</summary>
    public void Invalidate(string supplierId) => _suppliers.TryRemove(supplierId, out _);

    /// <summary>The supplier a request is for, from <see cref="SupplierHeader"/>.</summary>
    public static string? SupplierOf(HttpRequestMessage request) =>
        request.Headers.TryGetValues(SupplierHeader, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Timeout of one attempt: the supplier's own, else the global one.</summary>
    public static TimeSpan AttemptTimeout(Supplier? supplier, FulfillmentOptions options) =>
        TimeSpan.FromSeconds(supplier?.TimeoutSeconds ?? options.SupplierAttemptTimeoutSeconds);

    /// <summary>Timeout of a call with its retries: the global one, but room for three attempts when the supplier sets its own.</summary>
    public static TimeSpan TotalTimeout(Supplier? supplier, FulfillmentOptions options) =>
        TimeSpan.FromSeconds(Math.Max(options.SupplierTotalTimeoutSeconds, supplier?.TimeoutSeconds * 3 ?? options.SupplierAttemptTimeoutSeconds));

    public async Task<Supplier?> FindAsync(string supplierId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_suppliers.TryGetValue(supplierId, out var hit) && hit.Until > now)
        {
            return hit.Supplier;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var supplier = await connection.QuerySingleOrDefaultAsync<Supplier>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, protocol AS Protocol, base_url AS BaseUrl, api_key AS ApiKey, priority AS Priority, active AS Active,
                   auth_type AS AuthType, auth_header AS AuthHeader, timeout_seconds AS TimeoutSeconds,
                   rate_limit_per_second AS RateLimitPerSecond, rate_limit_burst AS RateLimitBurst, live_stock_check AS LiveStockCheck
            FROM fulfillment.suppliers WHERE id = @supplierId
            """, new { supplierId }, cancellationToken: ct));
        if (supplier is not null)
        {
            supplier = supplier with { ApiKey = protector.Unprotect(supplier.ApiKey, SecretPurposes.SupplierApiKey) };
        }

        _suppliers[supplierId] = (supplier, now + CacheFor);
        return supplier;
    }

    public ISupplierConnector For(Supplier supplier)
    {
        if (!_protocols.TryGetValue(supplier.Protocol, out var protocol))
        {
            throw new NotSupportedException($"Supplier '{supplier.Id}' speaks protocol '{supplier.Protocol}', which this server does not know (known: {string.Join(", ", _protocols.Keys)}).");
        }

        _current[supplier.Id] = supplier;
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(supplier.BaseUrl.TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Add(SupplierHeader, supplier.Id);
        switch (supplier.AuthType)
        {
            case SupplierAuthTypes.Hmac:
                // Signed per request by SupplierSigningHandler: the signature covers the body and a fresh timestamp.
                break;
            case SupplierAuthTypes.Bearer:
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", supplier.ApiKey);
                break;
            case SupplierAuthTypes.Basic:
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(supplier.ApiKey)));
                break;
            default:
                http.DefaultRequestHeaders.Add(string.IsNullOrWhiteSpace(supplier.AuthHeader) ? "X-Api-Key" : supplier.AuthHeader, supplier.ApiKey);
                break;
        }

        // Whatever the protocol, its answers are checked before anyone uses them.
        return CheckedSupplierConnector.Wrap(protocol.Create(supplier, http), supplier.Id, logger, metrics);
    }

    public async Task<ISupplierConnector> ForAsync(string supplierId, CancellationToken ct) =>
        For(await FindAsync(supplierId, ct) ?? throw new InvalidOperationException($"Unknown supplier '{supplierId}'."));
}
