using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CandidateFiles.Benchmarks;

/// <summary>Every client through every scenario, before anything is timed in this process.</summary>
public static class WarmUp
{
    public static async Task RunAsync(TextWriter log)
    {
        var started = DateTime.UtcNow;
        await using var server = await BenchServer.StartAsync();
        var upload = BenchFiles.Get("upload-16MiB.bin", 16 * 1024 * 1024);
        var photo = BenchFiles.Get("photo-6MiB.png", HhUpload6MiB.Size);
        var download = Path.Combine(BenchFiles.Directory, "warmup-download.bin");
        var variants = Variant.Names.Select(name => Variant.Create(name, server.Root)).ToArray();
        try
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var variant in variants)
                {
                    for (var i = 0; i < 200; i++)
                    {
                        await variant.ListPhotosAsync(CancellationToken.None);
                        await variant.HeadshotAsync(Headshot100KB.Size, CancellationToken.None);
                    }

                    await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => variant.HeadshotAsync(Headshot100KB.Size, CancellationToken.None)));
                    await variant.DownloadToFileAsync(16 * 1024 * 1024, download, null, CancellationToken.None);
                    await variant.HrMaxUploadAsync(upload, null, CancellationToken.None);
                    await variant.HeadHunterUploadAsync(photo, CancellationToken.None);
                }
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

        // Let the tiering thread finish what the rounds queued.
        await Task.Delay(TimeSpan.FromSeconds(2));
        log.WriteLine($"Warm-up: every client through every scenario, {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
    }
}
