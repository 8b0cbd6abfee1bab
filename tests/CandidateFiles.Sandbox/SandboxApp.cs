using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandidateFiles.Sandbox;

/// <summary>Builds the provider sandbox: one Kestrel app playing 104 Ehrweb Resume, 104 HR Max, HrFlow.ai and hh.ru.</summary>
public static class SandboxApp
{
    /// <summary>
    /// Configures everything and returns the app without starting it. <paramref name="args"/> are the usual
    /// host arguments (e.g. <c>--urls http://127.0.0.1:0</c>). <see cref="SandboxState"/> and
    /// <see cref="SandboxOptions"/> are registered as singletons.
    /// </summary>
    public static WebApplication Build(string[] args, SandboxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        options ??= new SandboxOptions();
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(args);

        // Body limits are the sandbox's own (counted while reading), so Kestrel's 30 MB cap is lifted.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        // Keep "Now listening on" but not one line per request.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var state = new SandboxState(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            state.Log(Snapshot(context.Request, state));
            // Test-only misbehaviour (FaultInjection.cs): a queued fault answers instead of the provider.
            if (!await state.Faults.TryApplyAsync(context))
            {
                await next(context);
            }
        });

        MapControlRoutes(app, state);
        Ehrweb104Endpoints.Map(app, state);
        HrMaxEndpoints.Map(app, state);
        HrFlowEndpoints.Map(app);
        HeadHunterEndpoints.Map(app, state);
        return app;
    }

    private static SandboxRequest Snapshot(HttpRequest request, SandboxState state)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.Select(v => v ?? string.Empty).ToArray();
        }

        return new SandboxRequest(
            request.Method,
            request.PathBase.Add(request.Path).Value ?? "/",
            request.QueryString.Value ?? string.Empty,
            request.Host.Value ?? string.Empty,
            headers,
            state.Now);
    }

    /// <summary>Routes for people driving the sandbox by hand; clients never call these.</summary>
    private static void MapControlRoutes(IEndpointRouteBuilder routes, SandboxState state)
    {
        routes.MapGet("/", context => SandboxHttp.WriteBytesAsync(context, StatusCodes.Status200OK, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(Index)));

        routes.MapPost("/sandbox/reset", context =>
        {
            state.Reset();
            SandboxHttp.NoContent(context);
            return Task.CompletedTask;
        });

        routes.MapPost("/sandbox/expire-tokens", context =>
        {
            state.ExpireAllTokens();
            SandboxHttp.NoContent(context);
            return Task.CompletedTask;
        });

        routes.MapPost("/sandbox/hh/expire-token", context =>
        {
            var token = context.Request.Query["token"].ToString();
            if (token.Length == 0)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return Task.CompletedTask;
            }

            state.ExpireHeadHunterToken(token);
            SandboxHttp.NoContent(context);
            return Task.CompletedTask;
        });

        routes.MapGet("/sandbox/requests", context =>
        {
            var log = new JsonArray();
            foreach (var request in state.Requests.TakeLast(100))
            {
                var headers = new JsonObject();
                foreach (var (name, values) in request.Headers)
                {
                    headers[name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
                }

                log.Add(new JsonObject
                {
                    ["method"] = request.Method,
                    ["path"] = request.Path,
                    ["query"] = request.QueryString,
                    ["host"] = request.Host,
                    ["timestamp"] = request.Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["headers"] = headers,
                });
            }

            return SandboxHttp.WriteJsonAsync(context, StatusCodes.Status200OK, log);
        });
    }

    private const string Index = """
        CandidateFiles provider sandbox (test credentials only; see tests/CandidateFiles.Sandbox/README.md)

        104 Ehrweb Resume
          POST   /oauth2/token                     client credentials, scope ehrweb_resume
          GET    /external/files/headshot          ?fileId=
          GET    /external/files/attachment        ?type=1|2|3&fileId=
        104 HR Max
          POST   /api/auth/signIn                  {account, password}
          POST   /api/file/attach                  multipart: funCode, attachment
          POST   /api/file/detach                  {uuid}
          POST   /api/file/download                {uuid}
        HrFlow.ai
          GET    /v1/profile/indexing/attachments  ?source_key=&key=|reference=|email=
          GET    /v1/profile/attachments           ?source_id=&profile_id=|profile_reference=|profile_email=  (deprecated)
        hh.ru
          (every hh.ru call also takes ?locale=&host=)
          GET    /artifacts/photo                  ?page=&per_page=
          GET    /artifacts/portfolio              ?page=&per_page=
          GET    /artifacts/photo/conditions
          GET    /artifacts/portfolio/conditions
          POST   /artifacts                        multipart: type, file, description
          PUT    /artifacts/{id}                   multipart: description
          DELETE /artifacts/{id}
          GET    /sandbox/hh/images/{id}/small.jpg|medium.jpg
        Sandbox control
          POST   /sandbox/reset
          POST   /sandbox/expire-tokens
          POST   /sandbox/hh/expire-token?token=
          GET    /sandbox/requests                 last 100 requests, JSON

        """;
}
