using System.Net.Sockets;

namespace OrderFlow.Fulfillment.Security;

/// <summary>
/// The socket handler of the storefront webhook and supplier clients: every connection goes only to addresses
/// <see cref="OutboundTargetGuard"/> allows, checked at connect time so a DNS answer that changed since the URL was saved
/// cannot reach inside.
/// </summary>
public static class GuardedSocketsHandler
{
    public static SocketsHttpHandler Create(OutboundTargetGuard guard, OutboundTarget target) => new()
    {
        // Webhooks: 3xx counts as a failure (DOMAIN.md). Both: following one would let a public host bounce us inward.
        AllowAutoRedirect = false,
        // A proxy would be the address checked, not the storefront or supplier.
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await guard.AllowedAddressesAsync(target, context.DnsEndPoint.Host, ct);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
