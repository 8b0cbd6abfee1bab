using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// Which types a small call allocates, per client: "alloc-types [calls]". The runtime's GC AllocationTick
/// event fires each time about 100 KB have been allocated and names the type of the object that crossed
/// the mark, so over many calls the samples per type are proportional to the bytes of that type. Each
/// client runs alone (the counts are process-wide, the in-process server's share is in every client's
/// list alike); the table shows estimated bytes per call by type for our client beside raw HttpClient,
/// biggest difference first. This is how the pipeline's per-call costs were found (issue #6).
/// </summary>
public static class AllocationSources
{
    public static async Task<int> RunAsync(int calls)
    {
        await using var server = await BenchServer.StartAsync();
        var scenarios = new (string Name, Func<Variant, Task> Call)[]
        {
            ("hh.ru list page", v => v.ListPhotosAsync(CancellationToken.None)),
            ("104 headshot 100 KB", v => v.HeadshotAsync(Headshot100KB.Size, CancellationToken.None)),
        };
        string[] names = ["raw", "nswag", "ours-unlogged", "ours"];
        var variants = names.Select(name => Variant.Create(name, server.Root)).ToArray();
        try
        {
            foreach (var (scenario, call) in scenarios)
            {
                var perType = new Dictionary<string, double>[variants.Length];
                var totals = new double[variants.Length];
                for (var v = 0; v < variants.Length; v++)
                {
                    for (var i = 0; i < 500; i++)
                    {
                        await call(variants[v]);
                    }

                    using var listener = new AllocationTickListener();
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    for (var i = 0; i < calls; i++)
                    {
                        await call(variants[v]);
                    }

                    totals[v] = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
                    var samples = listener.Snapshot();
                    var sampleTotal = Math.Max(1, samples.Values.Sum());

                    // Scale the sample counts to the measured total: bytes per call by type.
                    perType[v] = samples.ToDictionary(p => p.Key, p => totals[v] * p.Value / sampleTotal);
                }

                Console.WriteLine($"{scenario}: bytes per call, {calls} calls per client (sampled by type, scaled to the measured total)");
                Console.WriteLine($"  total: {string.Join(", ", names.Select((n, v) => $"{n} {totals[v]:0}"))}");
                var ours = perType[^1];
                var raw = perType[0];
                foreach (var type in ours.Keys.Union(raw.Keys).OrderByDescending(t => ours.GetValueOrDefault(t) - raw.GetValueOrDefault(t)).Take(25))
                {
                    Console.WriteLine($"  {ours.GetValueOrDefault(type) - raw.GetValueOrDefault(type),8:+0;-0}  ours {ours.GetValueOrDefault(type),7:0}  unlogged {perType[2].GetValueOrDefault(type),7:0}  nswag {perType[1].GetValueOrDefault(type),7:0}  raw {raw.GetValueOrDefault(type),7:0}  {type}");
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

    private sealed class AllocationTickListener : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private readonly ConcurrentDictionary<string, int> _samples = new();
        private volatile bool _on = true;

        public Dictionary<string, int> Snapshot()
        {
            _on = false;
            return new Dictionary<string, int>(_samples);
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!_on || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
            {
                return;
            }

            var index = eventData.PayloadNames!.IndexOf("TypeName");
            var type = index >= 0 ? eventData.Payload[index] as string ?? "?" : "?";
            _samples.AddOrUpdate(type, 1, static (_, n) => n + 1);
        }
    }
}
