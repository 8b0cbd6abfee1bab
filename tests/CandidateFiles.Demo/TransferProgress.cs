using System;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;

namespace CandidateFiles.Demo;

/// <summary>Shows the progress of a large transfer.</summary>
public interface ITransferProgress
{
    /// <summary>Runs <paramref name="transfer"/>, showing its progress (bytes so far of <paramref name="total"/>).</summary>
    /// <param name="description">What is transferred.</param>
    /// <param name="total">Expected bytes.</param>
    /// <param name="transfer">The transfer; reports bytes done so far.</param>
    /// <returns>The transfer's result.</returns>
    Task<T> RunAsync<T>(string description, long total, Func<IProgress<long>, Task<T>> transfer);
}

/// <summary>A Spectre.Console progress bar (terminal only).</summary>
public sealed class SpectreTransferProgress : ITransferProgress
{
    /// <inheritdoc />
    public Task<T> RunAsync<T>(string description, long total, Func<IProgress<long>, Task<T>> transfer)
        => AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: total);
                var result = await transfer(new Reporter(task));
                task.Value = total;
                return result;
            });

    private sealed class Reporter(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}

/// <summary>Wraps a stream being uploaded and reports how much of it has been read.</summary>
internal sealed class ReadProgressStream(System.IO.Stream inner, IProgress<long> progress) : System.IO.Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set
        {
            inner.Position = value;
            _read = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, System.IO.SeekOrigin origin) => _read = inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        progress.Report(_read);
        return read;
    }
}
