using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles;

/// <summary>
/// Response content that hands out the inner content's stream wrapped (the stall watch, the byte count):
/// the inner headers copied, the length taken from them, the inner content disposed with this one.
/// </summary>
internal abstract class StreamWrappingContent : CompatibleHttpContent
{
    protected StreamWrappingContent(HttpContent inner)
    {
        Inner = inner;

        // The raw header values, unparsed: the copy costs no parsing and no value arrays.
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            if (values.Count == 1)
            {
                Headers.TryAddWithoutValidation(name, values.ToString());
            }
            else
            {
                Headers.TryAddWithoutValidation(name, values);
            }
        }
    }

    protected HttpContent Inner { get; }

    /// <summary>Wraps the inner content's read stream.</summary>
    /// <param name="inner">The inner stream.</param>
    /// <returns>The stream callers read.</returns>
    protected abstract Stream Wrap(Stream inner);

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        // The response stream is there at once for a response read past its headers: no async step.
        var inner = Inner.ReadAsStreamAsync(cancellationToken);
        return inner.IsCompletedSuccessfully ? Task.FromResult(Wrap(inner.Result)) : WrapAsync(inner);
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
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<Stream> WrapAsync(Task<Stream> inner) => Wrap(await inner.ConfigureAwait(false));
}
