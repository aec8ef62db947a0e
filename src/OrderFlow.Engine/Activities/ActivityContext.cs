using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderFlow.Engine.Expressions;
using OrderFlow.Engine.Runtime;

namespace OrderFlow.Engine.Activities;

/// <summary>
/// Everything an activity may touch during a burst. Database work goes through <see cref="Connection"/> and
/// <see cref="Transaction"/> so it commits or rolls back with the burst; effects outside the database must be
/// idempotent under <see cref="IdempotencyKey"/>, because a crash before commit repeats the burst.
/// </summary>
public sealed class ActivityContext
{
    private readonly JsonObject _rawInputs;
    private readonly ExpressionEvaluator _evaluator;
    private readonly List<Func<IServiceProvider, CancellationToken, Task>> _afterCommit;

    internal ActivityContext(
        ExecutionScope scope,
        string activityId,
        string activityType,
        JsonObject rawInputs,
        IReadOnlyList<InputDescriptor> inputDescriptors,
        int attempt,
        long executionCount,
        JsonNode? resumePayload,
        JsonNode? bookmarkState)
    {
        InstanceId = scope.InstanceId;
        DefinitionId = scope.DefinitionId;
        DefinitionVersion = scope.DefinitionVersion;
        CorrelationId = scope.CorrelationId;
        Variables = scope.Variables;
        Outputs = scope.Outputs;
        Connection = scope.Connection;
        Transaction = scope.Transaction;
        Services = scope.Services;
        Clock = scope.Clock;
        Logger = scope.Logger;
        CancellationToken = scope.CancellationToken;
        _evaluator = scope.Evaluator;
        _afterCommit = scope.AfterCommitActions;
        ActivityId = activityId;
        ActivityType = activityType;
        _rawInputs = rawInputs;
        InputDescriptors = inputDescriptors;
        Attempt = attempt;
        ExecutionCount = executionCount;
        ResumePayload = resumePayload;
        BookmarkState = bookmarkState;
    }

    public Guid InstanceId { get; }
    public string DefinitionId { get; }
    public int DefinitionVersion { get; }
    /// <summary>The business key the instance was started for (for OrderFlow's order workflow: the order id).</summary>
    public string? CorrelationId { get; }
    public string ActivityId { get; }
    public string ActivityType { get; }
    /// <summary>1 for the first try, higher on durable retries.</summary>
    public int Attempt { get; }
    /// <summary>How many times this activity was reached in this instance, this time included (loops raise it; retries and resumes do not).</summary>
    public long ExecutionCount { get; }
    /// <summary>Stable across repeats of the same burst, durable retries, ops retries and resumes; different for each loop iteration.</summary>
    public string IdempotencyKey => $"{InstanceId:N}-{ActivityId}-{ExecutionCount}";
    public JsonObject Variables { get; }
    public JsonObject Outputs { get; }
    public JsonNode? ResumePayload { get; }
    /// <summary>The state the activity stored with its bookmark, when resuming.</summary>
    public JsonNode? BookmarkState { get; }
    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }
    public IServiceProvider Services { get; }
    public TimeProvider Clock { get; }
    public ILogger Logger { get; }
    public CancellationToken CancellationToken { get; }
    internal IReadOnlyList<InputDescriptor> InputDescriptors { get; }

    /// <summary>The evaluated inputs this execution read, for the journal.</summary>
    internal JsonObject EvaluatedInputs { get; } = [];
    internal JsonObject ActivityOutput { get; } = [];

    /// <summary>The input's value: the literal from the definition, the result of its <c>{"$js": "..."}</c> expression, or the descriptor's default.</summary>
    public JsonNode? GetInput(string name)
    {
        if (EvaluatedInputs.TryGetPropertyValue(name, out var cached))
        {
            return cached?.DeepClone();
        }

        JsonNode? value;
        if (_rawInputs.TryGetPropertyValue(name, out var raw) && raw is not null)
        {
            value = ExpressionEvaluator.TryGetScript(raw, out var script)
                ? _evaluator.Evaluate(script, Variables, Outputs, ResumePayload)
                : raw.DeepClone();
        }
        else
        {
            value = InputDescriptors.FirstOrDefault(i => i.Name == name)?.Default?.DeepClone();
        }

        EvaluatedInputs[name] = value?.DeepClone();
        return value;
    }

    public T? GetInput<T>(string name)
    {
        var node = GetInput(name);
        return node is null ? default : node.Deserialize<T>(JsonDefaults.Options);
    }

    public string GetRequiredString(string name) =>
        GetInput<string>(name) is { Length: > 0 } s ? s : throw new ActivityInputException(ActivityId, name, "is required");

    /// <summary>Records an output value, readable later as <c>outputs.{activityId}.{name}</c>.</summary>
    public void SetOutput(string name, JsonNode? value) => ActivityOutput[name] = value;

    /// <summary>Runs after the burst's transaction commits (e.g. enqueue delivery of an outbox row). Not run if it rolls back.</summary>
    public void AfterCommit(Func<IServiceProvider, CancellationToken, Task> action) => _afterCommit.Add(action);
}
