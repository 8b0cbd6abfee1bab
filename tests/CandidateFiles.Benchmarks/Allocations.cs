using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// Per small call and per client: bytes allocated, CPU time and wall time, from many sequential calls.
/// The clients take turns in rounds (a few hundred calls each per round), so a change in machine load
/// hits all of them alike; CPU time (process user + system) is what the call costs this machine,
/// whatever else runs on it. Counts are process-wide, so the in-process server's share is in every
/// figure and cancels out in the differences to raw HttpClient. A profiling aid beside
/// BenchmarkDotNet's table.
/// </summary>
public static class Allocations
{
    public static async Task<int> RunAsync(int calls, bool large = false)
    {
        await using var server = await BenchServer.StartAsync();
        var download = System.IO.Path.Combine(BenchFiles.Directory, "alloc-download.bin");
        var upload = large ? BenchFiles.Get("upload-256MiB.bin", HrMaxUpload256MiB.Size) : null;
        var progress = new LastValueProgress();
        var scenarios = large
            ? new (string Name, Func<Variant, Task> Call)[]
            {
                ("104 attachment 256 MiB to a file", v => v.DownloadToFileAsync(Download256MiB.Size, download, null, CancellationToken.None)),
                ("104 attachment 256 MiB to a file, with progress", v => v.DownloadToFileAsync(Download256MiB.Size, download, progress, CancellationToken.None)),
                ("HR Max 256 MiB upload", v => v.HrMaxUploadAsync(upload!, null, CancellationToken.None)),
                ("HR Max 256 MiB upload, with progress", v => v.HrMaxUploadAsync(upload!, progress, CancellationToken.None)),
            }
            : new (string Name, Func<Variant, Task> Call)[]
            {
                ("hh.ru list page", v => v.ListPhotosAsync(CancellationToken.None)),
                ("104 headshot 100 KB", v => v.HeadshotAsync(Headshot100KB.Size, CancellationToken.None)),
                ("104 headshot 1 byte", v => v.HeadshotAsync(1, CancellationToken.None)),
            };
        var variants = Variant.Names.Select(name => Variant.Create(name, server.Root)).ToArray();
        try
        {
            // Every client through every scenario first, so tiered JIT of the shared HTTP stack is not
            // charged to whichever client happens to run first.
            foreach (var variant in variants)
            {
                foreach (var (_, call) in scenarios)
                {
                    for (var i = 0; i < (large ? 1 : 500); i++)
                    {
                        await call(variant);
                    }
                }
            }

            await Task.Delay(1000);
            using var process = Process.GetCurrentProcess();
            const int Rounds = 10;
            var perRound = Math.Max(1, calls / Rounds);
            foreach (var (name, call) in scenarios)
            {
                var bytes = new long[variants.Length];
                var cpu = new TimeSpan[variants.Length];
                var wall = new TimeSpan[variants.Length];
                for (var round = 0; round < Rounds; round++)
                {
                    for (var v = 0; v < variants.Length; v++)
                    {
                        GC.Collect();
                        process.Refresh();
                        var cpuBefore = process.TotalProcessorTime;
                        var before = GC.GetTotalAllocatedBytes(precise: true);
                        var started = Stopwatch.GetTimestamp();
                        for (var i = 0; i < perRound; i++)
                        {
                            await call(variants[v]);
                        }

                        wall[v] += Stopwatch.GetElapsedTime(started);
                        bytes[v] += GC.GetTotalAllocatedBytes(precise: true) - before;
                        process.Refresh();
                        cpu[v] += process.TotalProcessorTime - cpuBefore;
                    }
                }

                var total = (double)(perRound * Rounds);
                Console.WriteLine(name);
                for (var v = 0; v < variants.Length; v++)
                {
                    var perCall = (long)(bytes[v] / total);
                    var rawBytes = (long)(bytes[0] / total);
                    Console.WriteLine($"  {MemoryProbe.Display(Variant.Names[v]),-22} {perCall,8} B/call ({perCall - rawBytes,6:+0;-0} vs raw)  CPU {cpu[v].TotalMicroseconds / total,7:0.0} µs/call ({cpu[v] / cpu[0],4:0.00}×)  wall {wall[v].TotalMicroseconds / total,7:0.0} µs/call ({wall[v] / wall[0],4:0.00}×)");
                }
            }
        }
        finally
        {
            foreach (var variant in variants)
            {
                variant.Dispose();
            }
        }

        return 0;
    }
}
