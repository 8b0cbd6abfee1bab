using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// Clients taking turns: every round runs each client for a few operations, in an order that rotates from
/// round to round, so a slow spell of the machine hits all clients of that round alike. Paired, ablate and
/// ablate-cpu all measure this way; the statistics over the rounds are here too.
/// </summary>
public static class Rotation
{
    /// <summary>Per client and round: seconds and bytes allocated (process-wide) per operation.</summary>
    public sealed record Timings(double[][] Seconds, double[][] Bytes);

    /// <summary>Runs <paramref name="warmUpOperations"/> untimed operations per client, then the rounds.</summary>
    public static async Task<Timings> RunAsync(IReadOnlyList<Func<Task>> clients, int rounds, int operationsPerTurn, int warmUpOperations)
    {
        foreach (var operation in clients)
        {
            for (var i = 0; i < warmUpOperations; i++)
            {
                await operation();
            }
        }

        var seconds = clients.Select(_ => new double[rounds]).ToArray();
        var bytes = clients.Select(_ => new double[rounds]).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var turn = 0; turn < clients.Count; turn++)
            {
                // The order rotates, so no client always follows the same one (or always goes first).
                var c = (turn + round) % clients.Count;
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var started = Stopwatch.GetTimestamp();
                for (var op = 0; op < operationsPerTurn; op++)
                {
                    await clients[c]();
                }

                seconds[c][round] = Stopwatch.GetElapsedTime(started).TotalSeconds / operationsPerTurn;
                bytes[c][round] = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)operationsPerTurn;
            }
        }

        return new Timings(seconds, bytes);
    }

    /// <summary>Quartiles of the per-round ratios mine[r] / theirs[r].</summary>
    public static Paired.Quartiles RatioQuartiles(double[] mine, double[] theirs)
    {
        var ratios = mine.Select((m, i) => m / theirs[i]).Order().ToArray();
        return new Paired.Quartiles(Percentile(ratios, 0.25), Percentile(ratios, 0.5), Percentile(ratios, 0.75));
    }

    public static double Median(double[] values) => Percentile(values.Order().ToArray(), 0.5);

    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
