using System.Diagnostics;
using System.Net;

namespace CandidateFiles;

/// <summary>
/// Content that hands out its inner content's stream wrapped (the stall watch, the byte count): the inner
/// headers copied unparsed, the length taken from them, the inner content disposed with this one when owned.
/// </summary>
[DebuggerDisplay("{Inner}")]
internal class WrappedContent : CompatibleHttpContent
{
    private readonly Func<Stream, Stream> _wrap;
    private readonly bool _ownsInner;

    public WrappedContent(HttpContent inner, Func<Stream, Stream> wrap, bool ownsInner = true)
    {
        (Inner, _wrap, _ownsInner) = (inner, wrap, ownsInner);
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            // A single value as a string: the copy allocates no value array.
            _ = values.Count == 1 ? Headers.TryAddWithoutValidation(name, values.ToString()) : Headers.TryAddWithoutValidation(name, values);
        }
    }

    internal HttpContent Inner { get; }

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        // A response read past its headers has its stream at once: no async step.
        var inner = Inner.ReadAsStreamAsync(cancellationToken);
        return inner.IsCompletedSuccessfully ? Task.FromResult(_wrap(inner.Result)) : WrapAsync(inner);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
#if NET // netstandard2.0's Stream is not IAsyncDisposable
        await using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        using var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
#endif
        await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = Inner.Headers.ContentLength ?? 0;
        return Inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<Stream> WrapAsync(Task<Stream> inner) => _wrap(await inner.ConfigureAwait(false));
}
