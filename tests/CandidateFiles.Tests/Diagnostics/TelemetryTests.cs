using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Diagnostics;

/// <summary>Spans (ActivityListener) and metrics (MeterListener) of real calls against the sandbox.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TelemetryTests
{
    private SandboxHost _sandbox = null!;
    private ActivityListener _activities = null!;
    private MeterListener _meters = null!;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { HhProcessingDelay = TimeSpan.Zero });
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("CandidateFiles.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("CandidateFiles.", StringComparison.Ordinal) || instrument.Meter.Name == PlatformMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument, value, tags.ToArray())));
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument, value, tags.ToArray())));
        _meters.Start();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _activities.Dispose();
        _meters.Dispose();
        await _sandbox.DisposeAsync();
    }

    [SetUp]
    public void Clear()
    {
        _sandbox.State.Reset();
        _sandbox.State.Faults.Clear();
        _spans.Clear();
        _measurements.Clear();
    }

    private EhrwebResumeClient Ehrweb() => new(new EhrwebResumeClientOptions
    {
        Endpoint = _sandbox.At("external/"),
        TokenEndpoint = _sandbox.At("oauth2/token"),
        GuiNum = SandboxCredentials.EhrwebGuiNum,
        ClientId = SandboxCredentials.EhrwebClientId,
        ClientSecret = SandboxCredentials.EhrwebClientSecret,
    });

    private HrFlowClient HrFlow(string key = SandboxCredentials.HrFlowApiKey) => new(new HrFlowClientOptions { Endpoint = _sandbox.At("v1/"), ApiKey = key });

    /// <summary>.NET's HTTP meter, which records each request's duration (the SDK adds its tags, records no second one).</summary>
    private const string PlatformMeter = "System.Net.Http";
    private const string RequestDuration = "http.client.request.duration";

    /// <summary>.NET's request durations of the SDK's requests by <paramref name="client"/>, told apart by the tag the SDK adds.</summary>
    private IEnumerable<Measurement> PlatformDurations(string client)
        => Of(RequestDuration, PlatformMeter).Where(m => (string?)m.Tag(ProviderDiagnostics.ProviderTag) == client);

    private IEnumerable<Measurement> Of(string instrument, string? meter = null) => _measurements.Where(m => m.Instrument.Name == instrument && (meter is null || m.Instrument.Meter.Name == meter));

    [Test]
    public async Task Each_operation_is_one_client_span_from_the_package_source_with_the_http_attributes()
    {
        using var client = Ehrweb();

        using (var file = await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId))
        {
            await Bytes.ReadAllAsync(file.Stream);
        }

        // The first call also fetches the OAuth token, through the same pipeline: its own span, a child of the operation's.
        var span = _spans.Single(s => s.DisplayName != "EhrwebResume.RequestAccessToken");
        var tokenSpan = _spans.Single(s => s.DisplayName == "EhrwebResume.RequestAccessToken");
        Assert.Multiple(() =>
        {
            Assert.That(tokenSpan.ParentSpanId, Is.EqualTo(span.SpanId), "the token request is part of the operation that needed it");
            Assert.That(tokenSpan.GetTagItem("url.path"), Is.EqualTo("/oauth2/token"));
            Assert.That(span.Source.Name, Is.EqualTo("CandidateFiles.Ehrweb"));
            Assert.That(span.Source.Version, Is.EqualTo(ProviderHttpPipeline.ProductVersion));
            Assert.That(span.DisplayName, Is.EqualTo("EhrwebResume.GetHeadshot"));
            Assert.That(span.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Unset));
            Assert.That(span.GetTagItem(ProviderDiagnostics.ProviderTag), Is.EqualTo("EhrwebResume"));
            Assert.That(span.GetTagItem(ProviderDiagnostics.OperationTag), Is.EqualTo("GetHeadshot"));
            Assert.That(span.GetTagItem(ProviderDiagnostics.AttemptsTag), Is.EqualTo(1));
            Assert.That(span.GetTagItem("http.request.method"), Is.EqualTo("GET"));
            Assert.That(span.GetTagItem("server.address"), Is.EqualTo("127.0.0.1"));
            Assert.That(span.GetTagItem("server.port"), Is.EqualTo(_sandbox.Root.Port));
            Assert.That(span.GetTagItem("url.scheme"), Is.EqualTo("http"));
            Assert.That(span.GetTagItem("url.path"), Is.EqualTo("/external/files/headshot"));
            Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(span.GetTagItem("error.type"), Is.Null);
        });
        var everyTag = _spans.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}").ToArray();
        Assert.That(everyTag, Has.None.Contains(SandboxCredentials.EhrwebHeadshotFileId), "the file token (query) must not be in any span");
        Assert.That(everyTag, Has.None.Contains(SandboxCredentials.EhrwebClientSecret));
    }

    [Test]
    public async Task A_retried_operation_is_one_span_with_its_attempts_and_one_request_metric_per_attempt()
    {
        _sandbox.State.InjectFault("/v1/profile/indexing/attachments", new FaultPlan(SandboxFault.Status) { Status = 503, RetryAfter = "0" });
        using var client = HrFlow();

        await client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key: SandboxCredentials.HrFlowProfileId);

        var span = _spans.Single();
        Assert.That(span.GetTagItem(ProviderDiagnostics.AttemptsTag), Is.EqualTo(2));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(200));
        var durations = PlatformDurations("HrFlow").ToArray();
        var counts = Of(ProviderDiagnostics.RequestCountInstrument, "CandidateFiles.HrFlow").ToArray();
#if NETSTANDARD_BUILD_UNDER_TEST
        // The netstandard2.0 build cannot enrich HttpClient's own durations (an API of .NET 8+; .NET Framework
        // records none): they carry no provider tag. The SDK's own counts and operation duration are the same.
        Assert.Multiple(() =>
        {
            Assert.That(durations, Is.Empty);
            Assert.That(counts.Sum(c => c.Value), Is.EqualTo(2));
            Assert.That(counts.Select(c => c.Tag("http.response.status_code")), Is.EqualTo(new object[] { 503, 200 }));
            Assert.That(Of(ProviderDiagnostics.OperationDurationInstrument, "CandidateFiles.HrFlow").Count(), Is.EqualTo(1));
        });
#else
        Assert.Multiple(() =>
        {
            Assert.That(durations.Select(d => d.Tag("http.response.status_code")), Is.EqualTo(new object[] { 503, 200 }));
            Assert.That(durations[0].Tag("error.type"), Is.EqualTo("503"));
            Assert.That(durations[1].Tag("error.type"), Is.Null);
            Assert.That(durations.All(d => d.Instrument.Unit == "s" && d.Value is > 0 and < 30), Is.True, "durations are in seconds");
            Assert.That(durations.All(d => (string?)d.Tag("http.request.method") == "GET" && (string?)d.Tag("server.address") == "127.0.0.1"), Is.True);
            Assert.That(durations.All(d => (string?)d.Tag(ProviderDiagnostics.OperationTag) == "ListProfileAttachments"), Is.True);
            Assert.That(counts.Sum(c => c.Value), Is.EqualTo(2));
            Assert.That(counts.Select(c => c.Tag("http.response.status_code")), Is.EqualTo(new object[] { 503, 200 }));
            Assert.That(_measurements.Where(m => m.Instrument.Name == RequestDuration && m.Instrument.Meter.Name != PlatformMeter), Is.Empty, "one request duration, .NET's: the SDK records none of its own");
            Assert.That(Of(ProviderDiagnostics.OperationDurationInstrument, "CandidateFiles.HrFlow").Count(), Is.EqualTo(1));
        });
#endif
    }

    [Test]
    public async Task A_failed_operation_has_error_status_and_the_status_code_as_error_type()
    {
        using var client = HrFlow("askr_ffffffffffffffffffffffffffffffff");

        await Assert.ThrowsAsync<HrFlowApiException>(() => client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key: SandboxCredentials.HrFlowProfileId));

        var span = _spans.Single();
        Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(span.GetTagItem("error.type"), Is.EqualTo("401"));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(401));
        var operation = Of(ProviderDiagnostics.OperationDurationInstrument, "CandidateFiles.HrFlow").Single();
        Assert.That(operation.Tag("error.type"), Is.EqualTo("401"));
    }

    [Test]
    public async Task No_response_at_all_gives_the_http_error_kind_as_error_type()
    {
        var port = UnusedPort();
        var options = new HrFlowClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1/"), ApiKey = SandboxCredentials.HrFlowApiKey };
        options.Retry.MaxRetries = 0;
        using var client = new HrFlowClient(options);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListProfileAttachmentsAsync("s", key: "p"));

        var span = _spans.Single();
        Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(span.GetTagItem("error.type"), Is.EqualTo("connection_error"));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.Null);
#if !NETSTANDARD_BUILD_UNDER_TEST // the netstandard2.0 build cannot tag HttpClient's own durations (see above)
        Assert.That(PlatformDurations("HrFlow").Single().Tag("error.type"), Is.EqualTo("connection_error"));
#endif
        Assert.That(Of(ProviderDiagnostics.RequestCountInstrument, "CandidateFiles.HrFlow").Single().Tag("error.type"), Is.EqualTo("connection_error"));
    }

    [Test]
    public async Task Bytes_received_are_counted_as_the_download_is_read()
    {
        const int size = 300_000;
        using var client = Ehrweb();

        using (var file = await client.GetAttachmentAsync(AttachmentType.Attachment, SandboxCredentials.EhrwebLargeFileIdPrefix + size))
        {
            await Bytes.ReadAllAsync(file.Stream);
        }

        var received = Of(ProviderDiagnostics.TransferredBytesInstrument, "CandidateFiles.Ehrweb")
            .Where(m => (string?)m.Tag("network.io.direction") == "receive" && (string?)m.Tag(ProviderDiagnostics.OperationTag) == "GetAttachment")
            .Sum(m => m.Value);
        Assert.That(received, Is.EqualTo(size));
        Assert.That(Of(ProviderDiagnostics.TransferredBytesInstrument, "CandidateFiles.Ehrweb").First(m => (string?)m.Tag("network.io.direction") == "receive" && (string?)m.Tag(ProviderDiagnostics.OperationTag) == "GetAttachment").Instrument.Unit, Is.EqualTo("By"));
    }

    [Test]
    public async Task Bytes_sent_are_counted_for_an_upload()
    {
        using var client = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = _sandbox.Root,
            UserAgent = "TelemetryTests/1.0 (tests@example.com)",
            AccessTokenCallback = (_, _) => new ValueTask<string>(SandboxCredentials.HhApplicantToken),
        });

        await using var image = new System.IO.MemoryStream(SampleFiles.Png.ToArray());
        var artifact = await client.UploadArtifactAsync(ArtifactType.Photo, image, "me.png");

        var sent = Of(ProviderDiagnostics.TransferredBytesInstrument, "CandidateFiles.HeadHunter")
            .Where(m => (string?)m.Tag("network.io.direction") == "transmit" && (string?)m.Tag(ProviderDiagnostics.OperationTag) == "UploadArtifact")
            .Sum(m => m.Value);
        Assert.That(sent, Is.GreaterThan(SampleFiles.Png.Length), "the multipart body, image included");
        // The upload is checked against the photo upload conditions first, fetched in a span of their own.
        Assert.That(_spans.Select(s => s.DisplayName), Is.EqualTo(new[] { "HeadHunter.GetPhotoConditions", "HeadHunter.UploadArtifact" }));
        await client.DeleteArtifactAsync(artifact.Id);
    }

    private static int UnusedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed record Measurement(Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }
}
