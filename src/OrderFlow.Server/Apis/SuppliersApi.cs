using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Suppliers;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Suppliers and their connector settings (protocol, base URL, credentials, timeout, rate limit, live stock check).</summary>
public static class SuppliersApi
{
    public static IEndpointRouteBuilder MapSuppliersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/suppliers").WithTags("Suppliers").RequireAuthorization(Policies.Viewer);
        group.MapGet("/", async (SupplierAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct)))
            .WithName("ListSuppliers").WithSummary("Suppliers by priority, with their connector settings (never their credentials or callback secret).");
        group.MapGet("/{id}", Get).WithName("GetSupplier").WithSummary("One supplier's connector settings.");
        group.MapPost("/", Create).WithName("CreateSupplier").RequireAuthorization(Policies.Admin, Policies.AllMerchants).Accepts<SupplierRequest>("application/json")
            .WithSummary("Adds a supplier; its catalogue is synced on the next run. Credentials are required here and never returned.");
        group.MapPut("/{id}", Update).WithName("UpdateSupplier").RequireAuthorization(Policies.Admin, Policies.AllMerchants).Accepts<SupplierRequest>("application/json")
            .WithSummary("Changes a supplier's settings. Left out: credentials and callbackSecret are kept (an empty callbackSecret removes it), as are priority, active, orderFee and authType; timeoutSeconds and the rate limit go back to their defaults.");
        app.MapGet("/api/supplier-protocols", (SupplierAdmin admin) => TypedResults.Ok(admin.Protocols()))
            .WithName("ListSupplierProtocols").WithTags("Suppliers").RequireAuthorization(Policies.Viewer)
            .WithSummary("The supplier protocols this server speaks, and which can confirm stock live.");
        return app;
    }

    private static async Task<Results<Ok<SupplierView>, NotFound<ProblemDetailsBody>>> Get(string id, SupplierAdmin admin, CancellationToken ct) =>
        await admin.GetAsync(id, ct) is { } supplier ? TypedResults.Ok(supplier) : TypedResults.NotFound(ProblemDetailsBody.NotFound($"No supplier '{id}'."));

    private static async Task<Results<Created<SupplierView>, ValidationProblem, Conflict<ProblemDetailsBody>>> Create(HttpRequest http, SupplierAdmin admin, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SupplierRequest>(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await admin.CreateAsync(request!, ct);
        return result.Status switch
        {
            200 => TypedResults.Created($"/api/suppliers/{result.Value!.Id}", result.Value),
            400 => TypedResults.ValidationProblem(result.Errors!, title: "The supplier is not valid."),
            _ => TypedResults.Conflict(ProblemDetailsBody.Conflict(result.Error!)),
        };
    }

    private static async Task<Results<Ok<SupplierView>, ValidationProblem, NotFound<ProblemDetailsBody>>> Update(string id, HttpRequest http, SupplierAdmin admin, CancellationToken ct)
    {
        var (request, problem) = await JsonBody.ReadAsync<SupplierRequest>(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await admin.UpdateAsync(id, request!, ct);
        return result.Status switch
        {
            200 => TypedResults.Ok(result.Value!),
            400 => TypedResults.ValidationProblem(result.Errors!, title: "The supplier is not valid."),
            _ => TypedResults.NotFound(ProblemDetailsBody.NotFound(result.Error!)),
        };
    }
}
