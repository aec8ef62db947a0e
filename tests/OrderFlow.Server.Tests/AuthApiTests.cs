using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using OrderFlow.Server.Tests.Support;

namespace OrderFlow.Server.Tests;

public sealed class AuthApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static JsonObject Flow(string id) => new()
    {
        ["id"] = id,
        ["name"] = "Cookie test",
        ["activities"] = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Start" }, new JsonObject { ["id"] = "end", ["type"] = "End" }),
        ["connections"] = new JsonArray(new JsonObject { ["source"] = "start", ["outcome"] = "Done", ["target"] = "end" }),
    };

    private async Task<(HttpClient Client, string Token)> SignIn(string user, string password)
    {
        var client = server.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { name = user, password });
        response.EnsureSuccessStatusCode();
        var token = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith("XSRF-TOKEN=", StringComparison.Ordinal))["XSRF-TOKEN=".Length..];
        return (client, Uri.UnescapeDataString(token));
    }

    [Fact]
    public async Task Login_ValidEditor_MeReturnsNameAndRole()
    {
        var (client, _) = await SignIn("editor", ServerFactory.EditorPassword);

        var me = await client.GetFromJsonAsync<JsonObject>("/api/auth/me");

        Assert.Equal("editor", me!["name"]!.GetValue<string>());
        Assert.Equal("editor", me["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Login_WrongPassword_401AndNoCookie()
    {
        var client = server.Factory.ClientAs(null);

        var response = await client.PostAsJsonAsync("/api/auth/login", new { name = "editor", password = "not-the-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_EmptyName_400NamingTheField()
    {
        var response = await server.Factory.ClientAs(null).PostAsJsonAsync("/api/auth/login", new { name = "", password = "x" });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(problem!["errors"]!["name"]);
    }

    [Fact]
    public async Task CookieStateChange_WithoutAntiforgeryToken_400ThenWithToken_200()
    {
        var (client, token) = await SignIn("editor", ServerFactory.EditorPassword);

        var withoutToken = await client.PutAsJsonAsync("/api/workflow-definitions/cookie-flow/draft", Flow("cookie-flow"));
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/workflow-definitions/cookie-flow/draft") { Content = JsonContent.Create(Flow("cookie-flow")) };
        request.Headers.Add("X-XSRF-TOKEN", token);
        var withToken = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
    }

    [Fact]
    public async Task CookieViewer_PublishWithToken_403()
    {
        var (client, token) = await SignIn("viewer", ServerFactory.ViewerPassword);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflow-definitions/cookie-viewer/publish") { Content = JsonContent.Create(Flow("cookie-viewer")) };
        request.Headers.Add("X-XSRF-TOKEN", token);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Logout_WithToken_MeAnswers401()
    {
        var (client, token) = await SignIn("viewer", ServerFactory.ViewerPassword);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        request.Headers.Add("X-XSRF-TOKEN", token);

        var logout = await client.SendAsync(request);
        var me = await client.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Null(me.Headers.Location);
    }

    [Fact]
    public async Task Hangfire_CookieEditor_403AndAnonymousBrowserRedirectedToSignIn()
    {
        var (editor, _) = await SignIn("editor", ServerFactory.EditorPassword);

        var forEditor = await editor.GetAsync("/hangfire");
        var anonymous = await server.Factory.ClientAs(null).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, forEditor.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/login?returnUrl=", anonymous.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task StartInstance_PublishedWorkflow_201ThenUnpublished_404()
    {
        var editor = server.Factory.ClientAs("editor");
        (await editor.PostAsJsonAsync("/api/workflow-definitions/start-test/publish", Flow("start-test"))).EnsureSuccessStatusCode();

        var started = await editor.PostAsJsonAsync("/api/workflow-definitions/start-test/instances", new { input = new { total = 42 } });
        var body = await started.Content.ReadFromJsonAsync<JsonObject>();
        var instance = await editor.GetFromJsonAsync<JsonObject>($"/api/workflow-instances/{body!["instanceId"]}");
        var missing = await editor.PostAsJsonAsync("/api/workflow-definitions/never-published/instances", new { input = new { } });
        var asViewer = await server.Factory.ClientAs("viewer").PostAsJsonAsync("/api/workflow-definitions/start-test/instances", new { input = new { } });

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(42, instance!["variables"]!["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
    }
}
