using Hangfire.Dashboard;

namespace OrderFlow.Server.Security;

/// <summary>The Hangfire dashboard is for admins of every merchant only, whatever address the request seems to come from.</summary>
public sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User is var user && user.IsInRole(Policies.Roles.Admin) && user.Merchants() is null;
}
