using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace CandidateFiles.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (random port) inside the test process. It records every request
/// exactly as it arrived (method, path, query, headers, body, multipart parts) and answers with whatever
/// the test set up per path, so tests assert what the clients put on the wire.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, RecordedRequest, Task>> _routes = new(StringComparer.OrdinalIgnoreCase);

    private LoopbackServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public RecordedRequest SingleRequest(string path)
    {
        var matching = Requests.Where(r => r.Path == path).ToArray();
        if (matching.Length != 1)
        {
            throw new InvalidOperationException($"Expected one request to {path}, saw {matching.Length}: {string.Join(", ", Requests.Select(r => r.Method + " " + r.Path))}");
        }

        return matching[0];
    }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Answers requests to <paramref name="path"/> with <paramref name="handler"/>.</summary>
    public void On(string path, Func<HttpContext, RecordedRequest, Task> handler) => _routes[path] = handler;

    public void OnJson(string path, int status, string json) => On(path, (context, _) => WriteAsync(context, status, "application/json", Encoding.UTF8.GetBytes(json)));

    public void OnBytes(string path, int status, string contentType, byte[] body, string? contentDisposition = null) => On(path, (context, _) =>
    {
        if (contentDisposition is not null)
        {
            context.Response.Headers.ContentDisposition = contentDisposition;
        }

        return WriteAsync(context, status, contentType, body);
    });

    public static async Task WriteAsync(HttpContext context, int status, string? contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var recorded = await RecordedRequest.ReadAsync(context.Request, context.RequestAborted);
        Requests.Enqueue(recorded);
        if (_routes.TryGetValue(context.Request.Path.Value ?? "/", out var handler))
        {
            await handler(context, recorded);
        }
        else
        {
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync("no route set up for " + context.Request.Path);
        }
    }
}

public sealed class RecordedRequest
{
    public required string Method { get; init; }

    public required string Path { get; init; }

    public required string Host { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required byte[] Body { get; init; }

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    public IReadOnlyDictionary<string, string> FormFields { get; private init; } = new Dictionary<string, string>();

    public IReadOnlyList<RecordedFilePart> FileParts { get; private init; } = Array.Empty<RecordedFilePart>();

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static async Task<RecordedRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var fields = new Dictionary<string, string>();
        var files = new List<RecordedFilePart>();

        if (request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var media))
        {
            if (media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(media.Boundary).Value!, new MemoryStream(body));
                while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
                {
                    var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                    using var part = new MemoryStream();
                    await section.Body.CopyToAsync(part, cancellationToken);
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
                    if (disposition.FileName.HasValue || disposition.FileNameStar.HasValue)
                    {
                        files.Add(new RecordedFilePart(name, HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value!, section.ContentType, part.ToArray()));
                    }
                    else
                    {
                        fields[name] = Encoding.UTF8.GetString(part.ToArray());
                    }
                }
            }
            else if (media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
                {
                    fields[key] = value.ToString();
                }
            }
        }

        return new RecordedRequest
        {
            Method = request.Method,
            Path = request.Path.Value ?? "/",
            Host = request.Host.Host,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            Headers = headers,
            Body = body,
            FormFields = fields,
            FileParts = files,
        };
    }
}

public sealed record RecordedFilePart(string Name, string FileName, string? ContentType, byte[] Content);
