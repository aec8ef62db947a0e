using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Intake;
using OrderFlow.Fulfillment.Routing;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Per-merchant routing rules (ordered, evaluated top-down) and the dry-run preview of where an order would go.</summary>
public static class RoutingApi
{
    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/merchants/{merchantId}/routing-rules").WithTags("Routing").RequireAuthorization(Policies.Viewer).ScopedToMerchant("merchantId");
        rules.MapGet("/", Get).WithName("GetRoutingRules").WithSummary("The merchant's routing rules, in evaluation order.");
        rules.MapPut("/", Replace).WithName("ReplaceRoutingRules").RequireAuthorization(Policies.Editor)
            .WithSummary("Replaces the merchant's rules (the list order is the evaluation order); invalid rules are refused with the field at fault.");
        app.MapPost("/api/routing/preview", Preview).WithName("PreviewRouting").WithTags("Routing").RequireAuthorization(Policies.Viewer)
            .WithSummary("Where an order would go and what it would cost (items + shipping + fees), without placing anything.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<RoutingRule>>, NotFound<ProblemDetailsBody>>> Get(string merchantId, RoutingRuleStore store, CancellationToken ct) =>
        await store.GetAsync(merchantId, ct) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant '{merchantId}'."));

    private static async Task<Results<Ok<IReadOnlyList<RoutingRule>>, ValidationProblem, NotFound<ProblemDetailsBody>>> Replace(
        string merchantId, List<RoutingRule?>? rules, RoutingRuleStore store, HttpContext http, CancellationToken ct)
    {
        var saved = await store.ReplaceAsync(merchantId, rules, http.Actor(), ct);
        return saved is null ? TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant '{merchantId}'."))
            : saved.Count > 0 ? TypedResults.ValidationProblem(saved, title: "The routing rules are not valid.")
            : TypedResults.Ok((await store.GetAsync(merchantId, ct))!);
    }

    private static async Task<Results<Ok<RoutingPlan>, ValidationProblem, NotFound<ProblemDetailsBody>>> Preview(PreviewRequest request, RoutingPreview preview, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.MerchantId) || request.Order is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [request.Order is null ? "order" : "merchantId"] = ["This field is required."] });
        }

        if (!http.User.MaySee(request.MerchantId))
        {
            return TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant '{request.MerchantId}'."));
        }

        var result = await preview.PreviewAsync(request.MerchantId, request.Order, ct);
        return result switch
        {
            null => TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant '{request.MerchantId}'.")),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors, title: "The order is not valid."),
            { Plan: var plan } => TypedResults.Ok(plan!),
        };
    }
}

/// <summary>The order to preview, in OrderFlow's intake format, and whose rules apply.</summary>
public sealed record PreviewRequest(string? MerchantId, IntakeOrder? Order);
