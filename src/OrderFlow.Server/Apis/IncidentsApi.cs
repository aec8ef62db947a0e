using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Engine.Runtime;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Open incidents, and the ops decisions on them: retry or skip with a chosen outcome.</summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/incidents").WithTags("Incidents").RequireAuthorization(Policies.Viewer, Policies.AllMerchants);
        group.MapGet("/", List).WithName("ListOpenIncidents");
        group.MapPost("/{id:guid}/retry", Retry).WithName("RetryIncident").RequireAuthorization(Policies.Editor)
            .WithSummary("Runs the failed activity again from its first attempt.");
        group.MapPost("/{id:guid}/skip", Skip).WithName("SkipIncident").RequireAuthorization(Policies.Editor)
            .WithSummary("Treats the failed activity as completed with the chosen outcome.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<IncidentSummary>>> List(InstanceQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListOpenIncidentsAsync(ct));

    private static async Task<Results<NoContent, NotFound<ProblemDetailsBody>, Conflict<ProblemDetailsBody>, ValidationProblem>> Retry(
        Guid id, InstanceOperations operations, HttpContext http, CancellationToken ct) =>
        ToResult(id, await operations.RetryIncidentAsync(id, http.Actor(), ct));

    private static async Task<Results<NoContent, NotFound<ProblemDetailsBody>, Conflict<ProblemDetailsBody>, ValidationProblem>> Skip(
        Guid id, SkipRequest request, InstanceOperations operations, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Outcome))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["outcome"] = ["Choose the outcome to follow."] });
        }

        return ToResult(id, await operations.SkipIncidentAsync(id, request.Outcome, http.Actor(), ct));
    }

    private static Results<NoContent, NotFound<ProblemDetailsBody>, Conflict<ProblemDetailsBody>, ValidationProblem> ToResult(Guid id, OperationResult result) =>
        result.Status switch
        {
            OperationStatus.Ok => TypedResults.NoContent(),
            OperationStatus.NotFound => TypedResults.NotFound(ProblemDetailsBody.NotFound($"No incident {id}.")),
            OperationStatus.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [result.Field!] = [result.Message!] }),
            _ => TypedResults.Conflict(ProblemDetailsBody.Conflict(result.Message!)),
        };
}

/// <summary>The outcome to follow when skipping a failed activity.</summary>
public sealed record SkipRequest(string Outcome);
