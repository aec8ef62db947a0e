using System.Security.Claims;
using OrderFlow.Server.Apis;

namespace OrderFlow.Server.Security;

/// <summary>
/// Ops users can be limited to some merchants (<c>OrderFlow:Ops:Users:N:Merchants</c>). Such a user sees only those
/// merchants' orders, subscriptions, secrets, routing rules, notices and events; another merchant's resources answer 404
/// as if they did not exist, and the engine-wide endpoints (instances, incidents, workflow changes, new merchants, the
/// Hangfire dashboard) are for unscoped users only.
/// </summary>
public static class MerchantScope
{
    public const string ClaimType = "orderflow:merchant";

    /// <summary>The merchants the user is limited to, or null when the user sees every merchant.</summary>
    public static IReadOnlyCollection<string>? Merchants(this ClaimsPrincipal user)
    {
        var merchants = user.FindAll(ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return merchants.Count == 0 ? null : merchants;
    }

    public static bool MaySee(this ClaimsPrincipal user, string? merchantId) =>
        user.Merchants() is not { } merchants || (merchantId is not null && merchants.Contains(merchantId));

    /// <summary>Marks a route whose <paramref name="routeValue"/> names a merchant; <see cref="UseMerchantScope"/> enforces it.</summary>
    public static TBuilder ScopedToMerchant<TBuilder>(this TBuilder builder, string routeValue) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MerchantRoute(routeValue));

    /// <summary>
    /// After authorization and before the body is read: another merchant's route answers 404, the same as a merchant that
    /// does not exist, whatever the request carries.
    /// </summary>
    public static IApplicationBuilder UseMerchantScope(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<MerchantRoute>() is { } route
            && context.GetRouteValue(route.RouteValue) as string is var merchantId && !context.User.MaySee(merchantId))
        {
            await TypedResults.NotFound(ProblemDetailsBody.NotFound($"No merchant '{merchantId}'.")).ExecuteAsync(context);
            return;
        }

        await next();
    });

    /// <summary>Endpoint metadata: the route value that names the merchant.</summary>
    public sealed record MerchantRoute(string RouteValue);
}
