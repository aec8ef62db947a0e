using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderFlow.Server.Tests.Support;
using OrderFlow.Testing;
using Xunit.Abstractions;

namespace OrderFlow.Server.Tests.Security;

/// <summary>
/// Function-level authorization: every endpoint the app maps (read from its EndpointDataSource, so a new one cannot slip
/// by) is called as anonymous, viewer, editor, admin and an admin limited to merchant A acting on merchant B, with every
/// request from loopback and carrying X-Forwarded-For: 127.0.0.1. The answers are compared with the intended table below;
/// an endpoint missing from the table is a deviation too.
/// </summary>
public sealed partial class AuthorizationMatrixTests(TestDatabase db, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public const string ScopedAdmin = "admin-a";
    public const string ScopedAdminPassword = "admin-a-password-1";
    private const string MerchantA = "authz-a";
    private const string MerchantB = "authz-b";

    /// <summary>Who may call what. Level: who gets past authentication; Scope: how a merchant-limited user is treated.</summary>
    private static readonly Dictionary<string, Access> Intended = new()
    {
        ["* /health"] = new(Level.Public),
        ["GET /api/openapi/{documentName}.json"] = new(Level.Public),
        ["GET /api/docs/{documentName?}"] = new(Level.Public),
        ["GET /api/docs/favicon.svg"] = new(Level.Public),
        ["GET /api/docs/scalar.js"] = new(Level.Public),
        ["GET /api/docs/scalar.aspnetcore.js"] = new(Level.Public),
        ["GET /track/assets/track.css"] = new(Level.Public),
        ["GET /track/{token}"] = new(Level.Public),
        ["POST /api/auth/login"] = new(Level.Public),
        ["POST /api/auth/logout"] = new(Level.Viewer),
        ["GET /api/auth/me"] = new(Level.Viewer),
        ["* /{*path:nonfile}"] = new(Level.Public),
        ["* /hangfire/{**path}"] = new(Level.Admin, Scope.AllMerchants),

        ["POST /webhooks/{merchant}/orders"] = new(Level.Signed),
        ["POST /webhooks/{merchant}/shopify/orders"] = new(Level.Signed),
        ["POST /webhooks/{merchant}/woocommerce/orders"] = new(Level.Signed),
        ["POST /webhooks/{merchant}/orders/batch"] = new(Level.Signed),
        ["POST /webhooks/carriers/aftership"] = new(Level.Signed),
        ["POST /webhooks/suppliers/{supplierId}/events"] = new(Level.Signed),

        ["GET /api/orders/"] = new(Level.Viewer, Scope.Filtered),
        ["GET /api/orders/stats"] = new(Level.Viewer, Scope.Filtered),
        ["GET /api/orders/{id:guid}"] = new(Level.Viewer, Scope.Filtered),
        ["GET /api/events"] = new(Level.Viewer, Scope.Filtered),
        ["GET /api/merchants/"] = new(Level.Viewer, Scope.Filtered),
        ["POST /api/merchants/"] = new(Level.Admin, Scope.AllMerchants),
        ["POST /api/merchants/{id}/secrets"] = new(Level.Admin, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/subscriptions"] = new(Level.Viewer, Scope.Merchant),
        ["POST /api/merchants/{merchantId}/subscriptions"] = new(Level.Admin, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/subscriptions/{id:guid}"] = new(Level.Viewer, Scope.Merchant),
        ["PATCH /api/merchants/{merchantId}/subscriptions/{id:guid}"] = new(Level.Editor, Scope.Merchant),
        ["DELETE /api/merchants/{merchantId}/subscriptions/{id:guid}"] = new(Level.Admin, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/subscriptions/{id:guid}/deliveries"] = new(Level.Viewer, Scope.Merchant),
        ["POST /api/merchants/{merchantId}/subscriptions/{id:guid}/deliveries/{deliveryId:long}/replay"] = new(Level.Editor, Scope.Merchant),
        ["POST /api/merchants/{merchantId}/subscriptions/{id:guid}/replay"] = new(Level.Editor, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/notices"] = new(Level.Viewer, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/routing-rules/"] = new(Level.Viewer, Scope.Merchant),
        ["PUT /api/merchants/{merchantId}/routing-rules/"] = new(Level.Editor, Scope.Merchant),
        ["POST /api/routing/preview"] = new(Level.Viewer, Scope.Merchant),

        ["GET /api/activity-descriptors"] = new(Level.Viewer),
        ["GET /api/workflow-definitions/"] = new(Level.Viewer),
        ["GET /api/workflow-definitions/{id}/versions"] = new(Level.Viewer),
        ["GET /api/workflow-definitions/{id}/versions/{version:int}"] = new(Level.Viewer),
        ["GET /api/workflow-definitions/{id}/draft"] = new(Level.Viewer),
        ["PUT /api/workflow-definitions/{id}/draft"] = new(Level.Editor, Scope.AllMerchants),
        ["POST /api/workflow-definitions/validate"] = new(Level.Viewer),
        ["POST /api/workflow-definitions/{id}/publish"] = new(Level.Editor, Scope.AllMerchants),
        ["POST /api/workflow-definitions/{id}/instances"] = new(Level.Editor, Scope.AllMerchants),
        ["GET /api/workflow-instances/"] = new(Level.Viewer, Scope.AllMerchants),
        ["GET /api/workflow-instances/{id:guid}"] = new(Level.Viewer, Scope.AllMerchants),
        ["GET /api/workflow-instances/{id:guid}/journal"] = new(Level.Viewer, Scope.AllMerchants),
        ["POST /api/workflow-instances/{id:guid}/cancel"] = new(Level.Editor, Scope.AllMerchants),
        ["GET /api/incidents/"] = new(Level.Viewer, Scope.AllMerchants),
        ["POST /api/incidents/{id:guid}/retry"] = new(Level.Editor, Scope.AllMerchants),
        ["POST /api/incidents/{id:guid}/skip"] = new(Level.Editor, Scope.AllMerchants),

        ["GET /api/merchants/{merchantId}/templates"] = new(Level.Viewer, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/templates/{event}/{channel}"] = new(Level.Viewer, Scope.Merchant),
        ["PUT /api/merchants/{merchantId}/templates/{event}/{channel}"] = new(Level.Editor, Scope.Merchant),
        ["DELETE /api/merchants/{merchantId}/templates/{event}/{channel}"] = new(Level.Editor, Scope.Merchant),
        ["POST /api/merchants/{merchantId}/templates/{event}/{channel}/preview"] = new(Level.Viewer, Scope.Merchant),
        ["GET /api/merchants/{merchantId}/notification-settings"] = new(Level.Viewer, Scope.Merchant),
        ["PUT /api/merchants/{merchantId}/notification-settings"] = new(Level.Editor, Scope.Merchant),

        // Suppliers serve every merchant: anyone signed in reads them, only an admin without a merchant limit changes them.
        ["GET /api/suppliers/"] = new(Level.Viewer),
        ["GET /api/suppliers/{id}"] = new(Level.Viewer),
        ["POST /api/suppliers/"] = new(Level.Admin, Scope.AllMerchants),
        ["PUT /api/suppliers/{id}"] = new(Level.Admin, Scope.AllMerchants),
        ["GET /api/supplier-protocols"] = new(Level.Viewer),
        ["GET /api/supplier-health"] = new(Level.Viewer),
    };

    private static readonly string[] Callers = ["anonymous", "viewer", "editor", "admin", ScopedAdmin];

    private ServerFactory _server = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _server = new ServerFactory(db.ConnectionString, new Dictionary<string, string?>
        {
            ["OrderFlow:Ops:Users:3:Name"] = ScopedAdmin,
            ["OrderFlow:Ops:Users:3:Password"] = ScopedAdminPassword,
            ["OrderFlow:Ops:Users:3:Role"] = "admin",
            ["OrderFlow:Ops:Users:3:Merchants:0"] = MerchantA,
        });
        _app = _server.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, FromLoopback>()));
        var admin = _app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{ServerFactory.AdminPassword}")));
        foreach (var merchant in new[] { MerchantA, MerchantB })
        {
            await admin.PostAsJsonAsync("/api/merchants", new { id = merchant, name = merchant });
        }
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task EveryEndpoint_EveryCaller_MatchesTheIntendedTable()
    {
        var app = _app;
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(e => e.Method != "OPTIONS" && e.Method != "HEAD")
            .Distinct().OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method).ToList();

        var lines = new List<string>();
        var deviations = 0;
        foreach (var (method, pattern) in endpoints)
        {
            var key = $"{method} {pattern}";
            var cells = new List<string>();
            if (!Intended.TryGetValue(key, out var access))
            {
                deviations++;
                lines.Add($"  {key,-92} NOT IN THE INTENDED TABLE   <-- DEVIATION");
                continue;
            }

            var bad = false;
            foreach (var caller in Callers)
            {
                var status = await CallAsync(app, caller, method == "*" ? "GET" : method, pattern);
                var ok = Matches(Expected(access, caller), status);
                bad |= !ok;
                cells.Add($"{(int)status}{(ok ? "" : "!")}");
            }

            deviations += bad ? 1 : 0;
            lines.Add($"  {key,-92} {access.Level,-7} {access.Scope,-12} {string.Join(" ", cells.Select(c => c.PadLeft(5)))}{(bad ? "   <-- DEVIATION" : "")}");
        }

        var missingEndpoints = Intended.Keys.Except(endpoints.Select(e => $"{e.Method} {e.Pattern}")).ToList();
        var report = new StringBuilder()
            .AppendLine($"Function-level authorization matrix: {endpoints.Count} endpoints x {Callers.Length} callers = {endpoints.Count * Callers.Length} calls, {deviations} deviations")
            .AppendLine("  (every request from 127.0.0.1 with X-Forwarded-For: 127.0.0.1; admin-a is an admin limited to merchant A, calling merchant B's routes;")
            .AppendLine("   '!' marks an answer that differs from the table: denied = 401/403 or 302 to the sign-in, hidden = 404, signed = 401 without a signature)")
            .AppendLine($"  {"endpoint",-92} {"level",-7} {"scope",-12} {string.Join(" ", Callers.Select(c => c[..Math.Min(5, c.Length)].PadLeft(5)))}")
            .AppendJoin(Environment.NewLine, lines).AppendLine()
            .AppendLine(missingEndpoints.Count == 0 ? "  every entry of the table is mapped" : $"  table entries no longer mapped: {string.Join(", ", missingEndpoints)}")
            .ToString();
        output.WriteLine(report);
        SecurityReport.Write("authorization-matrix", report);
        Assert.True(endpoints.Count >= 50, $"Only {endpoints.Count} endpoints found; the data source is not the app's.");
        Assert.True(deviations == 0, report);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("viewer")]
    [InlineData("editor")]
    [InlineData(ScopedAdmin)]
    public async Task HangfireDashboard_NonAdminFromLoopbackWithForwardedFor_Refused(string? caller)
    {
        var app = _app;
        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/enqueued", "/hangfire/stats" })
        {
            var status = await CallAsync(app, caller ?? "anonymous", path.EndsWith("stats") ? "POST" : "GET", path);
            Assert.True(IsDenied(status), $"{caller ?? "anonymous"} {path} got {(int)status}");
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(app, "admin", "GET", "/hangfire"));
    }

    private static Outcome Expected(Access access, string caller)
    {
        if (access.Level == Level.Signed)
        {
            return Outcome.Signed;
        }

        var rank = caller switch { "anonymous" => 0, "viewer" => 1, "editor" => 2, _ => 3 };
        var need = access.Level switch { Level.Public => 0, Level.Viewer => 1, Level.Editor => 2, _ => 3 };
        if (rank < need)
        {
            return Outcome.Denied;
        }

        return caller != ScopedAdmin ? Outcome.Allowed : access.Scope switch
        {
            Scope.AllMerchants => Outcome.Denied,
            Scope.Merchant => Outcome.Hidden,
            _ => Outcome.Allowed,
        };
    }

    /// <summary>Allowed: past authorization (2xx, or 400/404/409 about the fake input), never 5xx. Denied: 401, 403 or the sign-in redirect.</summary>
    private static bool Matches(Outcome want, HttpStatusCode status) => want switch
    {
        Outcome.Denied => IsDenied(status),
        Outcome.Hidden => status == HttpStatusCode.NotFound,
        Outcome.Signed => status == HttpStatusCode.Unauthorized,
        _ => !IsDenied(status) && (int)status < 500,
    };

    private static bool IsDenied(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Found;

    private async Task<HttpStatusCode> CallAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string caller, string method, string pattern)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var password = caller switch
        {
            "viewer" => ServerFactory.ViewerPassword,
            "editor" => ServerFactory.EditorPassword,
            "admin" => ServerFactory.AdminPassword,
            ScopedAdmin => ScopedAdminPassword,
            _ => null,
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(pattern));
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");
        request.Headers.Add("X-Real-IP", "127.0.0.1");
        if (password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{caller}:{password}")));
        }

        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(pattern.EndsWith("/preview") ? "{\"merchantId\":\"" + MerchantB + "\",\"order\":{}}" : "{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Found && response.Headers.Location?.OriginalString.StartsWith("/login", StringComparison.Ordinal) != true)
        {
            return HttpStatusCode.OK;
        }

        return response.StatusCode;
    }

    /// <summary>A URL for the pattern: merchants are merchant B, ids random (a real id changes nothing about authorization).</summary>
    private static string Concrete(string pattern) => Parameter().Replace(pattern, m => m.Groups["name"].Value switch
    {
        "merchant" or "merchantId" => MerchantB,
        "id" when m.Value.Contains(":guid", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
        "id" when pattern.StartsWith("/api/merchants", StringComparison.Ordinal) => MerchantB,
        "id" => "dropship-order",
        "deliveryId" or "version" => "1",
        "documentName" => "v1",
        "supplierId" => "nobody",
        "token" => "no-such-token",
        "event" => "shipped",
        "channel" => "email",
        _ => "",
    }).Replace("/.json", "/v1.json");

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z]+)[^}]*\}")]
    private static partial Regex Parameter();

    private enum Level { Public, Signed, Viewer, Editor, Admin }

    /// <summary>Unscoped: any user with the role. Filtered: lists show only the user's merchants. Merchant: another merchant's is 404. AllMerchants: 403 for a limited user.</summary>
    private enum Scope { Unscoped, Filtered, Merchant, AllMerchants }

    private enum Outcome { Allowed, Denied, Hidden, Signed }

    private sealed record Access(Level Level, Scope Scope = Scope.Unscoped);

    /// <summary>Makes every request come from 127.0.0.1, so anything trusting loopback would show in the matrix.</summary>
    private sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
