using System;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;

namespace CandidateFiles.Benchmarks;

/// <summary>The results table: mean time and allocations per operation, and both against the scenario's raw HttpClient baseline.</summary>
public static class Report
{
    private static readonly string[] Large = [nameof(Download256MiB), nameof(HrMaxUpload256MiB)];

    public static (string Table, bool AllMet) Table(Summary[] summaries)
    {
        var text = new StringBuilder();
        text.AppendLine("| Scenario | Client | Mean | Time ratio | Allocated/op | Alloc vs raw | Throughput | Target |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        var allMet = true;
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var scenario = report.BenchmarkCase.Descriptor.Type.Name;
            var baseline = summaries.SelectMany(s => s.Reports).FirstOrDefault(r => r.BenchmarkCase.Descriptor.Type.Name == scenario && r.BenchmarkCase.Descriptor.Baseline);
            var mean = report.ResultStatistics?.Mean;
            var baseMean = baseline?.ResultStatistics?.Mean;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            var baseAllocated = baseline?.GcStats.GetBytesAllocatedPerOperation(baseline.BenchmarkCase);
            var ratio = mean / baseMean;
            var delta = allocated - baseAllocated;
            var size = scenario switch
            {
                nameof(Download256MiB) => Download256MiB.Size,
                nameof(HrMaxUpload256MiB) => HrMaxUpload256MiB.Size,
                nameof(HhUpload6MiB) => HhUpload6MiB.Size,
                _ => 0L,
            };
            var throughput = size > 0 && mean is { } m ? $"{size / (1024.0 * 1024.0) / (m / 1e9):0} MiB/s" : string.Empty;
            var description = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
            var target = Target(scenario, report.BenchmarkCase.Descriptor.Baseline, description, ratio, delta, summaries, out var met);
            allMet &= met;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {description} | {Time(mean)} | {ratio:0.00} | {Bytes(allocated)} | {(report.BenchmarkCase.Descriptor.Baseline ? "–" : Signed(delta))} | {throughput} | {target} |");
        }

        text.AppendLine();
        return (text.ToString(), allMet);
    }

    /// <summary>Issue #6's targets, checked for our rows; the peers' rows are what we must match or beat.</summary>
    private static string Target(string scenario, bool baseline, string description, double? ratio, long? delta, Summary[] summaries, out bool met)
    {
        met = true;
        if (baseline || ratio is null || !description.StartsWith("ours", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        string goal;
        bool ok;
        if (description.Contains("IProgress", StringComparison.Ordinal))
        {
            var plain = Mean(summaries, scenario, "ours (full pipeline)");
            var withProgress = Mean(summaries, scenario, description);
            var cost = withProgress / plain - 1;
            goal = $"progress costs {cost:+0.0%;-0.0%} (≤ 2%)";
            ok = cost <= 0.02;
        }
        else if (Large.Contains(scenario))
        {
            goal = "throughput ≥ 0.95 × raw";
            ok = ratio <= 1 / 0.95;
        }
        else if (scenario == nameof(Headshots50Concurrent))
        {
            goal = "≤ 1.00 × raw";
            ok = ratio <= 1.0;
        }
        else
        {
            goal = "time ≤ 1.05, alloc ≤ +4 KiB";
            ok = ratio <= 1.05 && delta <= 4096;
        }

        if (!description.Contains("IProgress", StringComparison.Ordinal))
        {
            var peers = new[] { "bare NSwag", "Refit" }.Select(p => Mean(summaries, scenario, p)).Where(p => p is not null).ToArray();
            var mine = Mean(summaries, scenario, description);
            var ahead = peers.All(p => mine <= p);
            goal += ahead ? "; ahead of NSwag/Refit" : "; behind a peer";
            ok &= ahead;
        }

        met = ok;
        return (ok ? "met: " : "NOT met: ") + goal;
    }

    private static double? Mean(Summary[] summaries, string scenario, string description)
        => summaries.SelectMany(s => s.Reports)
            .FirstOrDefault(r => r.BenchmarkCase.Descriptor.Type.Name == scenario && r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'') == description)
            ?.ResultStatistics?.Mean;

    private static string Time(double? nanoseconds) => nanoseconds switch
    {
        null => "n/a",
        >= 1e9 => $"{nanoseconds / 1e9:0.000} s",
        >= 1e6 => $"{nanoseconds / 1e6:0.00} ms",
        _ => $"{nanoseconds / 1e3:0.0} µs",
    };

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "n/a",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024.0):0.00} MiB",
        >= 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };

    private static string Signed(long? bytes) => bytes switch
    {
        null => "n/a",
        < 0 => "−" + Bytes(-bytes),
        _ => "+" + Bytes(bytes),
    };
}
