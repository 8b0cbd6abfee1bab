using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace CandidateFiles.Tests.Contract;

/// <summary>
/// Prism 5 (<c>prism mock --errors</c>, npm <c>@stoplight/prism-cli</c>) on 127.0.0.1 serving one provider's own
/// OpenAPI document: it validates every request against the document and, with <c>--errors</c>, answers a
/// request that violates it with an error (422, 401, or the document's own 4xx) instead of a mock response.
/// </summary>
public sealed partial class PrismServer : IAsyncDisposable
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(10);
    private readonly NodeProcess _node;

    private PrismServer(NodeProcess node, Uri baseAddress)
    {
        _node = node;
        BaseAddress = baseAddress;
    }

    /// <summary>Prism's root, for example http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts Prism on a free loopback port serving <paramref name="document"/> and waits until it listens.</summary>
    public static async Task<PrismServer> StartAsync(string document)
    {
        // Prism takes a port number, not 0: a free one is picked and released first, so another process can
        // take it in between. Prism then exits at once (EADDRINUSE) and a new port is tried.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
            try
            {
                var (node, address) = await NodeProcess.StartAsync("prism.js", ["mock", "--host", "127.0.0.1", "--port", port, "--errors", document], ListeningLine());
                return new PrismServer(node, new Uri(address.TrimEnd('/') + "/"));
            }
            catch (InvalidOperationException exception) when (attempt < 3 && exception.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>
    /// A transport for a client under test: real sockets to Prism, recording each exchange's status (and the
    /// body of a non-2xx answer) as Prism sent it, before the client's own handling.
    /// </summary>
    public static RecordingTransport CreateTransport() => new();

    /// <summary>
    /// Runs <paramref name="call"/> (one operation through a real client whose transport is
    /// <paramref name="transport"/>) and asserts that Prism validated every request it sent and found no
    /// violation: its log says each passed the validation rules, and each answer is a 2xx mock response.
    /// </summary>
    /// <returns>What the call threw, or null: a mock answer need not be one the client can use.</returns>
    public async Task<Exception?> AssertAcceptsAsync(RecordingTransport transport, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(call);
        var mark = _node.Log.Count;
        transport.Exchanges.Clear();
        Exception? thrown = null;
        try
        {
            await call();
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        // Only what went to Prism: a client's token call shares the transport and goes to its own server.
        var exchanges = transport.Exchanges.Where(e => e.Authority == BaseAddress.Authority).ToArray();
        Assert.That(exchanges, Is.Not.Empty, "the client sent nothing to Prism: " + thrown);
        var log = (await _node.WaitForLogAsync(lines => lines.Skip(mark).Count(IsValidationVerdict) >= exchanges.Length, LogWait)).Skip(mark).ToArray();
        var report = string.Join(Environment.NewLine, transport.Exchanges.Select(e => e.ToString()))
            + Environment.NewLine + "Prism's log:" + Environment.NewLine + string.Join(Environment.NewLine, log)
            + (thrown is null ? string.Empty : Environment.NewLine + "The call threw: " + thrown);
        Assert.Multiple(() =>
        {
            Assert.That(log.Count(line => line.Contains("The request passed the validation rules", StringComparison.Ordinal)), Is.EqualTo(exchanges.Length), "Prism validated every request and passed it\n" + report);
            Assert.That(log.Where(line => line.Contains("[VALIDATOR]", StringComparison.Ordinal) && line.Contains('✖')), Is.Empty, "Prism's validation errors\n" + report);
            Assert.That(exchanges.Select(e => e.Status), Has.All.InRange(200, 299), "Prism answered every request with a mock response, not an error\n" + report);
        });
        return thrown;
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private static bool IsValidationVerdict(string line)
        => line.Contains("[VALIDATOR]", StringComparison.Ordinal)
           && (line.Contains("The request passed the validation rules", StringComparison.Ordinal) || line.Contains("Request did not pass the validation rules", StringComparison.Ordinal));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Prism is listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}

/// <summary>A client's innermost handler in the contract tests: real sockets, every exchange recorded.</summary>
public sealed class RecordingTransport : DelegatingHandler
{
    public RecordingTransport()
        : base(new SocketsHttpHandler())
    {
    }

    public ConcurrentQueue<Exchange> Exchanges { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        string? body = null;
        if (!response.IsSuccessStatusCode)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        Exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri?.Authority ?? string.Empty, request.RequestUri?.PathAndQuery ?? string.Empty, (int)response.StatusCode, body));
        return response;
    }

    public sealed record Exchange(string Method, string Authority, string PathAndQuery, int Status, string? ErrorBody)
    {
        public override string ToString() => $"{Method} {PathAndQuery} -> {Status}{(ErrorBody is null ? string.Empty : " " + ErrorBody)}";
    }
}
