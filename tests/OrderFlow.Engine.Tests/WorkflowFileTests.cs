using System.Text.Json.Nodes;
using Json.Schema;

namespace OrderFlow.Engine.Tests;

public sealed class WorkflowFileTests
{
    private static string WorkflowsDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("OrderFlow.sln not found above the test binaries."), "workflows");
    }

    public static TheoryData<string> WorkflowFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(WorkflowsDirectory(), "*.json").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public void WorkflowFile_AgainstSchema_IsValid(string file)
    {
        var schema = JsonSchema.FromFile(Path.Combine(WorkflowsDirectory(), "schema", "workflow.schema.json"));
        var instance = JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowsDirectory(), file)));

        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void Schema_ActivityWithoutType_IsRejected()
    {
        var schema = JsonSchema.FromFile(Path.Combine(WorkflowsDirectory(), "schema", "workflow.schema.json"));
        var instance = JsonNode.Parse("""{ "id": "x", "activities": [ { "id": "a" } ], "connections": [] }""");

        Assert.False(schema.Evaluate(instance).IsValid);
    }
}
