namespace OrderFlow.Engine.Expressions;

/// <summary>An expression failed to parse or run, or broke a sandbox limit.</summary>
public sealed class ExpressionException(string script, string problem, Exception inner)
    : Exception($"Expression '{Truncate(script)}' failed: {problem}", inner)
{
    public string Script { get; } = script;

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
