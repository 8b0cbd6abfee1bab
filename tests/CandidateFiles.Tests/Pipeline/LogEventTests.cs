using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace CandidateFiles.Tests.Pipeline;

/// <summary>
/// The attempt log's events (written with [LoggerMessage]) keep their ids, names, levels, message and
/// structured values: what log pipelines filter and index on.
/// </summary>
[TestFixture]
public sealed class LogEventTests
{
    private LoopbackServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task A_success_a_failed_status_and_no_response_are_events_1_2_and_3_with_structured_values()
    {
        _server.OnJson("/ok", 200, "{}");
        _server.OnJson("/busy", 503, "{}");
        var logs = new EventLoggerFactory();
        var options = new ShowsPageOptions { Endpoint = _server.BaseAddress, LoggerFactory = logs };
        options.Retry.MaxRetries = 0;
        using var http = ProviderHttpPipeline.CreateHttpClient(options, Array.Empty<DelegatingHandler>());

        (await http.GetAsync(new Uri(_server.BaseAddress, "ok?page=3&owner=me"))).Dispose();
        (await http.GetAsync(new Uri(_server.BaseAddress, "busy"))).Dispose();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.0.1:{UnusedPort()}/gone")));

        var events = logs.Events.ToArray();
        Assert.That(events.Select(e => (e.Id.Id, e.Id.Name, e.Level)), Is.EqualTo(new[]
        {
            (1, "LogResponse", LogLevel.Information),
            (2, "LogFailedResponse", LogLevel.Warning),
            (3, "LogFailure", LogLevel.Warning),
        }));
        var ok = events[0].Values;
        Assert.Multiple(() =>
        {
            Assert.That(ok["Provider"], Is.EqualTo("Shows-page"));
            Assert.That(ok["Method"], Is.EqualTo("GET"));
            Assert.That(ok["Target"], Is.EqualTo("/ok?page=3&owner=***"));
            Assert.That(ok["Status"], Is.EqualTo(200));
            Assert.That(ok["Attempt"], Is.EqualTo(1));
            Assert.That(ok["ElapsedMs"], Is.TypeOf<double>());
            Assert.That(ok["{OriginalFormat}"], Is.EqualTo("{Provider} {Method} {Target} -> {Status} (attempt {Attempt}, {ElapsedMs:0.0} ms)"));
            Assert.That(events[0].Text, Does.Match(@"^Shows-page GET /ok\?page=3&owner=\*\*\* -> 200 \(attempt 1, \d+\.\d ms\)$"));
            Assert.That(events[1].Values["Status"], Is.EqualTo(503));
            Assert.That(events[2].Values["Failure"], Is.EqualTo(nameof(HttpRequestException)));
        });
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ShowsPageOptions : ProviderClientOptions
    {
        public ShowsPageOptions() => LoggedQueryParameters.Add("page");

        protected internal override string ProviderName => "Shows-page";
    }

    private sealed record LogEvent(EventId Id, LogLevel Level, IReadOnlyDictionary<string, object?> Values, string Text);

    private sealed class EventLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, object?>();
            Events.Enqueue(new LogEvent(eventId, logLevel, values, formatter(state, exception)));
        }
    }
}
