using CandidateFiles.HrFlow;

// HrFlow.ai: list a profile's attachments.
//   dotnet user-secrets set CandidateFiles:HrFlow:ApiKey askr_...      (in this folder)
//   dotnet run -- --Sample:SourceKey <source key> --Sample:ProfileKey <profile key>
// appsettings.json (and appsettings.{DOTNET_ENVIRONMENT}.json) are read from the app folder, wherever it is run from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddUserSecrets<Program>(optional: true);
builder.Services.AddHrFlowClient(builder.Configuration.GetSection("CandidateFiles:HrFlow"));

using var host = builder.Build();
await host.StartAsync();
var source = builder.Configuration["Sample:SourceKey"];
var profile = builder.Configuration["Sample:ProfileKey"];
if (string.IsNullOrWhiteSpace(source) || string.IsNullOrWhiteSpace(profile))
{
    Console.Error.WriteLine("Pass the source and profile: dotnet run -- --Sample:SourceKey <key> --Sample:ProfileKey <key>");
    return 2;
}

var client = host.Services.GetRequiredService<IHrFlowClient>();
var list = await client.ListProfileAttachmentsAsync(source, key: profile, cancellationToken: CancellationToken.None);
Console.WriteLine($"{list.Data.Count} attachment(s) of profile {profile}:");
foreach (var attachment in list.Data)
{
    Console.WriteLine($"  {attachment.Type}: {attachment.FileName}{attachment.Extension} ({attachment.FileSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} bytes, created {attachment.CreatedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "?"}) {attachment.PublicUrl}");
}

await host.StopAsync();
return 0;
