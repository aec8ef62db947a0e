using System.Text.Json.Nodes;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;
using Microsoft.Extensions.Options;

namespace OrderFlow.Engine.Expressions;

/// <summary>
/// Evaluates JavaScript expressions with Jint in a sandbox: no CLR access, and limits on time, memory,
/// statements and recursion so a bad expression in a definition cannot hurt the process.
/// Scripts see <c>variables</c>, <c>outputs</c> (by activity id) and <c>input</c> (the resume payload).
/// </summary>
public sealed class ExpressionEvaluator(IOptions<EngineOptions> options)
{
    public const string ScriptKey = "$js";

    private readonly ExpressionOptions _limits = options.Value.Expressions;

    /// <summary>True when an input value is an expression object <c>{"$js": "..."}</c>.</summary>
    public static bool TryGetScript(JsonNode node, out string script)
    {
        if (node is JsonObject { Count: 1 } o && o[ScriptKey] is JsonValue v && v.TryGetValue(out string? s))
        {
            script = s;
            return true;
        }

        script = "";
        return false;
    }

    public JsonNode? Evaluate(string script, JsonObject variables, JsonObject outputs, JsonNode? input)
    {
        var engine = CreateEngine();
        var parser = new JsonParser(engine);
        engine.SetValue("variables", parser.Parse(variables.ToJsonString()));
        engine.SetValue("outputs", parser.Parse(outputs.ToJsonString()));
        engine.SetValue("input", input is null ? JsValue.Null : parser.Parse(input.ToJsonString()));
        try
        {
            var result = engine.Evaluate(script);
            return ToNode(engine, result);
        }
        catch (Exception e) when (e is JavaScriptException or TimeoutException or MemoryLimitExceededException
                                   or StatementsCountOverflowException or RecursionDepthOverflowException
                                   or Acornima.ParseErrorException or JintException)
        {
            throw new ExpressionException(script, e.Message, e);
        }
    }

    /// <summary>Parses without running: the syntax error, or null when the script is valid.</summary>
    public static string? CheckSyntax(string script)
    {
        try
        {
            JsEngine.PrepareScript(script);
            return null;
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }

    private JsEngine CreateEngine() => new(o => o
        .Strict()
        .LimitMemory(_limits.MemoryLimitBytes)
        .TimeoutInterval(TimeSpan.FromMilliseconds(_limits.TimeoutMilliseconds))
        .MaxStatements(_limits.MaxStatements)
        .LimitRecursion(_limits.MaxRecursionDepth));

    private static JsonNode? ToNode(JsEngine engine, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        var json = new JsonSerializer(engine).Serialize(value, JsValue.Undefined, JsValue.Undefined);
        return json.IsUndefined() ? null : JsonNode.Parse(json.AsString());
    }
}
