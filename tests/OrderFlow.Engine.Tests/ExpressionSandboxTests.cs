using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrderFlow.Engine.Expressions;

namespace OrderFlow.Engine.Tests;

public sealed class ExpressionSandboxTests
{
    private static readonly ExpressionEvaluator Evaluator = new(Options.Create(new EngineOptions()));

    private static JsonNode? Eval(string script, JsonObject? variables = null) =>
        Evaluator.Evaluate(script, variables ?? [], [], null);

    [Fact]
    public void Evaluate_ArithmeticOnVariables_ReturnsJson()
    {
        var result = Eval("({ total: variables.lines.reduce((s, l) => s + l.qty * l.price, 0) })",
            new JsonObject { ["lines"] = new JsonArray(new JsonObject { ["qty"] = 2, ["price"] = 5 }, new JsonObject { ["qty"] = 1, ["price"] = 3 }) });

        Assert.Equal(13, result!["total"]!.GetValue<double>());
    }

    [Fact]
    public void Evaluate_InfiniteLoop_StoppedByLimit()
    {
        var error = Assert.Throws<ExpressionException>(() => Eval("while (true) {}"));
        Assert.Contains("while", error.Script);
    }

    [Fact]
    public void Evaluate_UnboundedRecursion_Stopped()
    {
        Assert.Throws<ExpressionException>(() => Eval("function f(n) { return f(n + 1); } f(0)"));
    }

    [Fact]
    public void Evaluate_HugeAllocation_StoppedByMemoryLimit()
    {
        Assert.Throws<ExpressionException>(() => Eval("let a = []; for (let i = 0; i < 1e7; i++) { a.push('xxxxxxxxxxxxxxxx' + i); } a.length"));
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("require('fs')")]
    [InlineData("fetch('http://127.0.0.1')")]
    public void Evaluate_ClrOrHostAccess_Refused(string script)
    {
        Assert.Throws<ExpressionException>(() => Eval(script));
    }

    [Fact]
    public void CheckSyntax_Invalid_ReturnsMessage_ValidReturnsNull()
    {
        Assert.NotNull(ExpressionEvaluator.CheckSyntax("a +"));
        Assert.Null(ExpressionEvaluator.CheckSyntax("variables.a + 1"));
    }
}
