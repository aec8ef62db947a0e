using System.ComponentModel.DataAnnotations;

namespace OrderFlow.Server.Security;

/// <summary>Ops users from configuration (<c>OrderFlow:Ops</c>). The first admin comes from here.</summary>
public sealed class OpsUsersOptions
{
    public const string Section = "OrderFlow:Ops";

    public List<OpsUser> Users { get; set; } = [];
}

/// <summary>One ops user: a name, a password and a role (viewer, editor or admin).</summary>
public sealed class OpsUser
{
    [Required]
    public string Name { get; set; } = "";

    [Required, MinLength(8)]
    public string Password { get; set; } = "";

    [Required, RegularExpression("^(viewer|editor|admin)$")]
    public string Role { get; set; } = Policies.Roles.Viewer;

    /// <summary>The merchants this user may see and change; empty (the default): every merchant. See <see cref="MerchantScope"/>.</summary>
    public List<string> Merchants { get; set; } = [];
}
