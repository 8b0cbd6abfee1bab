using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// Success content whose reads into memory (<c>LoadIntoBufferAsync</c>, <c>ReadAsStringAsync</c>,
/// <c>ReadAsByteArrayAsync</c>: JSON results, and any body the generated code reads whole) stop at a size cap and at
/// what is left of the call's Overall limit; its stream (a download handed to the caller) passes through untouched.
/// </summary>
/// <remarks>
/// Without it, a 2xx the client reads whole (a JSON result, or the generated "status not expected" branch for a
/// 200 where 204 was documented) allocates whatever the server sends (hundreds of MiB, chunked or not), and a
/// body dripped a byte a second never stalls long enough for the stall watch. .NET's buffering does not
/// preallocate a declared Content-Length, so failing on the first byte over the cap bounds the allocation to
/// about twice the cap.
/// </remarks>
internal sealed class BufferedBodyLimitContent : StreamWrappingContent
{
    private readonly long _maxBytes;
    private readonly TimeSpan? _timeLeft;
    private readonly Func<long, Exception> _tooLarge;
    private readonly Func<Exception, Exception> _tooSlow;

    /// <param name="inner">The response content.</param>
    /// <param name="maxBytes">Most bytes read into memory.</param>
    /// <param name="timeLeft">What is left of the call's Overall limit; null when unlimited.</param>
    /// <param name="tooLarge">The exception for a body over the cap (given the cap).</param>
    /// <param name="tooSlow">The exception for a body still arriving when the time is up (given the cancellation).</param>
    public BufferedBodyLimitContent(HttpContent inner, long maxBytes, TimeSpan? timeLeft, Func<long, Exception> tooLarge, Func<Exception, Exception> tooSlow)
        : base(inner)
    {
        _maxBytes = maxBytes;
        _timeLeft = timeLeft;
        _tooLarge = tooLarge;
        _tooSlow = tooSlow;
    }

    protected override Stream Wrap(Stream inner) => inner;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Inner.Headers.ContentLength > _maxBytes)
        {
            throw _tooLarge(_maxBytes);
        }

        using var deadline = _timeLeft is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline?.CancelAfter(_timeLeft!.Value);
        var token = deadline?.Token ?? cancellationToken;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
#if NET // netstandard2.0's Stream is not IAsyncDisposable
            await using var source = await Inner.ReadAsStreamAsync(token).ConfigureAwait(false);
#else
            using var source = await Inner.ReadAsStreamAsync(token).ConfigureAwait(false);
#endif
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > _maxBytes)
                {
                    throw _tooLarge(_maxBytes);
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw _tooSlow(ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
