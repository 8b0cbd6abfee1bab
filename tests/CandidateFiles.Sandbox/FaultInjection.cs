using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CandidateFiles.Sandbox;

/// <summary>The misbehaviours the sandbox can answer with instead of the provider's normal answer.</summary>
public enum SandboxFault
{
    /// <summary>Drop the connection before sending anything.</summary>
    ResetBeforeHeaders,

    /// <summary>Send headers (with the full Content-Length) and half the body, then drop the connection.</summary>
    ResetMidBody,

    /// <summary>Wait <see cref="FaultPlan.Delay"/> before answering normally (or until the client gives up).</summary>
    Stall,

    /// <summary>Answer <see cref="FaultPlan.Status"/> with a small JSON body and, when set, <see cref="FaultPlan.RetryAfter"/>.</summary>
    Status,

    /// <summary>200 with a Content-Length larger than the bytes sent, then end the response.</summary>
    TruncatedBody,

    /// <summary>200 application/json with JSON cut in the middle.</summary>
    MalformedJson,

    /// <summary><see cref="FaultPlan.Status"/> (default 502) with an HTML error page.</summary>
    HtmlError,

    /// <summary><see cref="FaultPlan.Status"/> (default 500) with no body at all.</summary>
    EmptyError,

    /// <summary><see cref="FaultPlan.Status"/> (default 500) with a body of <see cref="FaultPlan.Size"/> bytes.</summary>
    HugeErrorBody,

    /// <summary>200 text/plain with bytes that are not what the endpoint promises.</summary>
    Garbage,

    /// <summary>302 to <see cref="FaultPlan.Location"/>.</summary>
    Redirect,

    /// <summary>The provider's normal answer, under another success status (<see cref="FaultPlan.Status"/>, default 202) than the one it documents.</summary>
    UndeclaredSuccess,
}

/// <summary>One injected misbehaviour and its parameters.</summary>
/// <param name="Fault">What to do.</param>
public sealed record FaultPlan(SandboxFault Fault)
{
    /// <summary>Status code for <see cref="SandboxFault.Status"/>, <see cref="SandboxFault.HtmlError"/>, <see cref="SandboxFault.EmptyError"/>, <see cref="SandboxFault.HugeErrorBody"/>.</summary>
    public int? Status { get; init; }

    /// <summary>Retry-After value to send (seconds or an HTTP date), or null.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>How long <see cref="SandboxFault.Stall"/> waits.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Body size for <see cref="SandboxFault.HugeErrorBody"/>, and the promised length for <see cref="SandboxFault.TruncatedBody"/>.</summary>
    public long Size { get; init; } = 64L * 1024 * 1024;

    /// <summary>Target of <see cref="SandboxFault.Redirect"/>.</summary>
    public Uri? Location { get; init; }
}

/// <summary>
/// Per-path queues of faults: the next requests to a path get the queued faults in order, then the
/// provider's normal answer. Tests set them through <see cref="SandboxState.InjectFault"/>.
/// </summary>
public sealed class FaultInjector
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FaultPlan>> _plans = new(StringComparer.OrdinalIgnoreCase);
    private int _applied;

    /// <summary>How many faults were applied since the last clear.</summary>
    public int Applied => System.Threading.Volatile.Read(ref _applied);

    /// <summary>Queues <paramref name="plan"/> for the next <paramref name="times"/> requests to <paramref name="path"/>.</summary>
    /// <param name="path">Request path, for example "/artifacts/photo".</param>
    /// <param name="plan">The fault.</param>
    /// <param name="times">How many requests get it.</param>
    public void Add(string path, FaultPlan plan, int times = 1)
    {
        var queue = _plans.GetOrAdd(path, _ => new ConcurrentQueue<FaultPlan>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(plan);
        }
    }

    /// <summary>Removes every queued fault.</summary>
    public void Clear()
    {
        _plans.Clear();
        System.Threading.Interlocked.Exchange(ref _applied, 0);
    }

    internal async Task<bool> TryApplyAsync(HttpContext context)
    {
        if (!_plans.TryGetValue(context.Request.Path.Value ?? "/", out var queue) || !queue.TryDequeue(out var plan))
        {
            return false;
        }

        System.Threading.Interlocked.Increment(ref _applied);
        var response = context.Response;
        switch (plan.Fault)
        {
            case SandboxFault.ResetBeforeHeaders:
                context.Abort();
                return true;

            case SandboxFault.ResetMidBody:
                response.StatusCode = 200;
                response.ContentType = "application/octet-stream";
                response.ContentLength = 200_000;
                await response.Body.WriteAsync(new byte[100_000], context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return true;

            case SandboxFault.Stall:
                try
                {
                    await Task.Delay(plan.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return true;
                }

                return false; // then answer normally

            case SandboxFault.Status:
                if (plan.RetryAfter is not null)
                {
                    response.Headers.RetryAfter = plan.RetryAfter;
                }

                await WriteAsync(context, plan.Status ?? 503, "application/json", $"{{\"code\":{plan.Status ?? 503},\"message\":\"injected\",\"msg\":\"injected\",\"errors\":[{{\"type\":\"injected\"}}]}}");
                return true;

            case SandboxFault.TruncatedBody:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength = plan.Size;
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"items\":["), context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return true;

            case SandboxFault.MalformedJson:
                await WriteAsync(context, 200, "application/json", "{\"items\": [{\"id\": \"1\", \"state\": ");
                return true;

            case SandboxFault.HtmlError:
                await WriteAsync(context, plan.Status ?? 502, "text/html", "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>");
                return true;

            case SandboxFault.EmptyError:
                response.StatusCode = plan.Status ?? 500;
                response.ContentLength = 0;
                return true;

            case SandboxFault.HugeErrorBody:
                response.StatusCode = plan.Status ?? 500;
                response.ContentType = "application/json";
                response.ContentLength = plan.Size;
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'x');
                try
                {
                    for (long sent = 0; sent < plan.Size; sent += chunk.Length)
                    {
                        await response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, plan.Size - sent)), context.RequestAborted);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or System.IO.IOException)
                {
                    // The client read what it wanted and hung up: the point of the exercise.
                }

                return true;

            case SandboxFault.Garbage:
                await WriteAsync(context, 200, "text/plain", "this is not what you asked for \u0000\u0001");
                return true;

            case SandboxFault.Redirect:
                response.StatusCode = 302;
                response.Headers.Location = plan.Location?.ToString() ?? "/";
                return true;

            case SandboxFault.UndeclaredSuccess:
                var status = plan.Status ?? 202;
                response.OnStarting(() =>
                {
                    response.StatusCode = status;
                    return Task.CompletedTask;
                });
                return false; // then answer normally, under that status

            default:
                throw new InvalidOperationException("Unknown fault " + plan.Fault.ToString());
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}
