using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CandidateFiles.Demo;

/// <summary>
/// The first-run demo: the provider sandbox in-process, each provider's client registered with
/// dependency injection and configuration, one realistic flow per provider, and what it did.
/// </summary>
public static class DemoRunner
{
    /// <summary>Size of the large 104 download (the sandbox streams <c>large-&lt;bytes&gt;</c>).</summary>
    public const long LargeDownloadBytes = 48L * 1024 * 1024;

    /// <summary>Size of the HR Max upload (under the sandbox's 10 MiB limit).</summary>
    public const int LargeUploadBytes = 8 * 1024 * 1024;

    private static readonly string[] SandboxArguments = { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning" };

    /// <summary>Runs the demo.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="progress">Progress display for large transfers, or null for none.</param>
    /// <param name="workDirectory">Where the downloaded files go; null creates a temporary folder (kept, so they can be looked at).</param>
    /// <param name="cancellationToken">Stops the demo.</param>
    /// <returns>0 when every step succeeded, 1 otherwise.</returns>
    public static async Task<int> RunAsync(TextWriter output, ITransferProgress? progress, DirectoryInfo? workDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var work = workDirectory ?? Directory.CreateTempSubdirectory("candidatefiles-demo-");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("CandidateFiles.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var sandbox = SandboxApp.Build(SandboxArguments, new SandboxOptions { HhProcessingDelay = TimeSpan.FromMilliseconds(300) });
        await sandbox.StartAsync(cancellationToken);
        var root = new Uri(sandbox.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        output.WriteLine($"Sandbox running in-process at {root} (test credentials; nothing leaves this machine).");
        output.WriteLine($"Files go to {work.FullName}");

        await using var services = BuildServices(root);
        try
        {
            await EhrwebAsync(services.GetRequiredService<IEhrwebResumeClient>(), work, output, progress, cancellationToken);
            await HrMaxAsync(services.GetRequiredService<IHrMaxClient>(), work, output, progress, cancellationToken);
            await HrFlowAsync(services.GetRequiredService<IHrFlowClient>(), output, cancellationToken);
            await HeadHunterAsync(services.GetRequiredService<IHeadHunterClient>(), output, cancellationToken);
        }
        catch (Exception ex) when (ex is ProviderApiException or HttpRequestException or IOException or TimeoutException)
        {
            output.WriteLine($"FAILED: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
        finally
        {
            await sandbox.StopAsync(CancellationToken.None);
        }

        output.WriteLine();
        output.WriteLine($"Traces: {spans.Count} operation spans from the CandidateFiles.* activity sources:");
        foreach (var group in spans.GroupBy(s => s.DisplayName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = string.Join(", ", group.Select(s => s.GetTagItem("http.response.status_code")).Distinct());
            output.WriteLine($"  {group.Key,-36} x{group.Count()}  status {statuses}");
        }

        output.WriteLine("Done: every provider's client ran against the sandbox.");
        return 0;
    }

    private static ServiceProvider BuildServices(Uri root)
    {
        // What an application puts in appsettings.json (and its secrets in user secrets), here pointed at the sandbox.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CandidateFiles:Ehrweb:Endpoint"] = new Uri(root, "external/").ToString(),
            ["CandidateFiles:Ehrweb:TokenEndpoint"] = new Uri(root, "oauth2/token").ToString(),
            ["CandidateFiles:Ehrweb:GuiNum"] = SandboxCredentials.EhrwebGuiNum,
            ["CandidateFiles:Ehrweb:ClientId"] = SandboxCredentials.EhrwebClientId,
            ["CandidateFiles:Ehrweb:ClientSecret"] = SandboxCredentials.EhrwebClientSecret,
            ["CandidateFiles:HrMax:Endpoint"] = root.ToString(),
            ["CandidateFiles:HrFlow:Endpoint"] = new Uri(root, "v1/").ToString(),
            ["CandidateFiles:HrFlow:ApiKey"] = SandboxCredentials.HrFlowApiKey,
            ["CandidateFiles:HeadHunter:Endpoint"] = root.ToString(),
            ["CandidateFiles:HeadHunter:UserAgent"] = "CandidateFilesDemo/1.0 (demo@example.com)",
        }).Build();

        var services = new ServiceCollection();
        services.AddSingleton(new HrMaxSignIn(root, SandboxCredentials.HrMaxAccount, SandboxCredentials.HrMaxPassword));
        services.AddEhrwebResumeClient(configuration.GetSection("CandidateFiles:Ehrweb"));
        services.AddHrMaxClient(
            configuration.GetSection("CandidateFiles:HrMax"),
            (options, provider) => options.AccessTokenCallback = provider.GetRequiredService<HrMaxSignIn>().GetTokenAsync);
        services.AddHrFlowClient(configuration.GetSection("CandidateFiles:HrFlow"));
        services.AddHeadHunterClient(
            configuration.GetSection("CandidateFiles:HeadHunter"),
            (options, _) => options.AccessTokenCallback = (_, _) => new ValueTask<string>(SandboxCredentials.HhApplicantToken));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task EhrwebAsync(IEhrwebResumeClient client, DirectoryInfo work, TextWriter output, ITransferProgress? progress, CancellationToken cancellationToken)
    {
        const string tag = "[104 Ehrweb]";
        using (var headshot = await client.GetHeadshotAsync(SandboxCredentials.EhrwebHeadshotFileId, cancellationToken))
        {
            var path = Path.Combine(work.FullName, "headshot.png");
            var size = await headshot.SaveToFileAsync(path, overwrite: true, cancellationToken: cancellationToken);
            output.WriteLine($"{tag} headshot saved: {path} ({size} bytes, {headshot.ContentType})");
        }

        using (var attachment = await client.GetAttachmentAsync(AttachmentType.Attachment, SandboxCredentials.EhrwebDocAttachmentFileId, cancellationToken))
        {
            var path = await attachment.SaveToDirectoryAsync(work.FullName, "attachment.bin", overwrite: true, cancellationToken: cancellationToken);
            output.WriteLine($"{tag} attachment saved: {path} ({new FileInfo(path).Length} bytes, {attachment.ContentType}, server file name {attachment.FileName})");
        }

        var largeId = SandboxCredentials.EhrwebLargeFileIdPrefix + LargeDownloadBytes;
        var watch = Stopwatch.StartNew();
        using (var large = await client.GetAttachmentAsync(AttachmentType.Attachment, largeId, cancellationToken))
        {
            var path = Path.Combine(work.FullName, "large.bin");
            var size = progress is null
                ? await large.SaveToFileAsync(path, overwrite: true, cancellationToken: cancellationToken)
                : await progress.RunAsync($"104 download {largeId}", large.ContentLength ?? LargeDownloadBytes, p => large.SaveToFileAsync(path, overwrite: true, p, cancellationToken));
            output.WriteLine($"{tag} large attachment downloaded: {path} ({size} bytes in {watch.Elapsed.TotalSeconds:0.00} s, streamed, never buffered)");
            File.Delete(path);
        }
    }

    private static async Task HrMaxAsync(IHrMaxClient client, DirectoryInfo work, TextWriter output, ITransferProgress? progress, CancellationToken cancellationToken)
    {
        const string tag = "[104 HR Max]";
        var content = new byte[LargeUploadBytes];
        SampleFiles.Pdf.Span.CopyTo(content);
        var expectedHash = Convert.ToHexString(SHA256.HashData(content))[..16];

        AttachedFile uploaded;
        await using (var source = new MemoryStream(content, writable: false))
        {
            uploaded = progress is null
                ? await client.AttachFileAsync("wf010", source, "leave-note.pdf", "application/pdf", cancellationToken: cancellationToken)
                : await progress.RunAsync("HR Max upload leave-note.pdf", content.Length, p => client.AttachFileAsync("wf010", new ReadProgressStream(source, p), "leave-note.pdf", "application/pdf", cancellationToken: cancellationToken));
        }

        output.WriteLine($"{tag} attachment uploaded: {uploaded.FileName} ({uploaded.FileSize} bytes, {uploaded.FileMime}) -> fileUUID {uploaded.FileUUID}");

        using (var download = await client.DownloadFileAsync(uploaded.FileUUID, cancellationToken))
        {
            var path = Path.Combine(work.FullName, "leave-note.pdf");
            var size = progress is null
                ? await download.SaveToFileAsync(path, overwrite: true, cancellationToken: cancellationToken)
                : await progress.RunAsync("HR Max download leave-note.pdf", download.ContentLength ?? content.Length, p => download.SaveToFileAsync(path, overwrite: true, p, cancellationToken));
            var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(path, cancellationToken)))[..16];
            output.WriteLine($"{tag} attachment downloaded: {path} ({size} bytes, {download.ContentType}); sha256 {hash} {(hash == expectedHash ? "matches the upload" : "DIFFERS from the upload")}");
            if (hash != expectedHash)
            {
                throw new IOException("The downloaded attachment differs from the uploaded one.");
            }
        }

        await client.DetachFileAsync(uploaded.FileUUID, cancellationToken);
        output.WriteLine($"{tag} attachment detached: {uploaded.FileUUID}");
    }

    private static async Task HrFlowAsync(IHrFlowClient client, TextWriter output, CancellationToken cancellationToken)
    {
        const string tag = "[HrFlow]";
        var list = await client.ListProfileAttachmentsAsync(SandboxCredentials.HrFlowSourceId, key: SandboxCredentials.HrFlowProfileId, cancellationToken: cancellationToken);
        output.WriteLine($"{tag} attachments of profile {SandboxCredentials.HrFlowProfileId} listed: {list.Data.Count}");
        foreach (var attachment in list.Data)
        {
            output.WriteLine($"{tag}   {attachment.Type}: {attachment.FileName}{attachment.Extension} ({(attachment.FileSize is { } size ? size + " bytes" : "size unknown")}, created {attachment.CreatedAt?.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}) {attachment.PublicUrl}");
        }
    }

    private static async Task HeadHunterAsync(IHeadHunterClient client, TextWriter output, CancellationToken cancellationToken)
    {
        const string tag = "[hh.ru]";
        Artifact photo;
        await using (var image = new MemoryStream(SampleFiles.Png.ToArray(), writable: false))
        {
            photo = await client.UploadArtifactAsync(ArtifactType.Photo, image, "me.png", cancellationToken: cancellationToken);
        }

        output.WriteLine($"{tag} photo uploaded: id {photo.Id} ({photo.State.Id})");

        var processed = await client.WaitUntilProcessedAsync(ArtifactType.Photo, photo.Id, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), cancellationToken);
        output.WriteLine($"{tag} photo processed: {processed.State.Id}, small {processed.Small}, medium {processed.Medium}");

        var page = await client.ListPhotosAsync(0, 20, cancellationToken);
        output.WriteLine($"{tag} photos listed: {page.Found} ({string.Join(", ", page.Items.Select(a => $"{a.Id} {a.State.Id}"))})");

        await client.UpdateArtifactDescriptionAsync(photo.Id, "Taken for the demo", cancellationToken);
        output.WriteLine($"{tag} photo edited: description set on {photo.Id}");

        await client.DeleteArtifactAsync(photo.Id, cancellationToken);
        var left = await client.ListPhotosAsync(0, 20, cancellationToken);
        output.WriteLine($"{tag} photo deleted: {photo.Id}; photos left: {left.Found}");
    }

    /// <summary>HR Max sign-in (<c>POST /api/auth/signIn</c>): the access token the HR Max client asks for, cached, renewed when rejected.</summary>
    private sealed class HrMaxSignIn(Uri root, string account, string password) : IDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = root };
        private readonly SemaphoreSlim _gate = new(1, 1);
        private string? _token;

        public async ValueTask<string> GetTokenAsync(AccessTokenRequestContext context, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_token is null || context.PreviousTokenRejected)
                {
                    using var response = await _http.PostAsJsonAsync("api/auth/signIn", new { account, password }, cancellationToken);
                    response.EnsureSuccessStatusCode();
                    using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
                    _token = json.RootElement.GetProperty("data").GetProperty("ACCESS_TOKEN").GetString();
                }

                return _token ?? throw new InvalidOperationException("HR Max sign-in returned no ACCESS_TOKEN.");
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            _http.Dispose();
            _gate.Dispose();
        }
    }
}
