// The fresh-install program (build/fresh-install-check.sh): compiled unchanged into a new net10.0 console
// project and a new net48 one, so it is written in what both accept (explicit usings, no nullable
// annotations, no .NET Core-only APIs). It calls every provider's client against the sandbox at SANDBOX_URL
// and prints one line per check, which the script compares.
#nullable disable
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

internal static class Program
{
    private static async Task Main()
    {
        var root = new Uri(Environment.GetEnvironmentVariable("SANDBOX_URL") ?? throw new InvalidOperationException("SANDBOX_URL is not set"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cancel.Token;
        Console.WriteLine($"runtime {(Type.GetType("Mono.Runtime") is null ? RuntimeInformation.FrameworkDescription : "Mono")} {Environment.Version}");

        // 104 Ehrweb Resume, constructed directly.
        using (var ehrweb = new EhrwebResumeClient(new EhrwebResumeClientOptions
        {
            Endpoint = new Uri(root, "external/"),
            TokenEndpoint = new Uri(root, "oauth2/token"),
            GuiNum = "12345678",
            ClientId = "sandbox-104-client",
            ClientSecret = "sandbox-104-secret",
        }))
        using (var headshot = await ehrweb.GetHeadshotAsync("headshot-1", ct))
        {
            var path = Path.Combine(Path.GetTempPath(), $"fresh-install-{Guid.NewGuid():N}.png");
            var size = await headshot.SaveToFileAsync(path, cancellationToken: ct);
            File.Delete(path);
            Console.WriteLine($"ehrweb headshot {size} bytes {headshot.ContentType}");
        }

        // 104 HR Max: sign in, then upload, download, detach.
        string token;
        using (var http = new HttpClient())
        using (var body = new StringContent("{\"account\":\"sandbox-hr\",\"password\":\"sandbox-hr-password\"}", Encoding.UTF8, "application/json"))
        using (var signIn = await http.PostAsync(new Uri(root, "api/auth/signIn"), body, ct))
        {
            signIn.EnsureSuccessStatusCode();
            token = (string)JObject.Parse(await signIn.Content.ReadAsStringAsync())["data"]["ACCESS_TOKEN"];
        }

        using (var hrMax = new HrMaxClient(new HrMaxClientOptions { Endpoint = root, AccessTokenCallback = (_, _) => new ValueTask<string>(token) }))
        {
            using var note = new MemoryStream(Encoding.UTF8.GetBytes("fresh install"));
            var attached = await hrMax.AttachFileAsync("wf010", note, "note.txt", cancellationToken: ct);
            using (var download = await hrMax.DownloadFileAsync(attached.FileUUID, ct))
            using (var reader = new StreamReader(download.Stream))
            {
                Console.WriteLine($"hrmax roundtrip '{await reader.ReadToEndAsync()}'");
            }

            await hrMax.DetachFileAsync(attached.FileUUID, ct);
            Console.WriteLine("hrmax detached");
        }

        // HrFlow and hh.ru through dependency injection, configured from configuration.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string>
        {
            ["HrFlow:Endpoint"] = new Uri(root, "v1/").ToString(),
            ["HrFlow:ApiKey"] = "askr_0123456789abcdef0123456789abcdef",
            ["HeadHunter:Endpoint"] = root.ToString(),
            ["HeadHunter:UserAgent"] = "FreshInstall/1.0 (fresh@example.com)",
        }).Build();
        var services = new ServiceCollection();
        services.AddHrFlowClient(configuration.GetSection("HrFlow"));
        services.AddHeadHunterClient("applicant", configuration.GetSection("HeadHunter"), (options, _) => options.AccessTokenCallback = (_, _) => new ValueTask<string>("sandbox-hh-applicant-token"));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var list = await provider.GetRequiredService<IHrFlowClient>().ListProfileAttachmentsAsync("sandbox-source", key: "profile-1", cancellationToken: ct);
        Console.WriteLine($"hrflow attachments {list.Data.Count}");

        var hh = provider.GetRequiredKeyedService<IHeadHunterClient>("applicant");
        using (var png = new MemoryStream(Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")))
        {
            var photo = await hh.UploadArtifactAsync(ArtifactType.Photo, png, "me.png", cancellationToken: ct);
            var page = await hh.ListPhotosAsync(0, 20, ct);
            await hh.DeleteArtifactAsync(photo.Id, ct);
            Console.WriteLine($"headhunter photo uploaded listed {page.Found} deleted");
        }

        Console.WriteLine("FRESH-INSTALL OK");
    }
}
