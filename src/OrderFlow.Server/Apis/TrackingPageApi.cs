using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Tracking;

namespace OrderFlow.Server.Apis;

/// <summary>The customer's tracking page at the unguessable link from the e-mails: no login, no script.</summary>
public static class TrackingPageApi
{
    private const string Policy = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapTrackingPageApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/track").WithTags("Tracking page").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/assets/track.css", Stylesheet).WithName("TrackingPageStylesheet");
        group.MapGet("/{token}", Page).WithName("TrackingPage");
        return app;
    }

    private static async Task<Results<ContentHttpResult, NotFound<string>>> Page(string token, TrackingPage pages, HttpContext http, CancellationToken ct)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        // The token is the key to the page: never leak it to the carrier's site in a Referer, never cache or index it.
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.CacheControl = "no-store";
        return await pages.FindAsync(token, ct) is { } model
            ? TypedResults.Content(TrackingPageHtml.Render(model), "text/html; charset=utf-8")
            : TypedResults.NotFound("No order is tracked at this link.");
    }

    private static ContentHttpResult Stylesheet(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Content(TrackingPageStyles.Css, "text/css; charset=utf-8");
    }
}
