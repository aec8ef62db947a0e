using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Engine.Definitions;
using OrderFlow.Engine.Tests.Support;
using OrderFlow.Testing;
using static OrderFlow.Engine.Tests.Support.Flow;

namespace OrderFlow.Engine.Tests;

public sealed class ValidatorTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private async Task<IReadOnlyList<ValidationError>> Validate(WorkflowDefinition definition)
    {
        await using var host = await EngineHost.StartAsync(db.ConnectionString);
        return host.Services.GetRequiredService<DefinitionValidator>().Validate(definition);
    }

    [Fact]
    public async Task Validate_UnknownTypeAndBadOutcome_NamesEachPath()
    {
        var errors = await Validate(Of("bad")
            .Add("x", "NoSuchThing")
            .Add("check", "If", new JsonObject { ["condition"] = true })
            .Connect("check", "Maybe", "x").Connect("check", "True", "ghost").Build());

        Assert.Contains(errors, e => e.Path == "activities[1].type");
        Assert.Contains(errors, e => e.Path == "connections[0].outcome");
        Assert.Contains(errors, e => e.Path == "connections[1].target");
    }

    [Fact]
    public async Task Validate_ExpressionSyntaxErrorAndWrongLiteralType_Reported()
    {
        var errors = await Validate(Of("bad-expr")
            .Add("check", "If", new JsonObject { ["condition"] = Js("variables.total >") })
            .Add("wait", "Delay", new JsonObject { ["seconds"] = "soon" }).Build());

        Assert.Contains(errors, e => e.Path == "activities[1].inputs.condition" && e.Message.StartsWith("Expression does not parse"));
        Assert.Contains(errors, e => e.Path == "activities[2].inputs.seconds");
    }

    [Fact]
    public async Task Validate_NoStartAndDuplicateIds_Reported()
    {
        var definition = new WorkflowDefinition
        {
            Id = "no-start",
            Activities = [new ActivityNode { Id = "a", Type = "End" }, new ActivityNode { Id = "a", Type = "End" }],
        };

        var errors = await Validate(definition);

        Assert.Contains(errors, e => e.Path == "activities" && e.Message.Contains("exactly one Start"));
        Assert.Contains(errors, e => e.Path == "activities[1].id");
    }

    [Fact]
    public async Task Validate_SwitchCaseOutcomes_AcceptedAsConnections()
    {
        var errors = await Validate(Of("switch-ok")
            .Add("s", "Switch", new JsonObject { ["cases"] = new JsonArray(new JsonObject { ["name"] = "Big", ["condition"] = true }) })
            .Add("e", "End").Then("start", "s").Connect("s", "Big", "e").Connect("s", "Default", "e").Build());

        Assert.Empty(errors);
    }
}
