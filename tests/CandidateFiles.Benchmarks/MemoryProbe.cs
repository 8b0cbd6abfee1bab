using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// Memory of one large transfer, one transfer per process: the parent starts a child per (direction,
/// variant, size); the child starts the server, warms up with a 1 MiB transfer, collects, then samples
/// the managed heap (GC.GetTotalMemory without collecting, so uncollected garbage counts too) every
/// 2 ms on its own thread while the transfer runs. The process peak working set is reset just before
/// the transfer (Linux clear_refs), so it is the peak during the transfer; the client and the in-process
/// server are both in it.
/// </summary>
public static class MemoryProbe
{
    public static readonly long[] Sizes = [16L * 1024 * 1024, 1024L * 1024 * 1024];

    public sealed record Result(string Direction, string Variant, long Size, double Seconds, long HeapBefore, long PeakHeapGrowth, long HeapAfterGrowth, long Allocated, int Gen0, int Gen1, int Gen2, long PeakWorkingSet, long WorkingSetBefore, bool PeakReset);

    /// <summary>Runs every child and returns their results.</summary>
    public static List<Result> RunAll(IEnumerable<string> variants, TextWriter log)
    {
        var results = new List<Result>();
        var entry = typeof(MemoryProbe).Assembly.Location;

        // The upload sources are made here, and written out to disk before any child starts, so no
        // child's transfer shares the disk with the write-back of a file just created.
        BenchFiles.Get("upload-1MiB.bin", 1024 * 1024);
        foreach (var size in Sizes)
        {
            BenchFiles.Get($"upload-{size}.bin", size);
        }

        using (var sync = Process.Start("sync"))
        {
            sync?.WaitForExit();
        }

        foreach (var direction in new[] { "download", "upload" })
        {
            foreach (var size in Sizes)
            {
                foreach (var variant in variants)
                {
                    // Through the dotnet host (dotnet <dll> ...) or the app host (dotnet run starts that one).
                    var host = Environment.ProcessPath!;
                    var childArgs = new List<string> { "memory-child", direction, variant, size.ToString(CultureInfo.InvariantCulture) };
                    if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
                    {
                        childArgs.Insert(0, entry);
                    }

                    var start = new ProcessStartInfo(host, childArgs)
                    {
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                    };
                    using var child = Process.Start(start)!;
                    var output = child.StandardOutput.ReadToEnd();
                    var error = child.StandardError.ReadToEnd();
                    child.WaitForExit();
                    var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
                    if (child.ExitCode != 0 || line is null)
                    {
                        throw new InvalidOperationException($"memory child {direction} {variant} {size} failed ({child.ExitCode}): {output}{error}");
                    }

                    var result = JsonSerializer.Deserialize<Result>(line)!;
                    log.WriteLine($"  {direction,-8} {variant,-6} {Mib(size),8} MiB: peak heap growth {Mib(result.PeakHeapGrowth):0.00} MiB, allocated {Mib(result.Allocated):0.00} MiB, peak working set {Mib(result.PeakWorkingSet):0} MiB, {result.Seconds:0.00} s");
                    results.Add(result);
                }
            }
        }

        return results;
    }

    /// <summary>The child: one transfer, measured; prints one JSON line.</summary>
    public static async Task<int> ChildAsync(string direction, string variantName, long size)
    {
        await using var server = await BenchServer.StartAsync();
        using var variant = Variant.Create(variantName, server.Root);
        var download = Path.Combine(BenchFiles.Directory, $"memory-{Environment.ProcessId}.bin");
        var upload = direction == "upload" ? BenchFiles.Get($"upload-{size}.bin", size) : null;
        var warmUp = BenchFiles.Get("upload-1MiB.bin", 1024 * 1024);
        try
        {
            async Task TransferAsync(long bytes, string? source)
            {
                if (direction == "sink")
                {
                    // The body read and counted, nothing written: the HTTP read path alone.
                    var got = await variant.HeadshotAsync(bytes, CancellationToken.None);
                    if (got != bytes)
                    {
                        throw new InvalidOperationException($"read {got} of {bytes}");
                    }
                }
                else if (direction == "download")
                {
                    var got = await variant.DownloadToFileAsync(bytes, download, null, CancellationToken.None);
                    if (got != bytes)
                    {
                        throw new InvalidOperationException($"downloaded {got} of {bytes}");
                    }
                }
                else
                {
                    var sent = await variant.HrMaxUploadAsync(source!, null, CancellationToken.None);
                    if (sent < bytes)
                    {
                        throw new InvalidOperationException($"server saw {sent} of {bytes}");
                    }
                }
            }

            await TransferAsync(1024 * 1024, warmUp);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gen0 = GC.CollectionCount(0);
            var gen1 = GC.CollectionCount(1);
            var gen2 = GC.CollectionCount(2);
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            var workingSetBefore = self.WorkingSet64;
            var peakReset = ResetPeakWorkingSet();

            long peak = heapBefore;
            var sampling = true;
            var sampler = new Thread(() =>
            {
                while (Volatile.Read(ref sampling))
                {
                    var now = GC.GetTotalMemory(forceFullCollection: false);
                    if (now > peak)
                    {
                        peak = now;
                    }

                    Thread.Sleep(2);
                }
            })
            { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            sampler.Start();
            var watch = Stopwatch.StartNew();
            await TransferAsync(size, upload);
            watch.Stop();
            Volatile.Write(ref sampling, false);
            sampler.Join();
            var last = GC.GetTotalMemory(forceFullCollection: false);
            peak = Math.Max(peak, last);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var collections = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            self.Refresh();
            var result = new Result(
                direction,
                variantName,
                size,
                watch.Elapsed.TotalSeconds,
                heapBefore,
                peak - heapBefore,
                heapAfter - heapBefore,
                allocated,
                collections.Item1,
                collections.Item2,
                collections.Item3,
                self.PeakWorkingSet64,
                workingSetBefore,
                peakReset);
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            File.Delete(download);
        }
    }

    public static string Table(IReadOnlyList<Result> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| Transfer | Client | Size | Time | Peak managed heap growth | Heap growth after GC | Allocated during transfer | GCs during transfer (0/1/2) | Process peak working set (before) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {(r.Direction == "download" ? "104 attachment to file" : "HR Max upload from file")} | {Display(r.Variant)} | {Mib(r.Size):0} MiB | {r.Seconds:0.00} s | {Mib(r.PeakHeapGrowth):0.00} MiB | {Mib(r.HeapAfterGrowth):0.00} MiB | {Mib(r.Allocated):0.00} MiB | {r.Gen0}/{r.Gen1}/{r.Gen2} | {Mib(r.PeakWorkingSet):0} MiB ({Mib(r.WorkingSetBefore):0} MiB){(r.PeakReset ? string.Empty : " *")} |");
        }

        return text.ToString();
    }

    public static string Display(string variant) => variant switch
    {
        "raw" => "raw HttpClient",
        "nswag" => "bare NSwag",
        "refit" => "Refit",
        "ours" => "ours (full pipeline)",
        _ => variant,
    };

    internal static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) of this process.</summary>
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
