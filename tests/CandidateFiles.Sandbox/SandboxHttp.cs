using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CandidateFiles.Sandbox;

/// <summary>Small HTTP helpers shared by the provider endpoints.</summary>
internal static class SandboxHttp
{
    /// <summary>Non-ASCII (Chinese, Russian) stays readable UTF-8 in bodies, as the providers send it.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal const string JsonContentType = "application/json; charset=utf-8";

    internal static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    internal static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    internal static Task WriteJsonAsync(HttpContext context, int status, JsonNode body, string contentType = JsonContentType) =>
        WriteBytesAsync(context, status, contentType, Encoding.UTF8.GetBytes(body.ToJsonString(JsonOptions)));

    internal static async Task WriteBytesAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    internal static void NoContent(HttpContext context, int status = StatusCodes.Status204NoContent)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }

    /// <summary>The token of an <c>Authorization: Bearer TOKEN</c> header, or null.</summary>
    internal static string? BearerToken(HttpRequest request)
    {
        var value = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (value.Length <= Prefix.Length || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value[Prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>The boundary of a <c>multipart/form-data</c> request, or null for any other body.</summary>
    internal static string? MultipartBoundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        return string.IsNullOrEmpty(boundary) ? null : boundary;
    }

    /// <summary>The media type of a part or body without parameters (compare it case-insensitively); null when absent or unparsable.</summary>
    internal static string? BareMediaType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.HasValue
            ? parsed.MediaType.Value
            : null;

    /// <summary>
    /// Reads <paramref name="source"/> to its end, keeping at most <paramref name="cap"/> bytes. Returns the
    /// bytes, or null when the stream held more than <paramref name="cap"/> (then it is read only up to
    /// cap + 1 bytes when <paramref name="stopWhenOver"/>, else to its end).
    /// </summary>
    internal static async Task<byte[]?> ReadCappedAsync(Stream source, long cap, bool stopWhenOver, CancellationToken cancellationToken)
    {
        using var kept = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            var over = false;
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (over)
                {
                    continue;
                }

                var room = cap - kept.Length;
                if (read > room)
                {
                    over = true;
                    if (stopWhenOver)
                    {
                        break;
                    }

                    continue;
                }

                kept.Write(buffer, 0, read);
            }

            return over ? null : kept.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a text form field as UTF-8, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    internal static async Task<string?> ReadFieldAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var bytes = await ReadCappedAsync(source, maxBytes, stopWhenOver: false, cancellationToken);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads and discards up to <paramref name="maxBytes"/> bytes, stopping early at the end of the stream.</summary>
    internal static async Task DrainAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            while (total < maxBytes)
            {
                var want = (int)Math.Min(buffer.Length, maxBytes - total);
                var read = await source.ReadAsync(buffer.AsMemory(0, want), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Drains what is left of the request body (bounded by <see cref="SandboxOptions.MaxDrainBytes"/>) so a
    /// client still sending gets to read the error response. Errors while draining are ignored.
    /// </summary>
    internal static async Task DrainRequestAsync(HttpContext context, SandboxOptions options)
    {
        try
        {
            await DrainAsync(context.Request.Body, options.MaxDrainBytes, context.RequestAborted);
        }
        catch (IOException)
        {
            // Client went away or the body was malformed: nothing left to be polite to.
        }
        catch (InvalidOperationException)
        {
            // Body already completed by the server.
        }
    }
}

/// <summary>Thrown by <see cref="CountingReadStream"/> once more than its limit has been read.</summary>
internal sealed class RequestBodyTooLargeException : Exception
{
    public RequestBodyTooLargeException()
        : base("Request body exceeds the sandbox limit.")
    {
    }

    public RequestBodyTooLargeException(string message)
        : base(message)
    {
    }

    public RequestBodyTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Read-only wrapper that counts bytes and throws <see cref="RequestBodyTooLargeException"/> past a limit.</summary>
internal sealed class CountingReadStream(Stream inner, long limit) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > limit)
        {
            throw new RequestBodyTooLargeException();
        }

        return read;
    }
}
