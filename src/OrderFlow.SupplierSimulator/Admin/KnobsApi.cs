using System.Text.Json;
using System.Text.Json.Nodes;
using OrderFlow.SupplierSimulator.Storefront;
using OrderFlow.SupplierSimulator.Suppliers;

namespace OrderFlow.SupplierSimulator.Admin;

/// <summary>Test and demo controls: the knobs, one item's stock, the placement ledger and a reset.</summary>
internal static class KnobsApi
{
    public static void MapKnobsApi(this WebApplication app)
    {
        app.MapGet("/admin/knobs", (KnobStore knobs) => Results.Json(knobs.Current, JsonSerializerOptions.Web));
        app.MapPut("/admin/knobs", UpdateAsync);
        app.MapPut("/admin/stock/{supplierId}/{sku}", async (string supplierId, string sku, HttpContext http, SupplierOrderBook book) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<StockUpdate>(http);
            return error ?? (body!.Available is not >= 0 ? ApiResults.Invalid("available", "must be 0 or more")
                : book.SetStock(supplierId, sku, body.Available.Value) ? Results.NoContent()
                : ApiResults.Problem(StatusCodes.Status404NotFound, "Unknown item", $"Supplier '{supplierId}' does not list '{sku}'."));
        });
        app.MapGet("/admin/ledger", (SupplierOrderBook book) => Results.Ok(new { placements = book.Ledger() }));
        app.MapPost("/admin/reset", (SupplierOrderBook book, StorefrontInbox inbox, ILogger<KnobStore> log) =>
        {
            book.Reset();
            inbox.Clear();
            log.LogInformation("Reset: orders, ledger and storefront inboxes cleared, stock restored");
            return Results.NoContent();
        });
    }

    /// <summary>Partial merge: only the fields present change; unknown fields and out-of-range values are a 400.</summary>
    private static async Task<IResult> UpdateAsync(HttpContext http, KnobStore knobs, SupplierOrderBook book, ILogger<KnobStore> log)
    {
        var (patch, error) = await ApiResults.ReadJsonAsync<JsonObject>(http);
        if (error is not null)
        {
            return error;
        }

        var merged = JsonSerializer.SerializeToNode(knobs.Current, JsonSerializerOptions.Web)!.AsObject();
        foreach (var (name, value) in patch!)
        {
            var known = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return ApiResults.Invalid(name, "is not a knob");
            }

            merged[known] = value?.DeepClone();
        }

        Knobs updated;
        try
        {
            updated = merged.Deserialize<Knobs>(JsonSerializerOptions.Web) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            return ApiResults.Invalid(e.Path?.TrimStart('$', '.') is { Length: > 0 } field ? field : "body", "has the wrong type");
        }

        var errors = updated.Errors().ToDictionary(e => e.Field, e => new[] { e.Message });
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (updated.Stock is null)
        {
            return ApiResults.Invalid("stock", "must be a number");
        }

        knobs.Replace(updated);
        if (patch.Any(p => string.Equals(p.Key, "stock", StringComparison.OrdinalIgnoreCase)))
        {
            book.Restock(updated.Stock.Value);
        }

        log.LogInformation("Knobs now {Knobs}", merged.ToJsonString());
        return Results.Json(knobs.Current, JsonSerializerOptions.Web);
    }
}

/// <summary>The new stock level of one item.</summary>
internal sealed record StockUpdate(int? Available);
