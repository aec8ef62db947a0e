using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OrderFlow.Server.Security;

/// <summary>Registers ops authentication (HTTP Basic for scripts, a cookie for the console), antiforgery and the cumulative role policies.</summary>
public static class AuthenticationExtensions
{
    /// <summary>Picks Basic when the request carries Basic credentials, the console's cookie otherwise.</summary>
    public const string OpsScheme = "Ops";

    public const string CookieName = "orderflow.auth";

    public static IServiceCollection AddOrderFlowAuthentication(this IServiceCollection services)
    {
        services.AddOptions<OpsUsersOptions>().BindConfiguration(OpsUsersOptions.Section).ValidateOnStart()
            .Validate(o => o.Users.All(u => u.Password.Length >= 8 && u.Role is Policies.Roles.Viewer or Policies.Roles.Editor or Policies.Roles.Admin),
                "Every ops user needs a password of at least 8 characters and a role of viewer, editor or admin.")
            .Validate(o => o.Users.All(u => u.Merchants.All(m => !string.IsNullOrWhiteSpace(m))), "OrderFlow:Ops:Users:N:Merchants lists merchant ids; leave it out for a user who sees every merchant.");
        services.AddSingleton<OpsUserDirectory>();
        services.AddAuthentication(OpsScheme)
            .AddPolicyScheme(OpsScheme, "Basic or console cookie", o => o.ForwardDefaultSelector = context =>
                IsBasic(context.Request) ? BasicAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = RefreshFromConfiguration;
            });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CookieAntiforgery.HeaderName;
            o.Cookie.Name = "orderflow.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, p => p.RequireRole(Policies.Roles.Viewer, Policies.Roles.Editor, Policies.Roles.Admin))
            .AddPolicy(Policies.Editor, p => p.RequireRole(Policies.Roles.Editor, Policies.Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.Roles.Admin))
            .AddPolicy(Policies.AllMerchants, p => p.RequireAuthenticatedUser().RequireAssertion(c => c.User.Merchants() is null))
            .AddPolicy(Policies.Dashboard, p => p.RequireRole(Policies.Roles.Admin).RequireAssertion(c => c.User.Merchants() is null));
        return services;
    }

    /// <summary>The acting ops user, for journals and audit.</summary>
    public static string Actor(this HttpContext context) => "ops:" + (context.User.Identity?.Name ?? "anonymous");

    internal static bool IsBasic(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    // API callers get a status code; people opening the dashboard in a browser get the console's sign-in page.
    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (status == StatusCodes.Status401Unauthorized && context.Request.Path.StartsWithSegments("/hangfire") && HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    // A user removed from configuration, or given another role, is signed out or re-roled on the next request.
    private static Task RefreshFromConfiguration(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var user = name is null ? null : context.HttpContext.RequestServices.GetRequiredService<OpsUserDirectory>().Find(name);
        if (user is null)
        {
            context.RejectPrincipal();
        }
        else if (!context.Principal!.IsInRole(user.Role) || !SameScope(context.Principal, user))
        {
            context.ReplacePrincipal(OpsUserDirectory.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            context.ShouldRenew = true;
        }

        return Task.CompletedTask;
    }

    private static bool SameScope(ClaimsPrincipal principal, OpsUser user) =>
        (principal.Merchants() ?? []).ToHashSet(StringComparer.Ordinal).SetEquals(user.Merchants);

    internal static bool ViaCookie(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };
}
