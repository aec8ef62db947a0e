using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Merchants;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Merchants and their intake secrets: create, list (never the secret values) and rotate with an overlap.</summary>
public static class MerchantsApi
{
    public static IEndpointRouteBuilder MapMerchantsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/merchants").WithTags("Merchants").RequireAuthorization(Policies.Viewer);
        group.MapGet("/", async (MerchantAdmin admin, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok((await admin.ListAsync(ct)).Where(m => http.User.MaySee(m.Id)).ToList()))
            .WithName("ListMerchants").WithSummary("Merchants with their intake secrets' dates (the values are never returned).");
        group.MapPost("/", Create).WithName("CreateMerchant").RequireAuthorization(Policies.Admin, Policies.AllMerchants)
            .WithSummary("Creates a merchant and its first intake secret (whsec_…), shown only in this answer.");
        group.MapPost("/{id}/secrets", Rotate).WithName("RotateMerchantSecret").RequireAuthorization(Policies.Admin).ScopedToMerchant("id")
            .WithSummary("Adds a new intake secret (generated, or the one given, e.g. from Shopify) and lets the old ones expire after overlapHours (default 24).");
        return app;
    }

    private static async Task<Results<Created<CreatedSecret>, ValidationProblem, Conflict<ProblemDetailsBody>>> Create(CreateMerchantRequest request, MerchantAdmin admin, CancellationToken ct)
    {
        var result = await admin.CreateAsync(request.Id ?? "", request.Name ?? "", ct);
        return result.Status switch
        {
            200 => TypedResults.Created($"/api/merchants/{result.Value!.MerchantId}", result.Value),
            400 => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [result.Field!] = [result.Error!] }),
            _ => TypedResults.Conflict(ProblemDetailsBody.Conflict(result.Error!)),
        };
    }

    private static async Task<Results<Created<CreatedSecret>, ValidationProblem, NotFound<ProblemDetailsBody>>> Rotate(string id, RotateSecretRequest request, MerchantAdmin admin, CancellationToken ct)
    {
        var result = await admin.RotateAsync(id, request.Secret, TimeSpan.FromHours(request.OverlapHours ?? 24), ct);
        return result.Status switch
        {
            200 => TypedResults.Created($"/api/merchants/{id}", result.Value),
            400 => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [result.Field!] = [result.Error!] }),
            _ => TypedResults.NotFound(ProblemDetailsBody.NotFound(result.Error!)),
        };
    }
}

/// <summary>A new merchant: its id (used in webhook URLs) and name.</summary>
public sealed record CreateMerchantRequest(string? Id, string? Name);

/// <summary>A rotation: the new secret (omit to generate a whsec_ one) and how long the old ones stay valid.</summary>
public sealed record RotateSecretRequest(string? Secret, double? OverlapHours);
