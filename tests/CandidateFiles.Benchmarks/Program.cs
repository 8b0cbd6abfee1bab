using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace CandidateFiles.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/CandidateFiles.Benchmarks -- [quick|full|paired|memory|verify|alloc-types] [filter]
/// quick (default): the paired run, short BenchmarkDotNet runs and the memory table, in under 3 minutes.
/// full: more paired rounds, BenchmarkDotNet's default accuracy, and the memory table of all four clients.
/// paired [filter]: only the paired run (the clients taking turns; what the targets are checked on), ~30 s.
/// memory: only the one-transfer-per-process memory table (16 MiB and 1 GiB).
/// verify: each scenario once through each client (a smoke test, seconds).
/// ablate [size]: our headshot call on loopback with each pipeline handler left out in turn (where the time goes).
/// ablate-cpu: the same over an in-memory transport (the pipeline's own CPU cost per call, no network).
/// alloc-types [calls]: which types a small call allocates, ours beside raw HttpClient (sampled; see AllocationSources).
/// The markdown table goes to artifacts/benchmarks/results.md and is printed at the end.
/// </summary>
public static class Program
{
    private static readonly Type[] Scenarios =
    [
        typeof(HhListPage), typeof(Headshot100KB), typeof(Headshots50Concurrent),
        typeof(Download256MiB), typeof(HrMaxUpload256MiB), typeof(HhUpload6MiB),
    ];

    public static async Task<int> Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "quick";
        switch (mode)
        {
            case "memory-child":
                return await MemoryProbe.ChildAsync(args[1], args[2], long.Parse(args[3], CultureInfo.InvariantCulture));
            case "verify":
                return Verify();
            case "loop":
                {
                    // loop <variant> <calls>: one client's headshot calls, nothing else (to run under a profiler).
                    await using var server = await BenchServer.StartAsync();
                    using var variant = Variant.Create(args[1], server.Root);
                    var size = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 1;
                    for (var i = 0; i < int.Parse(args[2], CultureInfo.InvariantCulture); i++)
                    {
                        await variant.HeadshotAsync(size, System.Threading.CancellationToken.None);
                    }

                    return 0;
                }

            case "paired":
                {
                    await WarmUp.RunAsync(Console.Out);
                    var rows = await Paired.RunAsync(quick: true, args.Length > 1 ? args[1] : null, Console.Out);
                    return Write(rows, null, null, mode);
                }

            case "ablate":
                return await Ablation.RunAsync(args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : Headshot100KB.Size);
            case "ablate-cpu":
                return await PipelineCpu.RunAsync();
            case "alloc-types":
                return await AllocationSources.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20000);
            case "memory":
                return Write(null, null, MemoryProbe.RunAll(Variant.Names, Console.Out), mode);
            case "quick":
            case "full":
                var filter = args.Length > 1 ? args[1] : null;
                var types = Scenarios.Where(t => filter is null || t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToArray();
                // Every client through every scenario first, in this process: BenchmarkDotNet runs in-process
                // and one case after another, so without this the first client of each scenario (raw
                // HttpClient, the baseline) would be timed while the shared HTTP stack is still being tiered up.
                await WarmUp.RunAsync(Console.Out);
                var paired = await Paired.RunAsync(quick: mode == "quick", filter, Console.Out);

                // The 256 MiB transfers take a second per operation: fewer, single-operation iterations.
                var large = types.Where(t => t == typeof(Download256MiB) || t == typeof(HrMaxUpload256MiB)).ToArray();
                var summaries = BenchmarkRunner.Run(types.Except(large).ToArray(), Config(quick: mode == "quick", large: false))
                    .Concat(large.Length == 0 ? [] : BenchmarkRunner.Run(large, Config(quick: mode == "quick", large: true)))
                    .ToArray();
                Console.WriteLine("Memory, one large transfer per process:");
                var memory = filter is null ? MemoryProbe.RunAll(mode == "quick" ? ["raw", "ours"] : Variant.Names, Console.Out) : null;
                return Write(paired, summaries, memory, mode);
            default:
                Console.Error.WriteLine("usage: [quick|full|paired|memory|verify|alloc-types] [scenario filter]");
                return 2;
        }
    }

    private static IConfig Config(bool quick, bool large)
    {
        // In-process: the server, the files and the clients live in this process; each benchmark case
        // still gets its own server and clients (GlobalSetup/GlobalCleanup per case).
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithGcServer(false).WithGcConcurrent(true).WithLaunchCount(1);
        job = (quick, large) switch
        {
            (true, false) => job.WithWarmupCount(2).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(100)).WithId("quick"),
            (true, true) => job.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(1).WithIterationCount(3).WithId("quick"),
            (false, false) => job.WithMaxIterationCount(30).WithId("full"),
            (false, true) => job.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(2).WithIterationCount(10).WithId("full"),
        };
        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(RepoRoot(), "artifacts", "benchmarks", "bdn"))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
    }

    private static int Verify()
    {
        foreach (var type in Scenarios)
        {
            var scenario = (Scenario)Activator.CreateInstance(type)!;
            scenario.Setup();
            scenario.Cleanup();
            Console.WriteLine($"{type.Name}: every client checked");
        }

        foreach (var (key, value) in Scenario.Notes.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {key} = {value}");
        }

        return 0;
    }

    private static int Write(IReadOnlyList<Paired.Row>? paired, Summary[]? summaries, IReadOnlyList<MemoryProbe.Result>? memory, string mode)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Mode `{mode}`, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average before the run: {LoadAverage()}.");
        text.AppendLine();
        if (paired is not null)
        {
            var (table, _) = Report.Table(paired, summaries);
            text.Append(table);
            var rounds = paired.GroupBy(r => r.Scenario).Select(g => $"{g.Key} {g.First().Rounds}×{g.First().OpsPerTurn}");
            text.AppendLine(CultureInfo.InvariantCulture, $"Paired rounds × operations per client per round: {string.Join(", ", rounds)}.");
            text.AppendLine();
        }

        if (summaries is not null)
        {
            foreach (var (key, value) in Scenario.Notes.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- `{key}`: {value} token request(s)");
            }

            text.AppendLine();
        }

        if (memory is not null)
        {
            text.AppendLine("Memory of one transfer per process (client and in-process server together):");
            text.AppendLine();
            text.Append(MemoryProbe.Table(memory));
            var worst = memory.Where(m => m.Variant == "ours").Max(m => m.PeakHeapGrowth);
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Largest peak managed heap growth of our client: {MemoryProbe.Mib(worst):0.00} MiB (target under 8 MiB at both sizes).");
        }

        var output = text.ToString();
        var file = Path.Combine(RepoRoot(), "artifacts", "benchmarks", "results.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, output);
        Console.WriteLine();
        Console.WriteLine(output);
        Console.WriteLine($"Written to {file}");
        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generated.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
