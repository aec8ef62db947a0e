using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace OrderFlow.Server.Tests.Support;

/// <summary>The real server on a real PostgreSQL database; extra settings (simulator URL, seed) come from the test.</summary>
public sealed class ServerFactory(string connectionString, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-password-1";
    public const string EditorPassword = "editor-password-1";
    public const string ViewerPassword = "viewer-password-1";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:OrderFlow"] = connectionString,
            ["OrderFlow:Ops:Users:0:Name"] = "admin",
            ["OrderFlow:Ops:Users:0:Password"] = AdminPassword,
            ["OrderFlow:Ops:Users:0:Role"] = "admin",
            ["OrderFlow:Ops:Users:1:Name"] = "editor",
            ["OrderFlow:Ops:Users:1:Password"] = EditorPassword,
            ["OrderFlow:Ops:Users:1:Role"] = "editor",
            ["OrderFlow:Ops:Users:2:Name"] = "viewer",
            ["OrderFlow:Ops:Users:2:Password"] = ViewerPassword,
            ["OrderFlow:Ops:Users:2:Role"] = "viewer",
        }.Concat(settings ?? new Dictionary<string, string?>())));
    }

    public HttpClient ClientAs(string? user) => As(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), user);

    /// <summary>Signs <paramref name="client"/> in as one of the ops users above (any other name gets a wrong password).</summary>
    public static HttpClient As(HttpClient client, string? user)
    {
        if (user is not null)
        {
            var password = user switch { "admin" => AdminPassword, "editor" => EditorPassword, "viewer" => ViewerPassword, _ => "wrong-password" };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return client;
    }
}
