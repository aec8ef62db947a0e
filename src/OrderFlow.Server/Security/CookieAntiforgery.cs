using Microsoft.AspNetCore.Antiforgery;
using OrderFlow.Server.Apis;

namespace OrderFlow.Server.Security;

/// <summary>
/// Requires an antiforgery token on every state-changing request authenticated by the console's cookie. Scripts using
/// Basic credentials send no cookie a browser could forge, and the Hangfire dashboard checks its own token.
/// </summary>
public static class CookieAntiforgery
{
    /// <summary>The header the console sends the request token in.</summary>
    public const string HeaderName = "X-XSRF-TOKEN";

    /// <summary>A script-readable cookie holding the request token for the console.</summary>
    public const string RequestTokenCookie = "XSRF-TOKEN";

    public static IApplicationBuilder UseCookieAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (RequiresToken(context))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new ProblemDetailsBody
                {
                    Status = 400,
                    Title = "Missing or invalid antiforgery token",
                    Detail = $"Requests signed in with the console's cookie must send the {HeaderName} header.",
                }, options: null, contentType: "application/problem+json");
                return;
            }
        }

        await next();
    });

    /// <summary>Issues a fresh request token for the current user (call after the user changes: sign-in, sign-out).</summary>
    public static void IssueRequestToken(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        context.Response.Cookies.Append(RequestTokenCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
    }

    private static bool RequiresToken(HttpContext context) =>
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ||
          HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method))
        && !context.Request.Path.StartsWithSegments("/hangfire")
        && context.User.ViaCookie();
}
