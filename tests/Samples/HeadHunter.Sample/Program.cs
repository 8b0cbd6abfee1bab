using CandidateFiles.HeadHunter;

// hh.ru: read the photo upload conditions, upload a resume photo, wait until hh.ru processed it, list the photos, delete it again.
//   dotnet user-secrets set HeadHunterUser:AccessToken <the user's OAuth token>   (in this folder)
//   dotnet run -- <photo.jpg|png>
// appsettings.json (and appsettings.{DOTNET_ENVIRONMENT}.json) are read from the app folder, wherever it is run from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddUserSecrets<Program>(optional: true);
builder.Services.AddHeadHunterClient(
    builder.Configuration.GetSection("CandidateFiles:HeadHunter"),
    (options, services) =>
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        options.AccessTokenCallback = (_, _) => new ValueTask<string>(configuration["HeadHunterUser:AccessToken"] ?? string.Empty);
    });

using var host = builder.Build();
await host.StartAsync();
var photo = args.FirstOrDefault(a => !a.StartsWith('-'));
if (photo is null || !File.Exists(photo))
{
    Console.Error.WriteLine("Pass a photo to upload: dotnet run -- <photo.jpg>");
    return 2;
}

var client = host.Services.GetRequiredService<IHeadHunterClient>();
var conditions = await client.GetUploadConditionsAsync(ArtifactType.Photo, CancellationToken.None);
Console.WriteLine($"Upload conditions: {conditions}");
var artifact = await client.UploadArtifactFromFileAsync(ArtifactType.Photo, photo, cancellationToken: CancellationToken.None);

Console.WriteLine($"Uploaded: {artifact.Id} ({artifact.State.Id})");
var processed = await client.WaitUntilProcessedAsync(ArtifactType.Photo, artifact.Id, TimeSpan.FromMinutes(2), cancellationToken: CancellationToken.None);
Console.WriteLine($"Processed: {processed.State.Id}, medium {processed.Medium}");
var page = await client.ListPhotosAsync(0, 20, CancellationToken.None);
Console.WriteLine($"Photos: {page.Found}");
await client.DeleteArtifactAsync(artifact.Id, CancellationToken.None);
Console.WriteLine($"Deleted: {artifact.Id}");
await host.StopAsync();
return 0;
