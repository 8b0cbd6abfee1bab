using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// A raw TCP server on 127.0.0.1 that answers HTTP/1.1 requests with whatever bytes its script writes: any
/// status line and headers, a Content-Length that lies, a body dripped byte by byte, an endless flood, a
/// connection reset or a silent close. Unlike Kestrel it enforces nothing. It records every request as it
/// arrived (which listener, request line, headers, body) and counts the connections clients still hold open.
/// </summary>
public sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = new();
    private readonly Task _accepting;
    private int _open;
    private int _accepted;

    /// <summary>Starts listening.</summary>
    /// <param name="name">Names this listener in recordings and failure messages (for example "api", "token", "trap").</param>
    /// <param name="script">Answers one request; runs once per request, on the connection it came on.</param>
    public RawTcpServer(string name, Func<RawExchange, Task> script)
    {
        Name = name;
        Script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>This listener's name.</summary>
    public string Name { get; }

    /// <summary>
    /// Most bytes of each request body kept in <see cref="RawRequest.Body"/> (the rest is read and dropped, its length
    /// recorded): a scenario that uploads megabytes keeps the listener's own allocation out of the call's figures.
    /// </summary>
    public int KeepBodyBytes { get; set; } = int.MaxValue;

    /// <summary>Socket receive buffer of connections accepted from now on (small: the sender feels a slow reader at once).</summary>
    public int ReceiveBufferBytes
    {
        get => _listener.Server.ReceiveBufferSize;
        set => _listener.Server.ReceiveBufferSize = value;
    }

    /// <summary>
    /// When set, the script answers after this many body bytes (0: as soon as the headers are in), the rest unread: a
    /// server refusing an upload early (413, a multipart parser's error). Otherwise the whole body is read first,
    /// after a <c>100 Continue</c> when the client asked for one.
    /// </summary>
    public long? AnswerAfterBodyBytes { get; set; }

    /// <summary>Pause before each read of request body bytes (at most 16 KiB a read): a server that takes uploads slowly, or not at all.</summary>
    public TimeSpan BodyReadPause { get; set; }

    /// <summary>The script; may be replaced between calls.</summary>
    public Func<RawExchange, Task> Script { get; set; }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<RawRequest> Requests { get; } = new();

    /// <summary>Connections accepted and not yet closed by either side.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>A script that answers every request with one fixed response.</summary>
    public static Func<RawExchange, Task> Always(int status, string contentType, string body, params (string Name, string Value)[] headers)
        => exchange => exchange.RespondAsync(status, contentType, Encoding.UTF8.GetBytes(body), headers);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _open);
            _connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var connection = Volatile.Read(ref _accepted);
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var reader = new RequestReader(stream);
            while (!_stop.IsCancellationRequested)
            {
                var request = await reader.ReadAsync(Name, connection, KeepBodyBytes, BodyReadPause, AnswerAfterBodyBytes, _stop.Token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                Requests.Enqueue(request);
                var exchange = new RawExchange(request, socket, stream, _stop.Token);
                await Script(exchange).ConfigureAwait(false);
                if (exchange.Closed)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the script cut the connection: both are scenarios, not failures.
        }
        finally
        {
            try
            {
                socket.Dispose();
            }
            catch (ObjectDisposedException)
            {
            }

            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>Reads HTTP/1.1 requests (Content-Length or chunked bodies) off one connection.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private const int MaxHead = 64 * 1024;
        private const int MaxBody = 32 * 1024 * 1024;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;
        private TimeSpan _pause;

        public async Task<RawRequest?> ReadAsync(string listener, int connection, int keep, TimeSpan pause, long? answerAfter, CancellationToken cancellationToken)
        {
            _pause = pause;
            var head = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
            if (head is null)
            {
                return null;
            }

            var lines = head.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(colon < 0 ? line : line[..colon], colon < 0 ? string.Empty : line[(colon + 1)..].Trim()));
            }

            string? Header(string name) => headers.LastOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
            byte[] body;
            long? received = null;
            var expectsContinue = Header("Expect")?.Equals("100-continue", StringComparison.OrdinalIgnoreCase) == true;
            if (answerAfter is { } early)
            {
                if (early > 0 && expectsContinue)
                {
                    // Like Node and nginx: the body is asked for, then refused part-way.
                    await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                }

                body = early > 0 ? await ReadExactlyAsync((int)Math.Min(early, keep), cancellationToken).ConfigureAwait(false) : [];
                if (early > body.Length)
                {
                    await SkipAsync(early - body.Length, cancellationToken).ConfigureAwait(false);
                }

                return new RawRequest(listener, connection, requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty, headers, body) { ReceivedLength = early };
            }

            if (expectsContinue)
            {
                await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            if (Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            {
                body = await ReadChunkedAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var length = long.TryParse(Header("Content-Length"), out var declared) ? declared : 0;
                body = await ReadExactlyAsync((int)Math.Min(Math.Min(length, MaxBody), keep), cancellationToken).ConfigureAwait(false);
                if (length > body.Length)
                {
                    await SkipAsync(length - body.Length, cancellationToken).ConfigureAwait(false);
                    received = length;
                }
            }

            return new RawRequest(listener, connection, requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty, headers, body) { ReceivedLength = received };
        }

        private async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var end = IndexOf(_buffer.AsSpan(_start, _end - _start), "\r\n\r\n"u8);
                if (end >= 0)
                {
                    var text = Encoding.Latin1.GetString(_buffer, _start, end);
                    _start += end + 4;
                    return text;
                }

                if (_end - _start >= MaxHead)
                {
                    throw new IOException("request head too long");
                }

                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                    {
                    }

                    return body.ToArray();
                }

                body.Write(await ReadExactlyAsync(size, cancellationToken).ConfigureAwait(false));
                await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (body.Length > MaxBody)
                {
                    throw new IOException("request body too long");
                }
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var end = IndexOf(_buffer.AsSpan(_start, _end - _start), "\r\n"u8);
                if (end >= 0)
                {
                    var text = Encoding.Latin1.GetString(_buffer, _start, end);
                    _start += end + 2;
                    return text;
                }

                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException("connection closed inside a chunked body");
                }
            }
        }

        private async Task SkipAsync(long count, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_end == _start && !await FillBodyAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException("connection closed inside a body");
                }

                var take = (int)Math.Min(count, _end - _start);
                _start += take;
                count -= take;
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            var copied = 0;
            while (copied < count)
            {
                if (_end == _start && !await FillBodyAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new IOException("connection closed inside a body");
                }

                var take = Math.Min(count - copied, _end - _start);
                Array.Copy(_buffer, _start, result, copied, take);
                _start += take;
                copied += take;
            }

            return result;
        }

        private async Task<bool> FillBodyAsync(CancellationToken cancellationToken)
        {
            if (_pause > TimeSpan.Zero)
            {
                await Task.Delay(_pause, cancellationToken).ConfigureAwait(false);
            }

            return await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("request head too long");
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _end += read;
            return read > 0;
        }

        private static int IndexOf(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value) => span.IndexOf(value);
    }
}

/// <summary>One request as it arrived at a <see cref="RawTcpServer"/>.</summary>
/// <param name="Listener">The listener's name.</param>
/// <param name="Connection">Which accepted connection (1-based) it came on.</param>
/// <param name="Method">The method.</param>
/// <param name="Target">The request target (path and query, as sent).</param>
/// <param name="Headers">Headers in arrival order.</param>
/// <param name="Body">The body bytes.</param>
public sealed record RawRequest(string Listener, int Connection, string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The body's whole length when only part of it was kept (<see cref="RawTcpServer.KeepBodyBytes"/>); else null.</summary>
    public long? ReceivedLength { get; init; }

    /// <summary>How many body bytes came, kept or not.</summary>
    public long Length => ReceivedLength ?? Body.Length;

    /// <summary>The last value of a header, or null.</summary>
    public string? Header(string name) => Headers.LastOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Everything the client sent, as text (for secret scanning).</summary>
    public string Text => $"{Method} {Target}\n{string.Join("\n", Headers.Select(h => h.Key + ": " + h.Value))}\n\n{Encoding.UTF8.GetString(Body)}";
}

/// <summary>What a script may do with one request: write any bytes, slowly or not, then keep, close or reset the connection.</summary>
public sealed class RawExchange
{
    private readonly Socket _socket;
    private readonly Stream _stream;

    internal RawExchange(RawRequest request, Socket socket, Stream stream, CancellationToken stopping)
    {
        Request = request;
        _socket = socket;
        _stream = stream;
        Stopping = stopping;
    }

    /// <summary>The request being answered.</summary>
    public RawRequest Request { get; }

    /// <summary>Cancelled when the server stops.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>True once the script closed or reset the connection.</summary>
    public bool Closed { get; private set; }

    /// <summary>Writes bytes as they are.</summary>
    public async Task WriteAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, Stopping).ConfigureAwait(false);
        await _stream.FlushAsync(Stopping).ConfigureAwait(false);
    }

    /// <summary>Writes text as Latin-1 bytes (header bytes as they go on the wire).</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.Latin1.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> in pieces of <paramref name="chunk"/> bytes, <paramref name="pause"/> apart.</summary>
    public async Task DripAsync(byte[] bytes, int chunk, TimeSpan pause)
    {
        for (var at = 0; at < bytes.Length; at += chunk)
        {
            await WriteAsync(bytes[at..Math.Min(bytes.Length, at + chunk)]).ConfigureAwait(false);
            await Task.Delay(pause, Stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="pattern"/> again and again until the client stops reading or <paramref name="limit"/> bytes are out.</summary>
    public async Task FloodAsync(byte[] pattern, long limit)
    {
        var block = Enumerable.Repeat(pattern, Math.Max(1, 16 * 1024 / pattern.Length)).SelectMany(b => b).ToArray();
        for (long sent = 0; sent < limit; sent += block.Length)
        {
            await WriteAsync(block).ConfigureAwait(false);
        }
    }

    /// <summary>A status line, headers (Content-Length set to <paramref name="declaredLength"/>, or the body's length when null; -1 leaves it out) and the body.</summary>
    public Task RespondAsync(int status, string? contentType, byte[] body, IEnumerable<(string Name, string Value)>? headers = null, long? declaredLength = null)
        => WriteAsync(Head(status, contentType, declaredLength ?? body.Length, headers).Concat(body).ToArray());

    /// <summary>The head of a response, as bytes.</summary>
    public static byte[] Head(int status, string? contentType, long contentLength, IEnumerable<(string Name, string Value)>? headers = null)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} Status{status}\r\n");
        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (contentLength >= 0)
        {
            head.Append("Content-Length: ").Append(contentLength).Append("\r\n");
        }

        foreach (var (name, value) in headers ?? [])
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    /// <summary>Closes the connection after a clean shutdown of the send side.</summary>
    public void Close()
    {
        Closed = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Close();
    }

    /// <summary>Resets the connection (TCP RST): the client sees "connection reset".</summary>
    public void Reset()
    {
        Closed = true;
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }
}
