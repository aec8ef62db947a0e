using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>The console's cookie sign-in: sign in, sign out, and who am I (which also hands out the antiforgery token).</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", Login).WithName("SignIn").AllowAnonymous()
            .WithSummary("Signs an ops user in with a cookie; later state-changing requests must send the X-XSRF-TOKEN header.");
        group.MapPost("/logout", (Delegate)Logout).WithName("SignOut").RequireAuthorization(Policies.Viewer);
        group.MapGet("/me", Me).WithName("GetCurrentUser").RequireAuthorization(Policies.Viewer)
            .WithSummary("The signed-in user and role; refreshes the XSRF-TOKEN cookie.");
        return app;
    }

    private static async Task<Results<Ok<CurrentUser>, ValidationProblem, UnauthorizedHttpResult>> Login(
        LoginRequest request, OpsUserDirectory directory, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Enter your user name."] });
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["Enter your password."] });
        }

        if (directory.Verify(request.Name, request.Password) is not { } user)
        {
            return TypedResults.Unauthorized();
        }

        var principal = OpsUserDirectory.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        http.User = principal;
        CookieAntiforgery.IssueRequestToken(http);
        return TypedResults.Ok(new CurrentUser(user.Name, user.Role));
    }

    private static async Task<NoContent> Logout(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        http.Response.Cookies.Delete(CookieAntiforgery.RequestTokenCookie);
        return TypedResults.NoContent();
    }

    private static Ok<CurrentUser> Me(HttpContext http)
    {
        if (http.User.ViaCookie())
        {
            CookieAntiforgery.IssueRequestToken(http);
        }

        var role = new[] { Policies.Roles.Admin, Policies.Roles.Editor, Policies.Roles.Viewer }.First(http.User.IsInRole);
        return TypedResults.Ok(new CurrentUser(http.User.Identity!.Name!, role));
    }
}

/// <summary>Ops credentials for the console's sign-in.</summary>
public sealed record LoginRequest(string Name, string Password);

/// <summary>The signed-in ops user and their role (viewer, editor or admin).</summary>
public sealed record CurrentUser(string Name, string Role);
