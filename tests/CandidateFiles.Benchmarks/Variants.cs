using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace CandidateFiles.Benchmarks;

/// <summary>The work every scenario runs, once per client variant.</summary>
public abstract class Variant : IDisposable
{
    public const string FunCode = "wf010";

    /// <summary>hh.ru: first page of the applicant's photos (20 items).</summary>
    public abstract Task<int> ListPhotosAsync(CancellationToken cancellationToken);

    /// <summary>104: a headshot of <paramref name="size"/> bytes, read to its end.</summary>
    public abstract Task<long> HeadshotAsync(long size, CancellationToken cancellationToken);

    /// <summary>104: an attachment of <paramref name="size"/> bytes, streamed to <paramref name="path"/>.</summary>
    public abstract Task<long> DownloadToFileAsync(long size, string path, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>HR Max: upload the file at <paramref name="path"/>; returns the size the server saw.</summary>
    public abstract Task<long> HrMaxUploadAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>hh.ru: upload the image at <paramref name="path"/> as a photo; returns the artifact id.</summary>
    public abstract Task<string> HeadHunterUploadAsync(string path, CancellationToken cancellationToken);

    public abstract void Dispose();

    public static Variant Create(string name, Uri root, ILoggerFactory? logging = null) => name switch
    {
        "raw" => new RawVariant(root),
        "nswag" => new BareNSwagVariant(root),
        "refit" => new RefitVariant(root),
        "ours" => new OurVariant(root, logging),
        "ours-unlogged" => new OurVariant(root, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance),
        _ => throw new ArgumentException($"unknown variant '{name}' (raw, nswag, refit, ours)", nameof(name)),
    };

    public static readonly string[] Names = ["raw", "nswag", "refit", "ours"];

    /// <summary>The upload stream every variant opens: asynchronous, sequential, as FileContentTypes.OpenForUpload does.</summary>
    internal static FileStream OpenUpload(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    internal static SocketsHttpHandler Transport() => new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
}

/// <summary>
/// The 104 client-credentials token as a careful engineer caches it for hand-written clients: fetched once,
/// single-flight (50 concurrent first calls send one token request), then reused.
/// </summary>
internal sealed class HandWrittenTokenCache(HttpClient http, Uri tokenEndpoint)
{
    private readonly object _gate = new();
    private Task<string>? _token;

    public Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref _token);
        if (token is { IsCompletedSuccessfully: true })
        {
            return token;
        }

        lock (_gate)
        {
            if (_token is null || _token.IsFaulted || _token.IsCanceled)
            {
                _token = FetchAsync(cancellationToken);
            }

            return _token;
        }
    }

    private async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "ehrweb_resume",
            ["client_id"] = BenchServer.ClientId,
            ["client_secret"] = BenchServer.ClientSecret,
        });
        using var response = await http.PostAsync(tokenEndpoint, form, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var json = Newtonsoft.Json.Linq.JObject.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return (string?)json["access_token"] ?? throw new InvalidOperationException("no access_token");
    }
}

/// <summary>Adds the bearer token to each request, for the generated and Refit clients that have no auth of their own.</summary>
internal sealed class BearerHandler(Func<CancellationToken, Task<string>> token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

// ------------------------------------------------------------------------------------------------ 1. raw

/// <summary>
/// Variant 1, the baseline: HttpClient code as a careful engineer writes it. One HttpClient over a
/// SocketsHttpHandler, ResponseHeadersRead, streams copied with pooled buffers, JSON bodies buffered
/// (async) and then read with one cached Newtonsoft serializer into the same DTO types, the token
/// cached once.
/// </summary>
internal sealed class RawVariant : Variant
{
    private static readonly JsonSerializer Json = JsonSerializer.CreateDefault();
    private readonly HttpClient _http;
    private readonly HandWrittenTokenCache _ehrwebToken;

    public RawVariant(Uri root)
    {
        _http = new HttpClient(Transport()) { BaseAddress = root };
        _ehrwebToken = new HandWrittenTokenCache(_http, new Uri(root, "oauth2/token"));
    }

    public override async Task<int> ListPhotosAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "artifacts/photo?page=0&per_page=20");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchServer.Token);
        request.Headers.TryAddWithoutValidation("HH-User-Agent", BenchServer.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var list = await ReadJsonAsync<ArtifactList>(response, cancellationToken).ConfigureAwait(false);
        return list.Items.Count;
    }

    public override async Task<long> HeadshotAsync(long size, CancellationToken cancellationToken)
    {
        using var response = await GetFileAsync("external/files/headshot?fileId=large-" + size, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var counter = new CountingStream();
        await body.CopyToAsync(counter, cancellationToken).ConfigureAwait(false);
        return counter.Length;
    }

    public override async Task<long> DownloadToFileAsync(long size, string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var response = await GetFileAsync("external/files/attachment?type=1&fileId=large-" + size, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        return file.Length;
    }

    public override async Task<long> HrMaxUploadAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var file = OpenUpload(path);
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(FunCode), "funCode");
        var part = new StreamContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "attachment", Path.GetFileName(path));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/file/attach") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchServer.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync<AttachedFile>(response, cancellationToken).ConfigureAwait(false)).FileSize;
    }

    public override async Task<string> HeadHunterUploadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = OpenUpload(path);
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent("photo"), "type");
        var part = new StreamContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(part, "file", Path.GetFileName(path));
        using var request = new HttpRequestMessage(HttpMethod.Post, "artifacts") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchServer.Token);
        request.Headers.TryAddWithoutValidation("HH-User-Agent", BenchServer.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync<Artifact>(response, cancellationToken).ConfigureAwait(false)).Id;
    }

    public override void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> GetFileAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _ehrwebToken.GetAsync(cancellationToken).ConfigureAwait(false));
        request.Headers.TryAddWithoutValidation("104-Additional-Info", "guiNum=" + BenchServer.GuiNum);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new HttpRequestException($"status {(int)response.StatusCode}");
        }

        return response;
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Newtonsoft reads synchronously: buffer the body first so no read blocks a thread-pool thread on the socket.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        using var json = new JsonTextReader(reader);
        return Json.Deserialize<T>(json) ?? throw new InvalidOperationException("null body");
    }
}

// ------------------------------------------------------------------------------------------------ 2. bare NSwag

/// <summary>
/// Variant 2: the clients NSwag generates from the same specs with plain settings (obj/bare-nswag/), on an
/// HttpClient whose only addition is the bearer token (the generated code has no auth of its own).
/// </summary>
internal sealed class BareNSwagVariant : Variant
{
    private readonly HttpClient _plain;
    private readonly HttpClient _ehrwebHttp;
    private readonly HttpClient _bearerHttp;
    private readonly Bare.Ehrweb.BareEhrwebClient _ehrweb;
    private readonly Bare.HrMax.BareHrMaxClient _hrMax;
    private readonly Bare.HeadHunter.BareHeadHunterClient _headHunter;

    public BareNSwagVariant(Uri root)
    {
        _plain = new HttpClient(Transport());
        var tokens = new HandWrittenTokenCache(_plain, new Uri(root, "oauth2/token"));
        _ehrwebHttp = new HttpClient(new BearerHandler(tokens.GetAsync) { InnerHandler = Transport() });
        _bearerHttp = new HttpClient(new BearerHandler(_ => Task.FromResult(BenchServer.Token)) { InnerHandler = Transport() });
        _ehrweb = new Bare.Ehrweb.BareEhrwebClient(_ehrwebHttp) { BaseUrl = new Uri(root, "external/").ToString() };
        _hrMax = new Bare.HrMax.BareHrMaxClient(_bearerHttp) { BaseUrl = root.ToString() };
        _headHunter = new Bare.HeadHunter.BareHeadHunterClient(_bearerHttp) { BaseUrl = root.ToString() };
    }

    public override async Task<int> ListPhotosAsync(CancellationToken cancellationToken)
        => (await _headHunter.ListPhotosAsync(BenchServer.UserAgent, "RU", Bare.HeadHunter.Host.Hh_ru, 0, 20, cancellationToken).ConfigureAwait(false)).Items.Count;

    public override async Task<long> HeadshotAsync(long size, CancellationToken cancellationToken)
    {
        using var file = await _ehrweb.GetHeadshotAsync("guiNum=" + BenchServer.GuiNum, "large-" + size, cancellationToken).ConfigureAwait(false);
        var counter = new CountingStream();
        await file.Stream.CopyToAsync(counter, cancellationToken).ConfigureAwait(false);
        return counter.Length;
    }

    public override async Task<long> DownloadToFileAsync(long size, string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var response = await _ehrweb.GetAttachmentAsync("guiNum=" + BenchServer.GuiNum, Bare.Ehrweb.AttachmentType.Attachment, "large-" + size, cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await response.Stream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        return file.Length;
    }

    public override async Task<long> HrMaxUploadAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var file = OpenUpload(path);
        var result = await _hrMax.AttachFileAsync(FunCode, new Bare.HrMax.FileParameter(file, Path.GetFileName(path), "application/octet-stream"), cancellationToken).ConfigureAwait(false);
        return result.FileSize;
    }

    public override async Task<string> HeadHunterUploadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = OpenUpload(path);
        var artifact = await _headHunter.UploadArtifactAsync(BenchServer.UserAgent, "RU", Bare.HeadHunter.Host.Hh_ru, Bare.HeadHunter.ArtifactType.Photo, null, new Bare.HeadHunter.FileParameter(file, Path.GetFileName(path), "image/png"), cancellationToken).ConfigureAwait(false);
        return artifact.Id;
    }

    public override void Dispose()
    {
        _plain.Dispose();
        _ehrwebHttp.Dispose();
        _bearerHttp.Dispose();
    }
}

// ------------------------------------------------------------------------------------------------ 4. ours

/// <summary>
/// Variant 4: our clients with their full pipeline (user agent, retry and time limits, logging at
/// Information into a logger that formats every message and writes it to TextWriter.Null, redirects,
/// auth: 104's built-in client-credentials flow, bearer callbacks for HR Max and hh.ru).
/// </summary>
internal sealed class OurVariant : Variant
{
    private readonly EhrwebResumeClient _ehrweb;
    private readonly HrMaxClient _hrMax;
    private readonly HeadHunterClient _headHunter;

    public OurVariant(Uri root, ILoggerFactory? logging)
    {
        logging ??= NullWriterLoggerProvider.CreateFactory();
        _ehrweb = new EhrwebResumeClient(EhrwebOptions(root, logging));
        _hrMax = new HrMaxClient(new HrMaxClientOptions
        {
            Endpoint = root,
            AccessTokenCallback = static (_, _) => ValueTask.FromResult(BenchServer.Token),
            LoggerFactory = logging,
        });
        _headHunter = new HeadHunterClient(new HeadHunterClientOptions
        {
            Endpoint = root,
            UserAgent = BenchServer.UserAgent,
            AccessTokenCallback = static (_, _) => ValueTask.FromResult(BenchServer.Token),
            LoggerFactory = logging,
        });
    }

    /// <summary>The 104 client's options against the benchmark server.</summary>
    internal static EhrwebResumeClientOptions EhrwebOptions(Uri root, ILoggerFactory logging) => new()
    {
        Endpoint = new Uri(root, "external/"),
        TokenEndpoint = new Uri(root, "oauth2/token"),
        ClientId = BenchServer.ClientId,
        ClientSecret = BenchServer.ClientSecret,
        GuiNum = BenchServer.GuiNum,
        LoggerFactory = logging,
    };

    public override async Task<int> ListPhotosAsync(CancellationToken cancellationToken)
        => (await _headHunter.ListPhotosAsync(0, 20, cancellationToken).ConfigureAwait(false)).Items.Count;

    public override async Task<long> HeadshotAsync(long size, CancellationToken cancellationToken)
    {
        using var file = await _ehrweb.GetHeadshotAsync("large-" + size, cancellationToken).ConfigureAwait(false);
        var counter = new CountingStream();
        await file.Stream.CopyToAsync(counter, cancellationToken).ConfigureAwait(false);
        return counter.Length;
    }

    public override async Task<long> DownloadToFileAsync(long size, string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var file = await _ehrweb.GetAttachmentAsync(AttachmentType.Attachment, "large-" + size, cancellationToken).ConfigureAwait(false);
        return await file.SaveToFileAsync(path, overwrite: true, progress, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<long> HrMaxUploadAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken)
        => (await _hrMax.AttachFileAsync(FunCode, path, "application/octet-stream", progress, cancellationToken).ConfigureAwait(false)).FileSize;

    public override async Task<string> HeadHunterUploadAsync(string path, CancellationToken cancellationToken)
        => (await _headHunter.UploadArtifactFromFileAsync(ArtifactType.Photo, path, cancellationToken: cancellationToken).ConfigureAwait(false)).Id;

    public override void Dispose()
    {
        _ehrweb.Dispose();
        _hrMax.Dispose();
        _headHunter.Dispose();
    }
}

/// <summary>A write-only sink that counts what it is given (the headshot scenarios read into it).</summary>
internal sealed class CountingStream : Stream
{
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => _length += count;

    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _length += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _length += count;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Logging at Information that costs what real logging costs up to the sink: every enabled message is
/// formatted (with its category, level and event id) and written to <see cref="TextWriter.Null"/>. With
/// <c>format: false</c> every message is discarded unformatted: what our side of a log line costs (the level
/// check, the redacted target, the message state), without the sink's formatting and writing.
/// </summary>
internal sealed class NullWriterLoggerProvider(bool format) : ILoggerProvider
{
    private readonly TextWriter _writer = TextWriter.Null;

    public static ILoggerFactory CreateFactory(bool format = true)
        => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(new NullWriterLoggerProvider(format)));

    public ILogger CreateLogger(string categoryName) => new Logger(format ? _writer : null, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter? writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (writer is null || !IsEnabled(logLevel))
            {
                return;
            }

            writer.WriteLine($"{logLevel}: {category}[{eventId.Id}] {formatter(state, exception)}");
        }
    }
}
