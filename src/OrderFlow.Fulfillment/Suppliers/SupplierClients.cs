using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using Refit;

namespace OrderFlow.Fulfillment.Suppliers;

/// <summary>
/// Refit clients per supplier, configured from the supplier's row (base URL, API key), sharing one resilient
/// <see cref="HttpClient"/> pipeline whose circuit breaker is kept per supplier.
/// </summary>
public sealed class SupplierClients(IHttpClientFactory httpClients, NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string HttpClientName = "suppliers";
    /// <summary>Request header naming the supplier, so the resilience pipeline keeps a circuit per supplier.</summary>
    public const string SupplierHeader = "X-OrderFlow-Supplier";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
    private readonly ConcurrentDictionary<string, (Supplier? Supplier, DateTimeOffset Until)> _suppliers = new(StringComparer.Ordinal);

    public async Task<Supplier?> FindAsync(string supplierId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_suppliers.TryGetValue(supplierId, out var hit) && hit.Until > now)
        {
            return hit.Supplier;
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var supplier = await connection.QuerySingleOrDefaultAsync<Supplier>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, protocol AS Protocol, base_url AS BaseUrl, api_key AS ApiKey, priority AS Priority, active AS Active
            FROM fulfillment.suppliers WHERE id = @supplierId
            """, new { supplierId }, cancellationToken: ct));
        _suppliers[supplierId] = (supplier, now + CacheFor);
        return supplier;
    }

    public IOrderFlowSupplierApi For(Supplier supplier)
    {
        if (supplier.Protocol != "orderflow")
        {
            throw new NotSupportedException($"Supplier '{supplier.Id}' speaks protocol '{supplier.Protocol}', which this server does not know.");
        }

        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(supplier.BaseUrl.TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Add("X-Api-Key", supplier.ApiKey);
        http.DefaultRequestHeaders.Add(SupplierHeader, supplier.Id);
        return RestService.For<IOrderFlowSupplierApi>(http, Settings);
    }

    public async Task<IOrderFlowSupplierApi> ForAsync(string supplierId, CancellationToken ct) =>
        For(await FindAsync(supplierId, ct) ?? throw new InvalidOperationException($"Unknown supplier '{supplierId}'."));
}
