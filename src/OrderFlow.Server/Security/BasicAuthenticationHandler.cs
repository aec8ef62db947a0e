using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrderFlow.Server.Security;

/// <summary>HTTP Basic authentication of ops users, for scripts and the API reference. Passwords compared in constant time.</summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<OpsUsersOptions> users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("Malformed Basic credentials."));
        }

        var separator = decoded.IndexOf(':');
        if (separator <= 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("Malformed Basic credentials."));
        }

        var name = decoded[..separator];
        var password = Encoding.UTF8.GetBytes(decoded[(separator + 1)..]);
        var user = users.CurrentValue.Users.FirstOrDefault(u => u.Name == name);
        // Compare against a dummy when the user is unknown so timing does not reveal which names exist.
        var expected = Encoding.UTF8.GetBytes(user?.Password ?? "\0unknown-user\0");
        var ok = CryptographicOperations.FixedTimeEquals(SHA256.HashData(password), SHA256.HashData(expected)) && user is not null;
        if (!ok)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid user name or password."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user!.Name), new Claim(ClaimTypes.Role, user.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"OrderFlow\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }
}
