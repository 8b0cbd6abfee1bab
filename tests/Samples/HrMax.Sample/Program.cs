using System.Net.Http.Json;
using System.Text.Json;
using CandidateFiles.Auth;
using CandidateFiles.HrMax;
using Microsoft.Extensions.Options;

// 104 HR Max: upload a file as an attachment, download it back, detach it.
//   dotnet user-secrets set HrMaxUser:Account <account>      (in this folder)
//   dotnet user-secrets set HrMaxUser:Password <password>
//   dotnet run -- <file>
// appsettings.json (and appsettings.{DOTNET_ENVIRONMENT}.json) are read from the app folder, wherever it is run from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddUserSecrets<Program>(optional: true);
builder.Services.AddSingleton<HrMaxSignIn>();
builder.Services.AddHrMaxClient(
    builder.Configuration.GetSection("CandidateFiles:HrMax"),
    (options, services) => options.AccessTokenCallback = services.GetRequiredService<HrMaxSignIn>().GetTokenAsync);

using var host = builder.Build();
await host.StartAsync();
var file = args.FirstOrDefault(a => !a.StartsWith('-'));
if (file is null || !File.Exists(file))
{
    Console.Error.WriteLine("Pass a file to upload: dotnet run -- <file>");
    return 2;
}

var client = host.Services.GetRequiredService<IHrMaxClient>();
var attached = await client.AttachFileAsync(builder.Configuration["Sample:FunCode"] ?? "wf010", file, cancellationToken: CancellationToken.None);
Console.WriteLine($"Uploaded: {attached.FileName} ({attached.FileSize} bytes, {attached.FileMime}) -> {attached.FileUUID}");
using (var download = await client.DownloadFileAsync(attached.FileUUID, CancellationToken.None))
{
    var path = await download.SaveToDirectoryAsync(Path.Combine(Directory.GetCurrentDirectory(), "downloaded"), Path.GetFileName(file), overwrite: true);
    Console.WriteLine($"Downloaded: {path} ({new FileInfo(path).Length} bytes, {download.ContentType})");
}

await client.DetachFileAsync(attached.FileUUID, CancellationToken.None);
Console.WriteLine($"Detached: {attached.FileUUID}");
await host.StopAsync();
return 0;

/// <summary>Signs in to HR Max (POST /api/auth/signIn) with the account from configuration; caches the token, signs in again when it is rejected.</summary>
internal sealed class HrMaxSignIn(IConfiguration configuration, IOptionsMonitor<HrMaxClientOptions> options) : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    public async ValueTask<string> GetTokenAsync(AccessTokenRequestContext context, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || context.PreviousTokenRejected)
            {
                var root = options.CurrentValue.Endpoint ?? HrMaxClient.DefaultEndpoint;
                var credentials = new { account = configuration["HrMaxUser:Account"], password = configuration["HrMaxUser:Password"] };
                using var response = await _http.PostAsJsonAsync(new Uri(root, "api/auth/signIn"), credentials, cancellationToken);
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
