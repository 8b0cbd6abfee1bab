using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace CandidateFiles;

/// <summary>
/// A downloaded file: the response stream plus what the provider said about it. The body is not
/// buffered: read <see cref="Stream"/> or call <see cref="SaveToFileAsync"/> /
/// <see cref="SaveToDirectoryAsync"/>, then dispose this object (it owns the HTTP response).
/// </summary>
public partial class FileResponse : IDisposable, IAsyncDisposable
{
    /// <summary>Longest file name kept, in UTF-8 bytes (Linux and macOS allow 255; Windows 255 UTF-16 units, never fewer).</summary>
    internal const int MaxFileNameBytes = 255;

    private const int CopyBufferSize = 81920;

    /// <summary>Longest extension kept whole when a name is shortened (".jpeg", ".docx", ".tar.gz" fit).</summary>
    private const int MaxKeptExtensionLength = 16;

    // Characters no file name may carry on some OS the SDK runs on (Windows' set, with Linux's "/" and NUL): a server
    // name saves under the same name everywhere.
    private static readonly char[] PortablyInvalid = ['"', '<', '>', '|', ':', '*', '?', '\\', '/', '\0'];

    private readonly IDisposable? _client;
    private readonly IDisposable? _response;
    private bool _disposed;

    /// <summary>Creates the file response (constructor NSwag's generated code calls).</summary>
    /// <param name="statusCode">HTTP status code.</param>
    /// <param name="headers">Response and content headers.</param>
    /// <param name="stream">The response body stream.</param>
    /// <param name="client">An object to dispose with the response (unused by the SDK), or null.</param>
    /// <param name="response">The HTTP response to dispose with this object, or null.</param>
    public FileResponse(int statusCode, IReadOnlyDictionary<string, IEnumerable<string>> headers, Stream stream, IDisposable? client, IDisposable? response)
    {
        StatusCode = statusCode;
        Headers = headers ?? throw new ArgumentNullException(nameof(headers));
        Stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _client = client;
        _response = response;
    }

    /// <summary>HTTP status code (200, or 206 for a partial response).</summary>
    public int StatusCode { get; }

    /// <summary>Response and content headers.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

    /// <summary>The body stream, read straight from the connection.</summary>
    public Stream Stream { get; }

    /// <summary>Media type the provider declared (for example image/png), or null.</summary>
    public string? ContentType => ContentHeaders?.ContentType?.MediaType ?? FirstHeader("Content-Type");

    /// <summary>Body length the provider declared, or null when it did not say.</summary>
    public long? ContentLength => ContentHeaders?.ContentLength ?? (long.TryParse(FirstHeader("Content-Length"), out var length) ? length : null);

    /// <summary>
    /// File name from Content-Disposition, read as browsers read it (not safe as a path), or null.
    /// <c>filename*</c> wins when it decodes; a quoted <c>filename</c> has its escapes undone; an unquoted one
    /// may contain spaces; a trailing <c>;</c> is ignored; raw UTF-8 bytes, percent-encoded UTF-8 (as IIS
    /// sends) and RFC 2047 encoded words are decoded. <see cref="SaveToDirectoryAsync"/> makes it safe.
    /// </summary>
    /// <remarks>Read from the header as received, not from .NET's parse of it (which drops a whole header over a trailing ";").</remarks>
    public string? FileName => ContentDispositionFileName.Read(
        ContentHeaders is { } headers && headers.NonValidated.TryGetValues("Content-Disposition", out var raw) ? raw.ToString() : FirstHeader("Content-Disposition"));

    /// <summary>True when the provider sent a partial response (206).</summary>
    public bool IsPartial => StatusCode == 206;

    private HttpContentHeaders? ContentHeaders => (_response as HttpResponseMessage)?.Content?.Headers;

    /// <summary>
    /// Writes the body to <paramref name="path"/>. The bytes go to a temporary file beside it that is
    /// moved into place only when the whole body arrived (and matched Content-Length when one was
    /// sent), so a failed or cancelled download never leaves a file that looks complete.
    /// </summary>
    /// <param name="path">Destination file path.</param>
    /// <param name="overwrite">Replace an existing file at <paramref name="path"/>.</param>
    /// <param name="progress">Receives the number of bytes written so far.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="IOException">The body ended before Content-Length bytes arrived, or the file exists and <paramref name="overwrite"/> is false.</exception>
    public async Task<long> SaveToFileAsync(string path, bool overwrite = false, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fullPath = Path.GetFullPath(path);
        if (!overwrite && File.Exists(fullPath))
        {
            throw new IOException($"The file '{fullPath}' already exists. Pass overwrite: true to replace it.");
        }

        var directory = Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!).FullName;
        // A fixed-length temporary name, not the target's plus a suffix: any name legal for the target stays legal.
        var temporaryPath = Path.Combine(directory, ".cf-" + Guid.NewGuid().ToString("N")[..16] + ".partial");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long written = 0;
        try
        {
            // Unbuffered file writes, each chunk read goes to the file as it is, with one pooled buffer: bufferSize 1
            // (.NET 6+ reads 0 and 1 as unbuffered; .NET Framework and Mono refuse 0). With no buffer there is nothing
            // left to flush, so a synchronous dispose (the one netstandard2.0 has) blocks on nothing.
            using (var target = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                for (int read; (read = await Stream.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0;)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    written += read;
                    progress?.Report(written);
                }
            }

            if (ContentLength is { } expected && expected != written)
            {
                throw new IOException($"The download ended after {written} of {expected} bytes; nothing was saved to '{fullPath}'.");
            }

            File.Move(temporaryPath, fullPath, overwrite);
            return written;
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Saves the body into <paramref name="directory"/> under the server-sent file name (or
    /// <paramref name="fallbackFileName"/>), reduced to a bare file name so it can never escape the
    /// directory. Completes atomically as <see cref="SaveToFileAsync"/> does.
    /// </summary>
    /// <param name="directory">Destination directory (created if missing).</param>
    /// <param name="fallbackFileName">File name to use when the server sent none or an unusable one.</param>
    /// <param name="overwrite">Replace an existing file.</param>
    /// <param name="progress">Receives the number of bytes written so far.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The full path of the saved file.</returns>
    public async Task<string> SaveToDirectoryAsync(string directory, string fallbackFileName, bool overwrite = false, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(fallbackFileName);
        var root = Path.GetFullPath(directory);
        var name = SafeFileName(FileName) ?? SafeFileName(fallbackFileName)
            ?? throw new ArgumentException($"'{fallbackFileName}' is not a usable file name.", nameof(fallbackFileName));
        var path = Path.GetFullPath(Path.Combine(root, name));
        if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new IOException($"Refusing to write outside '{root}'.");
        }

        await SaveToFileAsync(path, overwrite, progress, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Disposes the stream and the HTTP response.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the stream and the HTTP response.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Reduces a server-sent name to a bare, harmless file name, or null when nothing usable is left: no directory
    /// part (either separator: "..\\..\\x" must not climb on any OS), no character some OS forbids, no control or
    /// format character (bidi overrides such as U+202E that make "exe.pdf" read as "fdp.exe", zero-width characters,
    /// byte-order marks), no leading dots (a hidden file) or trailing ones, and at most <see cref="MaxFileNameBytes"/>
    /// UTF-8 bytes, cut before its extension at whole characters.
    /// </summary>
    internal static string? SafeFileName(string? name)
    {
        var bare = (name ?? string.Empty).Replace('\\', '/').Split('/')[^1];
        bare = EdgeDotsAndSpaces.Replace(string.Concat(bare.Where(c => !PortablyInvalid.Contains(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) != UnicodeCategory.Format)), string.Empty);
        if (bare.Length == 0 || Encoding.UTF8.GetByteCount(bare) <= MaxFileNameBytes)
        {
            return bare.Length == 0 ? null : bare;
        }

        var extension = Path.GetExtension(bare) is { Length: <= MaxKeptExtensionLength } kept ? kept : string.Empty;
        var stem = new StringBuilder();
        var budget = MaxFileNameBytes - Encoding.UTF8.GetByteCount(extension);
        for (var elements = StringInfo.GetTextElementEnumerator(bare[..^extension.Length]); elements.MoveNext() && (budget -= Encoding.UTF8.GetByteCount(elements.GetTextElement())) >= 0;)
        {
            stem.Append(elements.GetTextElement());
        }

        return EdgeDotsAndSpaces.Replace(stem.ToString(), string.Empty) + extension;
    }

    /// <summary>Disposes the stream and the HTTP response.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            Stream.Dispose();
            _response?.Dispose();
            _client?.Dispose();
        }

        _disposed = true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the download already failed, and that failure is what the caller gets.
        }
    }

    private static readonly Regex EdgeDotsAndSpaces = new(@"^[\s.]+|[\s.]+$");

    private string? FirstHeader(string name)
        => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
