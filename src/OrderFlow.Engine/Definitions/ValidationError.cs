namespace OrderFlow.Engine.Definitions;

/// <summary>A problem in a definition, located by a JSON-pointer-like path (e.g. <c>activities[3].inputs.condition</c>).</summary>
public sealed record ValidationError(string Path, string Message);
