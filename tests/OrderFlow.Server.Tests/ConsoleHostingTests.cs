using System.Net;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

public sealed class ConsoleHostingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/workflows/order-fulfillment")]
    [InlineData("/incidents")]
    public async Task ClientRoute_Anonymous_ServesConsoleWithSecurityHeaders(string path)
    {
        var response = await server.Factory.ClientAs(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline' 'unsafe-eval", csp);
    }

    [Theory]
    [InlineData("/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData("/webhooks/no-such-hook", HttpStatusCode.NotFound)]
    [InlineData("/health/extra", HttpStatusCode.NotFound)]
    [InlineData("/api/workflow-definitions", HttpStatusCode.Unauthorized)]
    public async Task ServerPath_NotAnEndpoint_NeverAnsweredWithConsole(string path, HttpStatusCode expected)
    {
        var response = await server.Factory.ClientAs(null).GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
    }
}
