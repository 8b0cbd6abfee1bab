using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// One scenario: the same work through each variant. Every benchmark case gets its own server and
/// clients (BenchmarkDotNet runs GlobalSetup per case), checks the result once before measuring, and
/// the raw HttpClient case is the baseline of its scenario.
/// </summary>
public abstract class Scenario
{
    /// <summary>Side results that are not timings (token requests seen by the server), by "Scenario/Method".</summary>
    public static readonly ConcurrentDictionary<string, string> Notes = new();

    private BenchServer? _server;

    protected Variant Raw { get; private set; } = null!;

    protected Variant NSwag { get; private set; } = null!;

    protected Variant Refit { get; private set; } = null!;

    protected Variant Ours { get; private set; } = null!;

    protected BenchServer Server => _server!;

    /// <summary>Scenarios whose every client has been checked in this process (BenchmarkDotNet sets each case up anew).</summary>
    private static readonly ConcurrentDictionary<Type, bool> Checked = new();

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServer.StartAsync().GetAwaiter().GetResult();
        Raw = Variant.Create("raw", _server.Root);
        NSwag = Variant.Create("nswag", _server.Root);
        Refit = Variant.Create("refit", _server.Root);
        Ours = Variant.Create("ours", _server.Root);
        Prepare(firstTime: Checked.TryAdd(GetType(), true));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Finish();
        Raw.Dispose();
        NSwag.Dispose();
        Refit.Dispose();
        Ours.Dispose();
        _server!.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Runs after the server and clients exist: create files, and the first time in this process check every variant does the work.</summary>
    protected virtual void Prepare(bool firstTime)
    {
    }

    protected virtual void Finish()
    {
    }

    protected Variant[] All => [Raw, NSwag, Refit, Ours];

    protected static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException("benchmark self-check failed: " + what);
        }
    }
}

/// <summary>hh.ru: one artifact list page (20 items, JSON).</summary>
public class HhListPage : Scenario
{
    protected override void Prepare(bool firstTime)
    {
        foreach (var variant in All)
        {
            Check(variant.ListPhotosAsync(default).GetAwaiter().GetResult() == BenchServer.ListItems, variant.GetType().Name + " list");
        }
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient")]
    public Task<int> Raw_() => Raw.ListPhotosAsync(CancellationToken.None);

    [Benchmark(Description = "bare NSwag")]
    public Task<int> NSwag_() => NSwag.ListPhotosAsync(CancellationToken.None);

    [Benchmark(Description = "Refit")]
    public Task<int> Refit_() => Refit.ListPhotosAsync(CancellationToken.None);

    [Benchmark(Description = "ours (full pipeline)")]
    public Task<int> Ours_() => Ours.ListPhotosAsync(CancellationToken.None);
}

/// <summary>104: one headshot download of 100 KB, read to its end.</summary>
public class Headshot100KB : Scenario
{
    public const long Size = 100 * 1024;

    protected override void Prepare(bool firstTime)
    {
        foreach (var variant in All)
        {
            Check(variant.HeadshotAsync(Size, default).GetAwaiter().GetResult() == Size, variant.GetType().Name + " headshot");
        }
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient")]
    public Task<long> Raw_() => Raw.HeadshotAsync(Size, CancellationToken.None);

    [Benchmark(Description = "bare NSwag")]
    public Task<long> NSwag_() => NSwag.HeadshotAsync(Size, CancellationToken.None);

    [Benchmark(Description = "Refit")]
    public Task<long> Refit_() => Refit.HeadshotAsync(Size, CancellationToken.None);

    [Benchmark(Description = "ours (full pipeline)")]
    public Task<long> Ours_() => Ours.HeadshotAsync(Size, CancellationToken.None);
}

/// <summary>
/// 104: 50 headshot downloads (100 KB) at once on one client. Setup starts each client cold (no token
/// yet) with 50 concurrent calls; the server's token count is recorded then and after the run.
/// </summary>
public class Headshots50Concurrent : Scenario
{
    private const int Concurrency = 50;

    protected override void Prepare(bool firstTime)
    {
        // Cold start: every variant's first 50 calls race for the token.
        foreach (var variant in All)
        {
            var before = Server.TokenRequests;
            var sizes = Run(variant).GetAwaiter().GetResult();
            Check(sizes.All(s => s == Headshot100KB.Size), variant.GetType().Name + " 50 headshots");
            Notes[nameof(Headshots50Concurrent) + "/cold/" + variant.GetType().Name] = (Server.TokenRequests - before).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    protected override void Finish()
        => Notes[nameof(Headshots50Concurrent) + "/total"] = Server.TokenRequests.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Benchmark(Baseline = true, Description = "raw HttpClient")]
    public Task<long[]> Raw_() => Run(Raw);

    [Benchmark(Description = "bare NSwag")]
    public Task<long[]> NSwag_() => Run(NSwag);

    [Benchmark(Description = "Refit")]
    public Task<long[]> Refit_() => Run(Refit);

    [Benchmark(Description = "ours (full pipeline)")]
    public Task<long[]> Ours_() => Run(Ours);

    private static Task<long[]> Run(Variant variant)
    {
        var calls = new Task<long>[Concurrency];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = variant.HeadshotAsync(Headshot100KB.Size, CancellationToken.None);
        }

        return Task.WhenAll(calls);
    }
}

/// <summary>104: one 256 MiB attachment streamed to a file.</summary>
public class Download256MiB : Scenario
{
    public const long Size = 256L * 1024 * 1024;
    private readonly LastValueProgress _progress = new();
    private string _path = null!;

    protected override void Prepare(bool firstTime)
    {
        _path = Path.Combine(BenchFiles.Directory, "download.bin");
        if (!firstTime)
        {
            return;
        }

        foreach (var variant in All)
        {
            Check(variant.DownloadToFileAsync(Size, _path, null, default).GetAwaiter().GetResult() == Size && new FileInfo(_path).Length == Size, variant.GetType().Name + " download");
        }

        Check(Ours.DownloadToFileAsync(Size, _path, _progress, default).GetAwaiter().GetResult() == Size && _progress.Value == Size, "progress reaches the size");
    }

    protected override void Finish() => File.Delete(_path);

    [Benchmark(Baseline = true, Description = "raw HttpClient")]
    public Task<long> Raw_() => Raw.DownloadToFileAsync(Size, _path, null, CancellationToken.None);

    [Benchmark(Description = "bare NSwag")]
    public Task<long> NSwag_() => NSwag.DownloadToFileAsync(Size, _path, null, CancellationToken.None);

    [Benchmark(Description = "Refit")]
    public Task<long> Refit_() => Refit.DownloadToFileAsync(Size, _path, null, CancellationToken.None);

    [Benchmark(Description = "ours (full pipeline)")]
    public Task<long> Ours_() => Ours.DownloadToFileAsync(Size, _path, null, CancellationToken.None);

    [Benchmark(Description = "ours + IProgress")]
    public Task<long> OursProgress() => Ours.DownloadToFileAsync(Size, _path, _progress, CancellationToken.None);
}

/// <summary>104 HR Max: one 256 MiB upload from a file stream.</summary>
public class HrMaxUpload256MiB : Scenario
{
    public const long Size = 256L * 1024 * 1024;
    private readonly LastValueProgress _progress = new();
    private string _path = null!;

    protected override void Prepare(bool firstTime)
    {
        _path = BenchFiles.Get("upload-256MiB.bin", Size);
        if (!firstTime)
        {
            return;
        }

        foreach (var variant in All)
        {
            Check(variant.HrMaxUploadAsync(_path, null, default).GetAwaiter().GetResult() > Size, variant.GetType().Name + " upload");
        }

        Check(Ours.HrMaxUploadAsync(_path, _progress, default).GetAwaiter().GetResult() > Size && _progress.Value == Size, "progress reaches the size");
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient")]
    public Task<long> Raw_() => Raw.HrMaxUploadAsync(_path, null, CancellationToken.None);

    [Benchmark(Description = "bare NSwag")]
    public Task<long> NSwag_() => NSwag.HrMaxUploadAsync(_path, null, CancellationToken.None);

    [Benchmark(Description = "Refit")]
    public Task<long> Refit_() => Refit.HrMaxUploadAsync(_path, null, CancellationToken.None);

    [Benchmark(Description = "ours (full pipeline)")]
    public Task<long> Ours_() => Ours.HrMaxUploadAsync(_path, null, CancellationToken.None);

    [Benchmark(Description = "ours + IProgress")]
    public Task<long> OursProgress() => Ours.HrMaxUploadAsync(_path, _progress, CancellationToken.None);
}

/// <summary>hh.ru: one 6 MiB photo upload (hh.ru's size limit) from a file stream.</summary>
public class HhUpload6MiB : Scenario
{
    public const long Size = 6L * 1024 * 1024;
    private string _path = null!;

    protected override void Prepare(bool firstTime)
    {
        _path = BenchFiles.Get("photo-6MiB.png", Size);
        if (!firstTime)
        {
            return;
        }

        foreach (var variant in All)
        {
            Check(variant.HeadHunterUploadAsync(_path, default).GetAwaiter().GetResult() == "92300001", variant.GetType().Name + " hh upload");
        }
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient")]
    public Task<string> Raw_() => Raw.HeadHunterUploadAsync(_path, CancellationToken.None);

    [Benchmark(Description = "bare NSwag")]
    public Task<string> NSwag_() => NSwag.HeadHunterUploadAsync(_path, CancellationToken.None);

    [Benchmark(Description = "Refit")]
    public Task<string> Refit_() => Refit.HeadHunterUploadAsync(_path, CancellationToken.None);

    [Benchmark(Description = "ours (full pipeline)")]
    public Task<string> Ours_() => Ours.HeadHunterUploadAsync(_path, CancellationToken.None);
}

/// <summary>A progress receiver that keeps the last value: what the SDK's reporting costs, without a UI behind it.</summary>
public sealed class LastValueProgress : IProgress<long>
{
    public long Value { get; private set; }

    public void Report(long value) => Value = value;
}

/// <summary>Upload sources, made once and kept between runs (the pattern bytes of the sandbox's large files, after a PNG signature).</summary>
public static class BenchFiles
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "candidatefiles-bench")).FullName;

    public static string Get(string name, long size)
    {
        var path = Path.Combine(Directory, name);
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            return path;
        }

        var chunk = new byte[1024 * 1024];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = unchecked((byte)(i * 31 + 7));
        }

        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        png.CopyTo(chunk);
        var temporary = path + ".partial";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 0))
        {
            for (long written = 0; written < size; written += chunk.Length)
            {
                file.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
            }
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
