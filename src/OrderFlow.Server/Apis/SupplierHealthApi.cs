using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>How each supplier is doing (catalogue sync, placements, refusals, unreachability), for the console's suppliers page.</summary>
public static class SupplierHealthApi
{
    public static IEndpointRouteBuilder MapSupplierHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/supplier-health", async (SupplierHealth health, CancellationToken ct) => TypedResults.Ok(await health.ListAsync(ct)))
            .WithName("ListSupplierHealth").WithTags("Suppliers").RequireAuthorization(Policies.Viewer)
            .WithSummary("Per supplier: its state (ok, inactive, unreachable, no_catalogue, stale_catalogue) with a sentence, the last catalogue sync and the last 24 hours of supplier orders.");
        return app;
    }
}
