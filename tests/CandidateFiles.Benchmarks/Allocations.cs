using System;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// Bytes allocated per call of each small scenario, per client: many sequential calls between two
/// precise allocation counts (process-wide, so the in-process server's share is in every figure and
/// cancels out in the differences). A quick profiling aid; BenchmarkDotNet's figures are the reported ones.
/// </summary>
public static class Allocations
{
    public static async Task<int> RunAsync(int calls)
    {
        await using var server = await BenchServer.StartAsync();
        var scenarios = new (string Name, Func<Variant, Task> Call)[]
        {
            ("hh.ru list page", v => v.ListPhotosAsync(CancellationToken.None)),
            ("104 headshot 100 KB", v => v.HeadshotAsync(Headshot100KB.Size, CancellationToken.None)),
            ("104 headshot 1 byte", v => v.HeadshotAsync(1, CancellationToken.None)),
        };
        // Every client once through every scenario first, so tiered JIT of the shared HTTP stack is not
        // charged to whichever client happens to run first.
        foreach (var variantName in Variant.Names)
        {
            using var variant = Variant.Create(variantName, server.Root);
            foreach (var (_, call) in scenarios)
            {
                for (var i = 0; i < 500; i++)
                {
                    await call(variant);
                }
            }
        }

        await Task.Delay(1000);
        foreach (var (name, call) in scenarios)
        {
            Console.WriteLine(name);
            long? baseline = null;
            foreach (var variantName in Variant.Names)
            {
                using var variant = Variant.Create(variantName, server.Root);
                for (var i = 0; i < 200; i++)
                {
                    await call(variant);
                }

                GC.Collect();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var slow = 0;
                for (var i = 0; i < calls; i++)
                {
                    var one = System.Diagnostics.Stopwatch.GetTimestamp();
                    await call(variant);
                    if (System.Diagnostics.Stopwatch.GetElapsedTime(one).TotalMilliseconds > 10)
                    {
                        slow++;
                    }
                }

                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / calls;
                baseline ??= perCall;
                Console.WriteLine($"  {MemoryProbe.Display(variantName),-22} {perCall,8} B/call ({perCall - baseline,6:+0;-0} vs raw)  {elapsed.TotalMicroseconds / calls,8:0.0} µs/call, {slow} calls over 10 ms");
            }
        }

        return 0;
    }
}
