using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OrderFlow.Fulfillment.Security;

/// <summary>Whom an outbound call goes to; each kind has its own switch for private addresses.</summary>
public enum OutboundTarget
{
    /// <summary>A merchant's storefront webhook URL (<see cref="FulfillmentOptions.AllowPrivateWebhookTargets"/>).</summary>
    StorefrontWebhook,

    /// <summary>A supplier's API base URL (<see cref="FulfillmentOptions.AllowPrivateSupplierTargets"/>).</summary>
    Supplier,
}

/// <summary>Name resolution for <see cref="OutboundTargetGuard"/>: DNS in production, a seam for tests of DNS changes.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

/// <summary>The system resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// Refuses outbound targets (storefront webhooks, supplier APIs) that would make the server call into its own network
/// (server-side request forgery): loopback, private, carrier-grade NAT, link-local (cloud metadata), unique-local,
/// multicast and unspecified addresses. Checked when a URL is saved and again on every connection
/// (<see cref="GuardedSocketsHandler"/>), because DNS can change between the two (rebinding).
/// </summary>
public sealed class OutboundTargetGuard(IOptions<FulfillmentOptions> options, IHostResolver resolver)
{
    /// <summary>Whether configuration lets <paramref name="target"/> resolve to private addresses (development, demos, tests).</summary>
    public bool AllowsPrivate(OutboundTarget target) => target switch
    {
        OutboundTarget.Supplier => options.Value.AllowPrivateSupplierTargets,
        _ => options.Value.AllowPrivateWebhookTargets,
    };

    /// <summary>Why <paramref name="url"/> may not be a <paramref name="target"/>, or null when it may.</summary>
    public async Task<string?> CheckUrlAsync(OutboundTarget target, string? url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "The URL must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not contain credentials.";
        }

        if (AllowsPrivate(target))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host {uri.Host} does not resolve.";
        }

        return addresses.Length == 0 ? $"The host {uri.Host} does not resolve."
            : addresses.FirstOrDefault(IsForbidden) is { } bad ? $"The host {uri.Host} resolves to {bad}, a private, loopback or link-local address."
            : null;
    }

    /// <summary>The addresses of <paramref name="host"/> that a <paramref name="target"/> connection may go to; throws when none may.</summary>
    public async Task<IPAddress[]> AllowedAddressesAsync(OutboundTarget target, string host, CancellationToken ct)
    {
        var addresses = await ResolveAsync(host, ct);
        if (AllowsPrivate(target))
        {
            return addresses;
        }

        // All or nothing: a host that mixes public and private answers is a rebinding attempt, not a flaky resolver.
        if (addresses.FirstOrDefault(IsForbidden) is { } bad)
        {
            throw new HttpRequestException($"Refused: {host} resolves to {bad}, a private, loopback or link-local address.");
        }

        return addresses;
    }

    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local
                || address.IsIPv6Teredo || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B); // 64:ff9b::/96 NAT64 can reach private IPv4
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and <= 127,
            169 => v4[1] == 254,
            172 => v4[1] is >= 16 and <= 31,
            192 => (v4[1] == 168) || (v4[1] == 0 && v4[2] is 0 or 2),
            198 => v4[1] is 18 or 19,
            >= 224 => true,
            _ => false,
        };
    }

    // Literals never reach the resolver: a test's resolver only answers names, and DNS is not asked about an address.
    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, ct);
}
