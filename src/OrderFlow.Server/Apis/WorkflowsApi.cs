using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using OrderFlow.Engine.Activities;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Runtime;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>Activity descriptors and workflow definitions: drafts, validation, publishing and versions.</summary>
public static class WorkflowsApi
{
    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/activity-descriptors", (ActivityRegistry registry) =>
                TypedResults.Ok(registry.Descriptors.OrderBy(d => d.Category).ThenBy(d => d.DisplayName).ToList()))
            .WithName("ListActivityDescriptors").WithTags("Workflows").RequireAuthorization(Policies.Viewer)
            .WithSummary("Every activity type this server can run, with inputs, outputs and outcomes.");

        var definitions = app.MapGroup("/api/workflow-definitions").WithTags("Workflows").RequireAuthorization(Policies.Viewer);
        definitions.MapGet("/", ListDefinitions).WithName("ListWorkflowDefinitions");
        definitions.MapGet("/{id}/versions", ListVersions).WithName("ListWorkflowVersions");
        definitions.MapGet("/{id}/versions/{version:int}", GetVersion).WithName("GetWorkflowVersion");
        definitions.MapGet("/{id}/draft", GetDraft).WithName("GetWorkflowDraft");
        definitions.MapPut("/{id}/draft", SaveDraft).WithName("SaveWorkflowDraft").RequireAuthorization(Policies.Editor, Policies.AllMerchants)
            .WithSummary("Saves a draft (which may be invalid) and returns its validation errors.");
        definitions.MapPost("/validate", Validate).WithName("ValidateWorkflowDefinition")
            .WithSummary("Validates a definition without saving it; the designer shows these errors while editing.");
        definitions.MapPost("/{id}/publish", Publish).WithName("PublishWorkflowDefinition").RequireAuthorization(Policies.Editor, Policies.AllMerchants)
            .WithSummary("Publishes the posted definition as a new immutable version (no new version if unchanged).");
        definitions.MapPost("/{id}/instances", StartInstance).WithName("StartWorkflowInstance").RequireAuthorization(Policies.Editor, Policies.AllMerchants)
            .WithSummary("Starts a test instance of the latest published version with the posted input.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<DefinitionSummary>>> ListDefinitions(DefinitionStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    private static async Task<Ok<IReadOnlyList<VersionSummary>>> ListVersions(string id, DefinitionStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListVersionsAsync(id, ct));

    private static async Task<Results<Ok<WorkflowDefinition>, NotFound<ProblemDetailsBody>>> GetVersion(string id, int version, DefinitionStore store, CancellationToken ct) =>
        await store.GetVersionAsync(id, version, ct) is { } definition
            ? TypedResults.Ok(definition)
            : TypedResults.NotFound(ProblemDetailsBody.NotFound($"Workflow '{id}' has no version {version}."));

    private static async Task<Results<Ok<WorkflowDefinition>, NotFound<ProblemDetailsBody>>> GetDraft(string id, DefinitionStore store, CancellationToken ct) =>
        await store.GetDraftAsync(id, ct) is { } draft
            ? TypedResults.Ok(draft)
            : TypedResults.NotFound(ProblemDetailsBody.NotFound($"Workflow '{id}' has no draft."));

    private static async Task<Results<Ok<ValidationResponse>, ValidationProblem>> SaveDraft(string id, WorkflowDefinition draft, DefinitionStore store, HttpContext http, CancellationToken ct)
    {
        if (draft.Id != id)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"The body's id '{draft.Id}' does not match the URL's '{id}'."] });
        }

        return TypedResults.Ok(new ValidationResponse(await store.SaveDraftAsync(draft, http.Actor(), ct)));
    }

    private static Ok<ValidationResponse> Validate(WorkflowDefinition definition, DefinitionValidator validator) =>
        TypedResults.Ok(new ValidationResponse(validator.Validate(definition)));

    private static async Task<Results<Ok<PublishResponse>, ValidationProblem>> Publish(string id, WorkflowDefinition definition, DefinitionStore store, HttpContext http, CancellationToken ct)
    {
        if (definition.Id != id)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"The body's id '{definition.Id}' does not match the URL's '{id}'."] });
        }

        var result = await store.PublishAsync(definition, http.Actor(), ct);
        if (result.Errors.Count > 0)
        {
            return TypedResults.ValidationProblem(result.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The workflow is not valid.");
        }

        return TypedResults.Ok(new PublishResponse(result.Version!.Value, result.Created));
    }

    private static async Task<Results<Created<StartInstanceResponse>, NotFound<ProblemDetailsBody>, ValidationProblem>> StartInstance(
        string id, StartInstanceRequest request, IWorkflowRuntime runtime, NpgsqlDataSource dataSource, DefinitionStore store, CancellationToken ct)
    {
        if (request.CorrelationId is { Length: > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["correlationId"] = ["Use at most 200 characters."] });
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await store.GetLatestVersionAsync(id, connection, transaction, ct) is not { } version)
        {
            return TypedResults.NotFound(ProblemDetailsBody.NotFound($"Workflow '{id}' has no published version; publish it first."));
        }

        var instanceId = await runtime.StartAsync(id, request.Input, request.CorrelationId, connection, transaction, ct);
        await transaction.CommitAsync(ct);
        runtime.Dispatch([instanceId]);
        return TypedResults.Created($"/api/workflow-instances/{instanceId}", new StartInstanceResponse(instanceId, version));
    }
}

/// <summary>The input of a test instance (merged over the definition's variables) and an optional correlation id.</summary>
public sealed record StartInstanceRequest(JsonObject? Input, string? CorrelationId);

/// <summary>The started instance; it runs in the background.</summary>
public sealed record StartInstanceResponse(Guid InstanceId, int Version);

/// <summary>Validation errors of a definition (empty when valid).</summary>
public sealed record ValidationResponse(IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>The version that now holds the published content, and whether publishing created it.</summary>
public sealed record PublishResponse(int Version, bool Created);
