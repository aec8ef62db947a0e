using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Engine.Runtime;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Workflow instances: list, details, journal and cancellation.</summary>
public static class InstancesApi
{
    public static IEndpointRouteBuilder MapInstancesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflow-instances").WithTags("Instances").RequireAuthorization(Policies.Viewer, Policies.AllMerchants);
        group.MapGet("/", List).WithName("ListWorkflowInstances");
        group.MapGet("/{id:guid}", Get).WithName("GetWorkflowInstance");
        group.MapGet("/{id:guid}/journal", Journal).WithName("GetWorkflowInstanceJournal")
            .WithSummary("Every activity execution of the instance, in order: the path it took.");
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelWorkflowInstance").RequireAuthorization(Policies.Editor);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<InstanceSummary>>> List(InstanceQueries queries, string? status, string? definitionId, string? correlationId, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(status, definitionId, correlationId, limit ?? 100, ct));

    private static async Task<Results<Ok<InstanceDetails>, NotFound<ProblemDetailsBody>>> Get(Guid id, InstanceQueries queries, CancellationToken ct) =>
        await queries.GetAsync(id, ct) is { } instance ? TypedResults.Ok(instance) : TypedResults.NotFound(ProblemDetailsBody.NotFound($"No workflow instance {id}."));

    private static async Task<Results<Ok<IReadOnlyList<JournalEntry>>, NotFound<ProblemDetailsBody>>> Journal(Guid id, InstanceQueries queries, CancellationToken ct)
    {
        var journal = await queries.GetJournalAsync(id, ct);
        if (journal.Count == 0 && await queries.GetAsync(id, ct) is null)
        {
            return TypedResults.NotFound(ProblemDetailsBody.NotFound($"No workflow instance {id}."));
        }

        return TypedResults.Ok(journal);
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetailsBody>, Conflict<ProblemDetailsBody>>> Cancel(Guid id, InstanceOperations operations, HttpContext http, CancellationToken ct)
    {
        var result = await operations.CancelAsync(id, http.Actor(), ct);
        return result.Status switch
        {
            OperationStatus.Ok => TypedResults.NoContent(),
            OperationStatus.NotFound => TypedResults.NotFound(ProblemDetailsBody.NotFound($"No workflow instance {id}.")),
            _ => TypedResults.Conflict(ProblemDetailsBody.Conflict(result.Message!)),
        };
    }
}
