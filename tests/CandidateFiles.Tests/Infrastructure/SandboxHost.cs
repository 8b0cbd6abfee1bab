using System;
using System.Linq;
using System.Threading.Tasks;
using CandidateFiles.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CandidateFiles.Tests.Infrastructure;

/// <summary>The provider sandbox, started in-process on 127.0.0.1 (random port) for one fixture.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
        State = app.Services.GetRequiredService<SandboxState>();
        SecretLeakMonitor.Watch(State);
    }

    /// <summary>Root URL, ending with "/".</summary>
    public Uri Root { get; }

    public SandboxState State { get; }

    public static async Task<SandboxHost> StartAsync(SandboxOptions? options = null)
    {
        var app = SandboxApp.Build(new[] { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning" }, options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public Uri At(string relative) => new(Root, relative);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
