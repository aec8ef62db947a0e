using System.Text.Json.Nodes;

namespace OrderFlow.Engine.Runtime;

/// <summary>The runner's bookkeeping for one instance, stored as JSON beside its variables.</summary>
internal sealed class InstanceState
{
    /// <summary>Activities scheduled but not yet run (non-empty only when a burst yielded at its activity limit).</summary>
    public List<WorkItem> Queue { get; set; } = [];

    /// <summary>Per Join activity, the sources that have arrived since it last fired.</summary>
    public Dictionary<string, List<string>> Joins { get; set; } = [];

    /// <summary>How many times each activity has run: part of the idempotency key of its effects.</summary>
    public Dictionary<string, long> Executions { get; set; } = [];

    /// <summary>Outputs by activity id, readable by expressions as <c>outputs</c>.</summary>
    public JsonObject Outputs { get; set; } = [];
}

/// <summary>
/// An activity to run: freshly scheduled, or after a durable retry. <paramref name="Repeat"/> marks an ops retry of a faulted
/// activity, which runs from attempt 1 but continues the same execution (same idempotency key).
/// </summary>
internal sealed record WorkItem(string ActivityId, string? From = null, int Attempt = 1, bool Repeat = false);
