namespace OrderFlow.Server.Security;

/// <summary>Ops roles are cumulative: an editor can do what a viewer can, an admin what an editor can.</summary>
public static class Policies
{
    public const string Viewer = "Viewer";
    public const string Editor = "Editor";
    public const string Admin = "Admin";

    /// <summary>Users not limited to some merchants (<see cref="MerchantScope"/>): the engine-wide endpoints need this besides a role.</summary>
    public const string AllMerchants = "AllMerchants";

    /// <summary>The Hangfire dashboard: admins not limited to some merchants.</summary>
    public const string Dashboard = "Dashboard";

    public static class Roles
    {
        public const string Viewer = "viewer";
        public const string Editor = "editor";
        public const string Admin = "admin";
    }
}
