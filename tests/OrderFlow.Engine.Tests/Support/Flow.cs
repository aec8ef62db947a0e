using System.Text.Json.Nodes;
using OrderFlow.Engine.Definitions;

namespace OrderFlow.Engine.Tests.Support;

/// <summary>Builds small definitions in tests: <c>Flow.Of("id").Add("a", "If", inputs).Connect("a", "True", "b")</c>.</summary>
public sealed class Flow
{
    private readonly string _id;
    private readonly List<ActivityNode> _activities = [];
    private readonly List<Connection> _connections = [];

    private Flow(string id) => _id = id;

    public static Flow Of(string id) => new Flow(id).Add("start", "Start");

    public Flow Add(string id, string type, JsonObject? inputs = null, Activities.RetryPolicy? retry = null)
    {
        _activities.Add(new ActivityNode { Id = id, Type = type, Inputs = inputs ?? [], Retry = retry, Position = new Position(0, _activities.Count * 100) });
        return this;
    }

    public Flow Connect(string source, string outcome, string target)
    {
        _connections.Add(new Connection(source, outcome, target));
        return this;
    }

    public Flow Then(string source, string target) => Connect(source, "Done", target);

    public WorkflowDefinition Build() => new() { Id = _id, Name = _id, Activities = _activities, Connections = _connections };

    public static JsonObject Js(string script) => new() { ["$js"] = script };
}
