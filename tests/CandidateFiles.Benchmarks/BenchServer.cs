using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// The loopback server every variant talks to: Kestrel on 127.0.0.1 in the benchmark process, one
/// request delegate, no routing, no logging. It answers at the providers' real paths with the shapes
/// the specs describe, so each client runs unchanged, and it does exactly the same work whichever
/// client calls it: fixed JSON bytes for the list, 64 KiB chunks of one preallocated buffer for the
/// downloads (the sandbox's <c>large-N</c> pattern, never buffered), and uploads read through
/// Kestrel's pipe and discarded (counted, not stored), so neither side's memory grows with the file.
/// </summary>
/// <remarks>
/// Why not the sandbox app: it keeps every upload in memory (256 MiB per HR Max upload), caps hh.ru
/// at 20 artifacts and logs every request's headers; all of that is right for behaviour tests and
/// wrong for a benchmark of the client side.
/// </remarks>
public sealed class BenchServer : IAsyncDisposable
{
    public const string Token = "bench-access-token";
    public const string GuiNum = "12345678";
    public const string ClientId = "bench-104-client";
    public const string ClientSecret = "bench-104-secret";
    public const string UserAgent = "CandidateFilesBench/1.0 (bench@example.com)";
    public const int ListItems = 20;

    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] Chunk = BuildChunk();
    private static readonly byte[] ListJson = BuildList();
    private static readonly byte[] TokenJson = Encoding.UTF8.GetBytes("{\"access_token\":\"" + Token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    private static readonly byte[] ArtifactJson = Encoding.UTF8.GetBytes("{\"id\":\"92300001\",\"state\":{\"id\":\"processing\",\"name\":\"в обработке\"},\"small\":null,\"medium\":null}");
    private static readonly byte[] Unauthorized = Encoding.UTF8.GetBytes("{\"error\":\"invalid_token\"}");

    private readonly WebApplication _app;
    private int _tokenRequests;
    private long _uploadedBytes;

    private BenchServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Root URL, ending with "/".</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>Calls to <c>POST /oauth2/token</c>.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Request body bytes received by the upload endpoints.</summary>
    public long UploadedBytes => Interlocked.Read(ref _uploadedBytes);

    public static async Task<BenchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new BenchServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Root = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value;
        switch (path)
        {
            case "/oauth2/token":
                Interlocked.Increment(ref _tokenRequests);
                return WriteAsync(context, 200, "application/json", TokenJson);
            case "/external/files/headshot":
            case "/external/files/attachment":
                if (!Authorized(request))
                {
                    return WriteAsync(context, 401, "application/json", Unauthorized);
                }

                if (request.Headers["104-Additional-Info"] != "guiNum=" + GuiNum)
                {
                    return WriteAsync(context, 500, "image/png", "{\"code\":500,\"message\":\"Header沒有帶到必填參數\"}"u8.ToArray());
                }

                var fileId = request.Query["fileId"].ToString();
                return fileId.StartsWith("large-", StringComparison.Ordinal)
                       && long.TryParse(fileId.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                    ? StreamAsync(context, length)
                    : WriteAsync(context, 500, "image/png", "{\"code\":895,\"message\":\"檔案已過期或是暫時無法取得檔案，請稍後再試\"}"u8.ToArray());
            case "/artifacts/photo":
                return Authorized(request) && HasUserAgent(request)
                    ? WriteAsync(context, 200, "application/json; charset=utf-8", ListJson)
                    : WriteAsync(context, 403, "application/json", "{\"errors\":[{\"type\":\"oauth\",\"value\":\"bad_authorization\"}]}"u8.ToArray());
            case "/artifacts/photo/conditions":
            case "/artifacts/portfolio/conditions":
                // Our client checks uploads against these (fetched once and kept) and counts its accepted uploads
                // against "max": the documented fields, with room for the thousands of uploads a run makes (the
                // server keeps none of them, as an account that deletes each would).
                return WriteAsync(context, 200, "application/json", """{"counters":{"max":1000000,"uploaded":0},"fields":{"description":{"max_length":255,"min_length":0,"required":false},"file":{"max_size":6291456,"mime_type":["image/jpeg","image/png","image/psd"],"required":true},"type":{"required":true}}}"""u8.ToArray());
            case "/api/file/attach":
                return UploadAsync(context, 200, "funCode");
            case "/artifacts":
                return UploadAsync(context, 201, "type");
            default:
                context.Response.StatusCode = 404;
                return Task.CompletedTask;
        }
    }

    private static bool Authorized(HttpRequest request) => request.Headers.Authorization == "Bearer " + Token;

    private static bool HasUserAgent(HttpRequest request)
        => !string.IsNullOrEmpty(request.Headers["HH-User-Agent"]) || !string.IsNullOrEmpty(request.Headers.UserAgent);

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, long length)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        var remaining = length;
        var writer = response.BodyWriter;
        try
        {
            // Straight into Kestrel's pipe: no per-chunk allocation on the server side, so the memory
            // figures of the large transfers are the client's.
            while (remaining > 0)
            {
                var count = (int)Math.Min(remaining, Chunk.Length);
                Chunk.AsSpan(0, count).CopyTo(writer.GetSpan(count));
                writer.Advance(count);
                var flushed = await writer.FlushAsync(context.RequestAborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    break;
                }

                remaining -= count;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the multipart body through Kestrel's pipe without copying or storing it, then answers.</summary>
    private async Task UploadAsync(HttpContext context, int status, string requiredField)
    {
        var request = context.Request;
        if (!Authorized(request) || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            await WriteAsync(context, 401, "application/json", Unauthorized);
            return;
        }

        long total = 0;
        var reader = request.BodyReader;
        var sawField = false;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            var buffer = result.Buffer;
            if (!sawField && total == 0)
            {
                // The first segment holds the first part's headers: the form field comes first in every variant.
                var first = buffer.FirstSpan;
                sawField = first.IndexOf(Encoding.ASCII.GetBytes("name=" + requiredField)) >= 0
                    || first.IndexOf(Encoding.ASCII.GetBytes("name=\"" + requiredField + "\"")) >= 0;
            }

            total += buffer.Length;
            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Interlocked.Add(ref _uploadedBytes, total);
        if (!sawField)
        {
            await WriteAsync(context, 400, "application/json", "{\"code\":440,\"msg\":\"field missing\"}"u8.ToArray());
            return;
        }

        var body = status == 201
            ? ArtifactJson
            : Encoding.UTF8.GetBytes("{\"fileUUID\":\"0123456789abcdef0123456789abcdef\",\"fileName\":\"upload.bin\",\"fileSize\":" + total.ToString(CultureInfo.InvariantCulture) + ",\"fileMime\":\"application/octet-stream\",\"isTmp\":1}");
        await WriteAsync(context, status, "application/json", body);
    }

    private static byte[] BuildChunk()
    {
        var chunk = new byte[ChunkSize];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = unchecked((byte)(i * 31 + 7));
        }

        return chunk;
    }

    /// <summary>One hh.ru list page of 20 processed photos, as the sandbox renders them.</summary>
    private static byte[] BuildList()
    {
        var items = string.Join(",", Enumerable.Range(0, ListItems).Select(i =>
            $"{{\"id\":\"{92300000 + i}\",\"state\":{{\"id\":\"ok\",\"name\":\"готово\"}},\"small\":\"http://127.0.0.1/sandbox/hh/images/{92300000 + i}/small.jpg\",\"medium\":\"http://127.0.0.1/sandbox/hh/images/{92300000 + i}/medium.jpg\"}}"));
        return Encoding.UTF8.GetBytes($"{{\"items\":[{items}],\"found\":{ListItems},\"pages\":1,\"page\":0,\"per_page\":20}}");
    }
}
