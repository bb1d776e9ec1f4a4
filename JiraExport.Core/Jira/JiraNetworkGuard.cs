using System.Net;
using System.Net.Sockets;

namespace JiraExport.Core.Jira;

/// <summary>
/// Tenants choose the Jira URL and their identity provider's, so neither client may become a way into our own
/// network: it connects only to public addresses (checked after DNS resolution, so a public name pointing inside is
/// refused too), unless
/// <see cref="JiraClientOptions.AllowPrivateNetworks"/> is set — for local runs against the simulator.
/// </summary>
public static class JiraNetworkGuard
{
    /// <summary>
    /// The handler of every client that calls a URL a tenant chose (Jira sites, identity providers): guarded
    /// connections, and no redirects, since a redirect could lead past the address check.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = CreateConnectCallback(allowPrivateNetworks),
    };

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> CreateConnectCallback(bool allowPrivateNetworks) =>
        async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => allowPrivateNetworks || !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new JiraException(JiraFailureKind.BadRequest,
                    $"{context.DnsEndPoint.Host} resolves to a private or local network address, which JiraExport does not connect to. Use the service's public URL.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Link-local fe80::/10, unique local fc00::/7, site-local fec0::/10.
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (address.GetAddressBytes()[0] & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10
            || b[0] == 0
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
    }
}
