using CandidateFiles.Ehrweb;

// 104 Ehrweb Resume: download a resume's headshot.
//   dotnet user-secrets set CandidateFiles:Ehrweb:ClientId <id>       (in this folder)
//   dotnet user-secrets set CandidateFiles:Ehrweb:ClientSecret <secret>
//   dotnet run -- <fileId>                                             (the token in the resume's headshotUrl)
// appsettings.json (and appsettings.{DOTNET_ENVIRONMENT}.json) are read from the app folder, wherever it is run from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddUserSecrets<Program>(optional: true);
builder.Services.AddEhrwebResumeClient(builder.Configuration.GetSection("CandidateFiles:Ehrweb"));

using var host = builder.Build();
await host.StartAsync(); // validates the options: a missing setting stops here, naming it
var fileId = args.FirstOrDefault(a => !a.StartsWith('-')) ?? builder.Configuration["Sample:FileId"];
if (string.IsNullOrWhiteSpace(fileId))
{
    Console.Error.WriteLine("Pass the headshot's fileId: dotnet run -- <fileId>");
    return 2;
}

var client = host.Services.GetRequiredService<IEhrwebResumeClient>();
using var headshot = await client.GetHeadshotAsync(fileId, CancellationToken.None);
var path = await headshot.SaveToDirectoryAsync(Directory.GetCurrentDirectory(), "headshot.png", overwrite: true);
Console.WriteLine($"Headshot saved: {path} ({new FileInfo(path).Length} bytes, {headshot.ContentType})");
await host.StopAsync();
return 0;
