using Microsoft.AspNetCore.Authentication;

namespace OrderFlow.Server.Security;

/// <summary>Registers ops authentication and the cumulative role policies.</summary>
public static class AuthenticationExtensions
{
    public static IServiceCollection AddOrderFlowAuthentication(this IServiceCollection services)
    {
        services.AddOptions<OpsUsersOptions>().BindConfiguration(OpsUsersOptions.Section).ValidateOnStart()
            .Validate(o => o.Users.All(u => u.Password.Length >= 8 && u.Role is Policies.Roles.Viewer or Policies.Roles.Editor or Policies.Roles.Admin),
                "Every ops user needs a password of at least 8 characters and a role of viewer, editor or admin.");
        services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, p => p.RequireRole(Policies.Roles.Viewer, Policies.Roles.Editor, Policies.Roles.Admin))
            .AddPolicy(Policies.Editor, p => p.RequireRole(Policies.Roles.Editor, Policies.Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.Roles.Admin));
        return services;
    }

    /// <summary>The acting ops user, for journals and audit.</summary>
    public static string Actor(this HttpContext context) => "ops:" + (context.User.Identity?.Name ?? "anonymous");
}
