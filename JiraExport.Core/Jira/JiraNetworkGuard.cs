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
        // Through a proxy, the guard would check the proxy's address, not the target's.
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = CreateConnectCallback(allowPrivateNetworks),
    };

    private static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> CreateConnectCallback(bool allowPrivateNetworks) =>
        async (context, cancellationToken) =>
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            }
            catch (SocketException)
            {
                addresses = [];
            }

            var allowed = addresses.Where(a => allowPrivateNetworks || !IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                // One answer for a name that does not resolve and one that resolves inside: a tenant cannot probe our network's names.
                throw new JiraException(JiraFailureKind.BadRequest,
                    $"{context.DnsEndPoint.Host} does not resolve to a public address, and JiraExport connects to nothing else. Use the service's public URL.");
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

    /// <summary>
    /// Whether the address is anything but public unicast: private, loopback, link-local, shared, reserved, multicast, or
    /// (IPv6) outside global unicast <c>2000::/3</c> or in a prefix that carries an IPv4 address (6to4, Teredo) — so
    /// NAT64 and IPv4-compatible forms of an inside address are refused too.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var globalUnicast = (b[0] & 0xE0) == 0x20;
            var sixToFour = b[0] == 0x20 && b[1] == 0x02;
            var teredo = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0;
            var documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8;
            return !globalUnicast || sixToFour || teredo || documentation;
        }

        return b[0] == 0 // "this network"
            || b[0] == 10
            || b[0] == 127
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
            || b[0] >= 224; // multicast, reserved, broadcast
    }
}
