using System.Text.Json.Nodes;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

public sealed class OpenApiDocumentTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task CommittedDocument_ComparedWithServed_IsTheSame()
    {
        var committedPath = Path.Combine(RepositoryRoot(), "src", "OrderFlow.Designer", "openapi.json");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath))!.AsObject();

        var served = JsonNode.Parse(await server.Factory.ClientAs(null).GetStringAsync("/api/openapi/v1.json"))!.AsObject();

        // The server list names the host that answered; the rest must match what the console's client was generated from.
        committed.Remove("servers");
        served.Remove("servers");
        Assert.True(JsonNode.DeepEquals(committed, served),
            "src/OrderFlow.Designer/openapi.json differs from /api/openapi/v1.json: build the server (it rewrites the file) and commit it.");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OrderFlow.sln not found above " + AppContext.BaseDirectory);
    }
}
