using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// The paired measurement behind the targets: every scenario, the clients taking turns.
/// </summary>
/// <remarks>
/// Why beside BenchmarkDotNet: on this kind of machine (2 shared vCPUs, ~7 % steal time) the same
/// BenchmarkDotNet case swings by 2-4x between its own iterations, and BenchmarkDotNet runs one case
/// after another, so a load change between two cases decides their ratio. Here each round runs every
/// client for a few operations in a rotating order, and the ratio to raw HttpClient is taken within the
/// round: a slow spell hits all clients of that round alike. The table reports the median of the
/// per-round ratios with its interquartile range, and the median time and allocation per operation.
/// Allocations are process-wide (GC.GetTotalAllocatedBytes, precise), so the in-process server's share
/// is in every client's figure and cancels out in the difference to raw.
/// </remarks>
public static class Paired
{
    public const string Raw = "raw HttpClient";
    public const string NSwag = "bare NSwag";
    public const string Refit = "Refit";
    public const string Ours = "ours (full pipeline)";
    public const string OursProgress = "ours + IProgress";

    /// <summary>One client in one scenario: per-operation medians and the per-round ratios to raw and to each peer.</summary>
    public sealed record Row(
        string Scenario,
        string Client,
        long Size,
        double MedianSeconds,
        Quartiles RatioToRaw,
        long AllocatedPerOp,
        IReadOnlyDictionary<string, Quartiles> RatioToClient,
        int Rounds,
        int OpsPerTurn);

    public readonly record struct Quartiles(double Low, double Median, double High);

    private sealed record Case(string Scenario, long Size, int Rounds, int OpsPerTurn, bool WithProgress, Func<Variant, IProgress<long>?, Task> Operation);

    public static async Task<IReadOnlyList<Row>> RunAsync(bool quick, string? filter, TextWriter log)
    {
        var scale = quick ? 1 : 3;
        var upload256 = BenchFiles.Get("upload-256MiB.bin", HrMaxUpload256MiB.Size);
        var photo = BenchFiles.Get("photo-6MiB.png", HhUpload6MiB.Size);
        var download = Path.Combine(BenchFiles.Directory, "paired-download.bin");
        var cases = new[]
        {
            new Case(nameof(HhListPage), 0, 100 * scale, 20, false, (v, _) => v.ListPhotosAsync(CancellationToken.None)),
            new Case(nameof(Headshot100KB), Headshot100KB.Size, 100 * scale, 20, false, (v, _) => v.HeadshotAsync(Headshot100KB.Size, CancellationToken.None)),
            new Case(nameof(Headshots50Concurrent), 50 * Headshot100KB.Size, 40 * scale, 2, false, (v, _) => Task.WhenAll(Enumerable.Range(0, 50).Select(_ => v.HeadshotAsync(Headshot100KB.Size, CancellationToken.None)))),
            new Case(nameof(HhUpload6MiB), HhUpload6MiB.Size, 20 * scale, 3, false, (v, _) => v.HeadHunterUploadAsync(photo, CancellationToken.None)),
            new Case(nameof(Download256MiB), Download256MiB.Size, 6 * scale, 1, true, (v, p) => v.DownloadToFileAsync(Download256MiB.Size, download, p, CancellationToken.None)),
            new Case(nameof(HrMaxUpload256MiB), HrMaxUpload256MiB.Size, 6 * scale, 1, true, (v, p) => v.HrMaxUploadAsync(upload256, p, CancellationToken.None)),
        };

        var rows = new List<Row>();
        await using var server = await BenchServer.StartAsync();
        var variants = Variant.Names.Select(name => Variant.Create(name, server.Root)).ToArray();
        try
        {
            foreach (var @case in cases.Where(c => filter is null || c.Scenario.Contains(filter, StringComparison.OrdinalIgnoreCase)))
            {
                var started = Stopwatch.GetTimestamp();
                rows.AddRange(await RunCaseAsync(@case, variants));
                log.WriteLine($"Paired: {@case.Scenario}, {@case.Rounds} rounds of {@case.OpsPerTurn} operation(s) per client, {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
            }
        }
        finally
        {
            foreach (var variant in variants)
            {
                variant.Dispose();
            }

            File.Delete(download);
        }

        return rows;
    }

    private static async Task<IEnumerable<Row>> RunCaseAsync(Case @case, Variant[] variants)
    {
        var progress = new LastValueProgress();
        var clients = new List<(string Name, Func<Task> Operation)>
        {
            (Raw, () => @case.Operation(variants[0], null)),
            (NSwag, () => @case.Operation(variants[1], null)),
            (Refit, () => @case.Operation(variants[2], null)),
            (Ours, () => @case.Operation(variants[3], null)),
        };
        if (@case.WithProgress)
        {
            clients.Add((OursProgress, () => @case.Operation(variants[3], progress)));
        }

        // One untimed operation each (connections, tokens, tiered code for this scenario).
        var (seconds, bytes) = await Rotation.RunAsync(clients.Select(c => c.Operation).ToArray(), @case.Rounds, @case.OpsPerTurn, warmUpOperations: 1);

        return clients.Select((client, c) => new Row(
            @case.Scenario,
            client.Name,
            @case.Size,
            Rotation.Median(seconds[c]),
            Rotation.RatioQuartiles(seconds[c], seconds[0]),
            (long)Rotation.Median(bytes[c]),
            clients.Select((other, o) => (other.Name, Ratio: Rotation.RatioQuartiles(seconds[c], seconds[o]))).ToDictionary(p => p.Name, p => p.Ratio),
            @case.Rounds,
            @case.OpsPerTurn));
    }
}
