using System;
using System.IO;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using Newtonsoft.Json;
using Refit;

namespace CandidateFiles.Benchmarks;

/// <summary>hh.ru artifacts as a Refit interface.</summary>
[Headers("Authorization: Bearer", "Accept: application/json")]
public interface IHeadHunterRefitApi
{
    [Get("/artifacts/photo")]
    Task<ArtifactList> ListPhotosAsync([AliasAs("page")] int page, [AliasAs("per_page")] int perPage, [Header("HH-User-Agent")] string userAgent, CancellationToken cancellationToken);

    [Multipart]
    [Post("/artifacts")]
    Task<Artifact> UploadArtifactAsync([AliasAs("type")] string type, [AliasAs("file")] StreamPart file, [Header("HH-User-Agent")] string userAgent, CancellationToken cancellationToken);
}

/// <summary>104 Ehrweb files as a Refit interface (the response is returned unread, so the body streams).</summary>
[Headers("Authorization: Bearer")]
public interface IEhrwebRefitApi
{
    [Get("/external/files/headshot")]
    Task<HttpResponseMessage> GetHeadshotAsync([AliasAs("fileId")] string fileId, [Header("104-Additional-Info")] string additionalInfo, CancellationToken cancellationToken);

    [Get("/external/files/attachment")]
    Task<HttpResponseMessage> GetAttachmentAsync([AliasAs("type")] int type, [AliasAs("fileId")] string fileId, [Header("104-Additional-Info")] string additionalInfo, CancellationToken cancellationToken);
}

/// <summary>104 HR Max upload as a Refit interface.</summary>
[Headers("Authorization: Bearer", "Accept: application/json")]
public interface IHrMaxRefitApi
{
    [Multipart]
    [Post("/api/file/attach")]
    Task<AttachedFile> AttachFileAsync([AliasAs("funCode")] string funCode, [AliasAs("attachment")] StreamPart attachment, CancellationToken cancellationToken);
}

/// <summary>
/// Variant 3: Refit clients for the same endpoints, with Refit's own Authorization-header token hook and a
/// Newtonsoft content serializer reading the response stream into the same DTO types as the other variants
/// (Refit's default System.Text.Json would not honour the DTOs' Newtonsoft attributes).
/// </summary>
internal sealed class RefitVariant : Variant
{
    private readonly HttpClient _plain;
    private readonly HttpClient _http;
    private readonly HttpClient _ehrwebHttp;
    private readonly IHeadHunterRefitApi _headHunter;
    private readonly IEhrwebRefitApi _ehrweb;
    private readonly IHrMaxRefitApi _hrMax;

    public RefitVariant(Uri root)
    {
        _plain = new HttpClient(Transport());
        var tokens = new HandWrittenTokenCache(_plain, new Uri(root, "oauth2/token"));
        _http = new HttpClient(Transport()) { BaseAddress = root };
        _ehrwebHttp = new HttpClient(Transport()) { BaseAddress = root };
        var fixedToken = new RefitSettings(new NewtonsoftContentSerializer()) { AuthorizationHeaderValueGetter = (_, _) => ValueTask.FromResult(BenchServer.Token) };
        var ehrwebToken = new RefitSettings(new NewtonsoftContentSerializer()) { AuthorizationHeaderValueGetter = (_, ct) => new ValueTask<string>(tokens.GetAsync(ct)) };
        _headHunter = RestService.For<IHeadHunterRefitApi>(_http, fixedToken);
        _hrMax = RestService.For<IHrMaxRefitApi>(_http, fixedToken);
        _ehrweb = RestService.For<IEhrwebRefitApi>(_ehrwebHttp, ehrwebToken);
    }

    public override async Task<int> ListPhotosAsync(CancellationToken cancellationToken)
        => (await _headHunter.ListPhotosAsync(0, 20, BenchServer.UserAgent, cancellationToken).ConfigureAwait(false)).Items.Count;

    public override async Task<long> HeadshotAsync(long size, CancellationToken cancellationToken)
    {
        using var response = await _ehrweb.GetHeadshotAsync("large-" + size, "guiNum=" + BenchServer.GuiNum, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var counter = new CountingStream();
        await body.CopyToAsync(counter, cancellationToken).ConfigureAwait(false);
        return counter.Length;
    }

    public override async Task<long> DownloadToFileAsync(long size, string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        using var response = await _ehrweb.GetAttachmentAsync(1, "large-" + size, "guiNum=" + BenchServer.GuiNum, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        return file.Length;
    }

    public override async Task<long> HrMaxUploadAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var file = OpenUpload(path);
        return (await _hrMax.AttachFileAsync(FunCode, new StreamPart(file, Path.GetFileName(path), "application/octet-stream"), cancellationToken).ConfigureAwait(false)).FileSize;
    }

    public override async Task<string> HeadHunterUploadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = OpenUpload(path);
        return (await _headHunter.UploadArtifactAsync("photo", new StreamPart(file, Path.GetFileName(path), "image/png"), BenchServer.UserAgent, cancellationToken).ConfigureAwait(false)).Id;
    }

    public override void Dispose()
    {
        _plain.Dispose();
        _http.Dispose();
        _ehrwebHttp.Dispose();
    }
}

/// <summary>Refit content serializer on Newtonsoft.Json (what the Refit.Newtonsoft.Json package provides), reading from the stream.</summary>
internal sealed class NewtonsoftContentSerializer : IHttpContentSerializer
{
    private static readonly JsonSerializer Json = JsonSerializer.CreateDefault();

    public HttpContent ToHttpContent<T>(T item)
        => new StringContent(JsonConvert.SerializeObject(item), System.Text.Encoding.UTF8, "application/json");

    public async Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        using var json = new JsonTextReader(reader);
        return Json.Deserialize<T>(json);
    }

    public string? GetFieldNameForProperty(PropertyInfo propertyInfo)
        => propertyInfo?.GetCustomAttribute<JsonPropertyAttribute>(true)?.PropertyName;
}
