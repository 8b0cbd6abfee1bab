using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// The results table: per scenario and client, the paired figures (median time and allocation per
/// operation, median per-round ratio to raw HttpClient with its interquartile range) that the targets
/// are checked on, and BenchmarkDotNet's mean, ratio and allocation for the same case beside them.
/// </summary>
public static class Report
{
    private static readonly string[] Large = [nameof(Download256MiB), nameof(HrMaxUpload256MiB)];
    private static readonly string[] Small = [nameof(HhListPage), nameof(Headshot100KB)];
    private static readonly string[] Peers = [Paired.NSwag, Paired.Refit];

    public static (string Table, bool AllMet) Table(IReadOnlyList<Paired.Row> paired, Summary[]? summaries)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | Client | Median/op | vs raw: median [IQR] | Throughput | Alloc/op | Alloc vs raw | BDN mean | BDN ratio | BDN alloc/op | Target |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        var allMet = true;
        foreach (var row in paired)
        {
            var raw = paired.First(r => r.Scenario == row.Scenario && r.Client == Paired.Raw);
            var isRaw = row.Client == Paired.Raw;
            var bdn = Find(summaries, row.Scenario, row.Client);
            var bdnRaw = Find(summaries, row.Scenario, Paired.Raw);
            var bdnMean = bdn?.ResultStatistics?.Mean;
            var bdnRatio = bdnMean / bdnRaw?.ResultStatistics?.Mean;
            var bdnAllocated = bdn?.GcStats.GetBytesAllocatedPerOperation(bdn.BenchmarkCase);
            var throughput = row.Size > 0 ? $"{row.Size / (1024.0 * 1024.0) / row.MedianSeconds:0} MiB/s" : string.Empty;
            var target = Target(row, raw, paired, out var met);
            allMet &= met;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Client} | {Time(row.MedianSeconds * 1e9)} | {(isRaw ? "1.00" : Ratio(row.RatioToRaw))} | {throughput} | {Bytes(row.AllocatedPerOp)} | {(isRaw ? "–" : Signed(row.AllocatedPerOp - raw.AllocatedPerOp))} | {Time(bdnMean)} | {(bdnRatio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} | {Bytes(bdnAllocated)} | {target} |");
        }

        text.AppendLine();
        return (text.ToString(), allMet);
    }

    /// <summary>Issue #6's targets, checked on the paired figures of our rows.</summary>
    private static string Target(Paired.Row row, Paired.Row raw, IReadOnlyList<Paired.Row> paired, out bool met)
    {
        met = true;
        if (!row.Client.StartsWith("ours", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var goals = new List<(string Text, bool Ok)>();
        if (row.Client == Paired.OursProgress)
        {
            var cost = row.RatioToClient[Paired.Ours].Median - 1;
            goals.Add(($"progress costs {cost.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)} (≤ 2%)", cost <= 0.02));
        }
        else
        {
            if (Small.Contains(row.Scenario))
            {
                var extra = row.AllocatedPerOp - raw.AllocatedPerOp;
                goals.Add(("time ≤ 1.05 × raw", row.RatioToRaw.Median <= 1.05));
                goals.Add(("alloc ≤ raw + 4 KiB", extra <= 4096));
            }
            else if (Large.Contains(row.Scenario))
            {
                goals.Add(("throughput ≥ 0.95 × raw", 1 / row.RatioToRaw.Median >= 0.95));
            }
            else if (row.Scenario == nameof(Headshots50Concurrent))
            {
                goals.Add(("≤ 1.00 × raw", row.RatioToRaw.Median <= 1.0));
            }

            foreach (var peer in Peers)
            {
                var versus = row.RatioToClient[peer].Median;
                goals.Add(($"{versus.ToString("0.00", CultureInfo.InvariantCulture)} × {peer}", versus <= 1.0));
            }
        }

        met = goals.All(g => g.Ok);
        var missed = goals.Where(g => !g.Ok).Select(g => g.Text).ToArray();
        return met
            ? "met: " + string.Join("; ", goals.Select(g => g.Text))
            : "**not met**: " + string.Join("; ", missed) + (goals.Any(g => g.Ok) ? " (met: " + string.Join("; ", goals.Where(g => g.Ok).Select(g => g.Text)) + ")" : string.Empty);
    }

    private static BenchmarkReport? Find(Summary[]? summaries, string scenario, string client)
        => summaries?.SelectMany(s => s.Reports)
            .FirstOrDefault(r => r.BenchmarkCase.Descriptor.Type.Name == scenario && r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'') == client);

    private static string Ratio(Paired.Quartiles q)
        => string.Create(CultureInfo.InvariantCulture, $"{q.Median:0.00} [{q.Low:0.00}–{q.High:0.00}]");

    private static string Time(double? nanoseconds) => nanoseconds switch
    {
        null => "n/a",
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e9:0.000} s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e6:0.00} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1e3:0.0} µs"),
    };

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "n/a",
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.00} MiB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => $"{bytes} B",
    };

    private static string Signed(long? bytes) => bytes switch
    {
        null => "n/a",
        < 0 => "−" + Bytes(-bytes),
        _ => "+" + Bytes(bytes),
    };
}
