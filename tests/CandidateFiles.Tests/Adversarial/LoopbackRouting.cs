using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// A transport (<see cref="SocketsHttpHandler"/>) whose connect callback sends every host:port to a loopback
/// listener instead of the network: outside addresses (<c>api.hh.ru:443</c>, <c>169.254.169.254:80</c>) map
/// to the listeners registered for them, loopback addresses to themselves, anything else is refused. Every
/// connect attempt is recorded, so a test sees where the client would have connected without leaving the machine.
/// </summary>
public sealed class LoopbackRouting
{
    private readonly ConcurrentDictionary<string, RawTcpServer> _routes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every connect attempt as "host:port", in order.</summary>
    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>Sends connections for <paramref name="host"/>:<paramref name="port"/> to <paramref name="server"/>.</summary>
    public LoopbackRouting Map(string host, int port, RawTcpServer server)
    {
        _routes[host + ":" + port] = server;
        return this;
    }

    /// <summary>Where connections to <paramref name="authority"/> ("host:port") go, or null when refused.</summary>
    public RawTcpServer? RouteOf(string authority) => _routes.TryGetValue(authority, out var server) ? server : null;

    /// <summary>Socket send buffer of new connections, or null for the system's (which can swallow megabytes of an upload at once).</summary>
    public int? SendBufferBytes { get; set; }

    /// <summary>A new transport over these routes (does not follow redirects itself, as the SDK requires).</summary>
    public SocketsHttpHandler CreateTransport() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<System.IO.Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var authority = context.DnsEndPoint.Host + ":" + context.DnsEndPoint.Port;
        Attempts.Enqueue(authority);
        IPEndPoint target;
        if (_routes.TryGetValue(authority, out var server))
        {
            target = new IPEndPoint(IPAddress.Loopback, server.Port);
        }
        else if (IPAddress.TryParse(context.DnsEndPoint.Host, out var address) && IPAddress.IsLoopback(address))
        {
            target = new IPEndPoint(address, context.DnsEndPoint.Port);
        }
        else
        {
            // Never resolve or reach a real host from a test.
            throw new SocketException((int)SocketError.HostUnreachable);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (SendBufferBytes is { } sendBuffer)
        {
            socket.SendBufferSize = sendBuffer;
        }

        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
