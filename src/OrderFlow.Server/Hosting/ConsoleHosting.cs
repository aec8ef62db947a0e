using OrderFlow.Server.Apis;

namespace OrderFlow.Server.Hosting;

/// <summary>
/// The ops console: security headers on its pages, and client-side routes falling back to <c>index.html</c>. Paths that
/// belong to the server (<c>/api</c>, <c>/hangfire</c>, <c>/health</c>, <c>/webhooks</c>) are never answered with the console.
/// </summary>
public static class ConsoleHosting
{
    private static readonly string[] ServerPrefixes = ["/api", "/hangfire", "/health", "/webhooks"];

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string NotBuiltPage = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>OrderFlow</title></head>
        <body><h1>OrderFlow</h1><p>The server is running, but the console is not built. Build it with
        <code>./orderflow up</code> (or <code>npm ci &amp;&amp; npm run build</code> in <code>src/OrderFlow.Designer</code>).
        Meanwhile: <a href="/api/docs">API reference</a>, <a href="/hangfire">background jobs</a>.</p></body></html>
        """;

    /// <summary>Adds the headers; call before the static files so they carry them too.</summary>
    public static IApplicationBuilder UseConsoleSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The API reference and the Hangfire dashboard ship their own inline scripts; everything else is the console or JSON.
        if (!context.Request.Path.StartsWithSegments("/api/docs") && !context.Request.Path.StartsWithSegments("/hangfire"))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        return next(context);
    });

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapFallback(ServeConsole).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult ServeConsole(HttpContext context, IWebHostEnvironment environment)
    {
        if (ServerPrefixes.Any(prefix => context.Request.Path.StartsWithSegments(prefix)))
        {
            return TypedResults.NotFound(ProblemDetailsBody.NotFound($"Nothing at {context.Request.Path}."));
        }

        context.Response.Headers.CacheControl = "no-cache";
        var index = environment.WebRootFileProvider.GetFileInfo("index.html");
        return index is { Exists: true, PhysicalPath: not null }
            ? TypedResults.PhysicalFile(index.PhysicalPath, "text/html; charset=utf-8")
            : TypedResults.Content(NotBuiltPage, "text/html; charset=utf-8");
    }
}
