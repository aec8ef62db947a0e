using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace OrderFlow.Server.Security;

/// <summary>Checks ops credentials against the configured users, in constant time, for both Basic and cookie sign-in.</summary>
public sealed class OpsUserDirectory(IOptionsMonitor<OpsUsersOptions> users)
{
    public OpsUser? Verify(string name, string password)
    {
        var user = Find(name);
        // Compare against a dummy when the user is unknown so timing does not reveal which names exist.
        var expected = Encoding.UTF8.GetBytes(user?.Password ?? "\0unknown-user\0");
        var ok = CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)), SHA256.HashData(expected));
        return ok ? user : null;
    }

    public OpsUser? Find(string name) => users.CurrentValue.Users.FirstOrDefault(u => u.Name == name);

    public static ClaimsPrincipal Principal(OpsUser user, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role), .. user.Merchants.Select(m => new Claim(MerchantScope.ClaimType, m))],
            scheme));
}
