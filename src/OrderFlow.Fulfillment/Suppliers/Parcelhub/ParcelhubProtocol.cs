using System.Text.Json;
using Microsoft.Extensions.Logging;
using Refit;

namespace OrderFlow.Fulfillment.Suppliers.Parcelhub;

/// <summary>
/// The "parcelhub-v2" protocol: Parcelhub's REST API (bearer token, snake_case, purchase orders idempotent under
/// <c>X-Request-Id</c>, batched status by an <c>ids</c> query, paged catalogue in minor units), spoken by the simulator's parcelhub.
/// </summary>
public sealed class ParcelhubProtocol(ILogger<ParcelhubProtocol> logger) : ISupplierProtocol
{
    public const string ProtocolName = "parcelhub-v2";

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(Json));

    public string Name => ProtocolName;

    /// <summary>Parcelhub's API has no stock query besides the paged product list the catalogue sync reads.</summary>
    public bool CanCheckStock => false;

    public ISupplierConnector Create(Supplier supplier, HttpClient http) =>
        new ParcelhubConnector(RestService.For<IParcelhubApi>(http, Settings), supplier.Id, logger);
}
