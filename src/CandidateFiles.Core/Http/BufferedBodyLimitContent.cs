using System.Net;

namespace CandidateFiles;

/// <summary>
/// Success content whose reads into memory stop at a size cap and at what is left of the call's Overall limit;
/// its stream (a download handed to the caller) passes through untouched until the body is read whole.
/// </summary>
/// <remarks>
/// Without it, a 2xx the client reads whole (a JSON result, or the generated "status not expected" branch for a
/// 200 where 204 was documented) allocates whatever the server sends, and a body dripped a byte a second never
/// stalls long enough for the stall watch. A JSON result is read by <see cref="ReadBufferedAsync"/>, not by
/// <c>LoadIntoBufferAsync</c>, whose buffer doubles as it grows and is copied once more at the end (36.6 MiB
/// allocated for a body cut at a 16 MiB cap): a declared length is allocated once, an undeclared one grows in
/// segments that are never copied, so what a read allocates stays within the cap plus one segment.
/// </remarks>
/// <param name="inner">The response content.</param>
/// <param name="maxBytes">Most bytes read into memory.</param>
/// <param name="timeLeft">What is left of the call's Overall limit; null when unlimited.</param>
/// <param name="tooLarge">The exception for a body over the cap (given the cap).</param>
/// <param name="tooSlow">The exception for a body still arriving when the time is up (given the cancellation); null lets the cancellation through.</param>
internal sealed class BufferedBodyLimitContent(HttpContent inner, long maxBytes, TimeSpan? timeLeft, Func<long, Exception> tooLarge, Func<Exception, Exception>? tooSlow)
    : WrappedContent(inner, static stream => stream)
{
    private const int FirstSegmentBytes = 16 * 1024;
    private const int LargestSegmentBytes = 1024 * 1024;

    private List<ArraySegment<byte>>? _body;
    private long _length;

    /// <summary>
    /// Content to read a JSON body of a declared length within <paramref name="maxBytes"/> into memory with
    /// (<see cref="LoadAsync"/>), or null for any other body.
    /// </summary>
    public static BufferedBodyLimitContent? ForJson(HttpResponseMessage response, long maxBytes)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return mediaType is not null
            && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            && response.Content.Headers.ContentLength <= maxBytes
            ? new BufferedBodyLimitContent(response.Content, maxBytes, null, static cap => HttpRequestExceptions.Create(HttpRequestError.ConfigurationLimitExceeded, $"The body is longer than {cap} bytes.", null, null), null)
            : null;
    }

    /// <summary>
    /// The body read whole into memory (within the cap and the time left), as a stream over it: for
    /// <paramref name="content"/> of this type without another copy, for any other through <c>LoadIntoBufferAsync</c>.
    /// </summary>
    public static async Task<Stream> ReadBufferedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content is BufferedBodyLimitContent limited)
        {
            return await limited.LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => _body is null ? base.CreateContentReadStreamAsync(cancellationToken) : Task.FromResult(SegmentStream.Over(_body));

    protected override bool TryComputeLength(out long length)
    {
        if (_body is null)
        {
            return base.TryComputeLength(out length);
        }

        length = _length;
        return true;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var segment in _body!)
        {
            await stream.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the body into memory (once), as a stream over it.</summary>
    public async Task<Stream> LoadAsync(CancellationToken cancellationToken)
    {
        if (_body is not null)
        {
            return SegmentStream.Over(_body);
        }

        var declared = Inner.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw tooLarge(maxBytes);
        }

        using var deadline = timeLeft is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline?.CancelAfter(timeLeft!.Value);
        var token = deadline?.Token ?? cancellationToken;
        var segments = new List<ArraySegment<byte>>();
        try
        {
            // A response stream has nothing to flush on dispose: the synchronous one (all netstandard2.0 has) serves.
            using var source = await Inner.ReadAsStreamAsync(token).ConfigureAwait(false);
            for (long total = 0; ;)
            {
                // One byte more than declared or than the cap allows, to see a body that goes past either.
                var wanted = declared is { } length && total == 0 ? length + 1 : Math.Clamp(total, FirstSegmentBytes, LargestSegmentBytes);
                var segment = new byte[Math.Min(wanted, maxBytes - total + 1)];
                var filled = 0;
                int read;
                while (filled < segment.Length && (read = await source.ReadAsync(segment.AsMemory(filled), token).ConfigureAwait(false)) > 0)
                {
                    filled += read;
                }

                total += filled;
                if (total > maxBytes)
                {
                    throw tooLarge(maxBytes);
                }

                segments.Add(new ArraySegment<byte>(segment, 0, filled));
                _length = total;
                if (filled < segment.Length)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException ex) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested && tooSlow is not null)
        {
            throw tooSlow(ex);
        }
        catch (IOException ex)
        {
            // As HttpContent's own buffering reports a body cut short: a failure of the request (an attempt retries it).
            throw HttpRequestExceptions.Create(HttpRequestExceptions.ErrorOf(ex), "Error while copying content to a stream.", ex, null);
        }

        _body = segments;
        return SegmentStream.Over(segments);
    }

    /// <summary>A read-only stream over the segments of a body held in memory.</summary>
    private sealed class SegmentStream(List<ArraySegment<byte>> segments) : CompatibleStream
    {
        private int _segment;
        private int _offset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public static Stream Over(List<ArraySegment<byte>> segments)
            => segments.Count == 1 ? new MemoryStream(segments[0].Array!, 0, segments[0].Count, writable: false) : new SegmentStream(segments);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_segment < segments.Count)
            {
                var rest = segments[_segment].AsSpan(_offset);
                if (rest.Length > 0)
                {
                    var count = Math.Min(rest.Length, buffer.Length);
                    rest[..count].CopyTo(buffer);
                    _offset += count;
                    return count;
                }

                (_segment, _offset) = (_segment + 1, 0);
            }

            return 0;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
