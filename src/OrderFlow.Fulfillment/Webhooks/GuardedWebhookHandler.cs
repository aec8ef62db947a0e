using System.Net.Sockets;

namespace OrderFlow.Fulfillment.Webhooks;

/// <summary>
/// The storefront webhook client's socket handler: every connection goes only to addresses <see cref="WebhookTargetGuard"/>
/// allows, checked at connect time so a DNS answer that changed since the subscription was saved cannot reach inside.
/// </summary>
public static class GuardedWebhookHandler
{
    public static SocketsHttpHandler Create(WebhookTargetGuard guard) => new()
    {
        // 3xx counts as a failure (DOMAIN.md); following it would also let a public host bounce us inward.
        AllowAutoRedirect = false,
        // A proxy would be the address checked, not the storefront.
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await guard.AllowedAddressesAsync(context.DnsEndPoint.Host, ct);
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
