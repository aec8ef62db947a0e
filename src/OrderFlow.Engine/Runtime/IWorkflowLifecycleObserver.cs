using Npgsql;

namespace OrderFlow.Engine.Runtime;

/// <summary>Lets the domain react, in the same transaction, when ops cancel an instance or it completes.</summary>
public interface IWorkflowLifecycleObserver
{
    Task OnCancelledAsync(WorkflowInstanceInfo instance, string actor, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>The identifying facts of an instance.</summary>
public sealed record WorkflowInstanceInfo(Guid Id, string DefinitionId, int DefinitionVersion, string? CorrelationId, string Status);
