using Microsoft.AspNetCore.Http.HttpResults;
using OrderFlow.Fulfillment.Webhooks;
using OrderFlow.Server.Security;

namespace OrderFlow.Server.Apis;

/// <summary>The pull alternative to status webhooks, for storefronts that cannot receive them.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", Read).WithTags("Events").WithName("ReadEventFeed").RequireAuthorization(Policies.Viewer)
            .WithSummary("Status events in order after a cursor (0 from the start), optionally of one merchant; pass nextCursor back as after.");
        return app;
    }

    private static async Task<Results<Ok<EventFeedPage>, ValidationProblem, NotFound<ProblemDetailsBody>>> Read(
        long? after, string? merchant, int? limit, EventFeed feed, HttpContext http, CancellationToken ct)
    {
        if (merchant is not null && !http.User.MaySee(merchant))
        {
            return TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant '{merchant}'."));
        }

        if (after is < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["The cursor is a nextCursor from an earlier page, or 0."] });
        }

        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["The limit must be between 1 and 500."] });
        }

        return TypedResults.Ok(await feed.ReadAsync(after ?? 0, merchant, limit ?? 100, ct, http.User.Merchants()));
    }
}
