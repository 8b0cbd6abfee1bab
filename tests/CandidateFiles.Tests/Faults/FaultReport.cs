using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text;

namespace CandidateFiles.Tests.Faults;

/// <summary>Collects one row per fault scenario (fault, call, outcome, attempts, time) and writes them as a markdown table.</summary>
public static class FaultReport
{
    private static readonly ConcurrentQueue<(string Fault, string Call, string Outcome, int Attempts, TimeSpan Time)> Rows = new();

    public static void Add(string fault, string call, string outcome, int attempts, TimeSpan time) => Rows.Enqueue((fault, call, outcome, attempts, time));

    public static string Markdown()
    {
        var text = new StringBuilder("| fault | call | what the client did | attempts | time |\n|---|---|---|---|---|\n");
        foreach (var row in Rows.OrderBy(r => r.Fault, StringComparer.Ordinal).ThenBy(r => r.Call, StringComparer.Ordinal))
        {
            text.Append($"| {row.Fault} | {row.Call} | {row.Outcome} | {row.Attempts} | {row.Time.TotalMilliseconds:0} ms |\n");
        }

        return text.ToString();
    }

    public static void Write(string repoRoot)
    {
        if (Rows.IsEmpty)
        {
            return;
        }

        var folder = Path.Combine(repoRoot, "artifacts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "fault-report.md"), Markdown());
    }
}
