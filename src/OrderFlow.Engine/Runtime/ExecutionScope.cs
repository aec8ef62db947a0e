using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Expressions;

namespace OrderFlow.Engine.Runtime;

/// <summary>What every activity of one burst shares.</summary>
internal sealed record ExecutionScope(
    Guid InstanceId,
    string DefinitionId,
    int DefinitionVersion,
    string? CorrelationId,
    JsonObject Variables,
    JsonObject Outputs,
    NpgsqlConnection Connection,
    NpgsqlTransaction Transaction,
    IServiceProvider Services,
    TimeProvider Clock,
    ILogger Logger,
    ExpressionEvaluator Evaluator,
    CancellationToken CancellationToken)
{
    public List<Func<IServiceProvider, CancellationToken, Task>> AfterCommitActions { get; } = [];
}
