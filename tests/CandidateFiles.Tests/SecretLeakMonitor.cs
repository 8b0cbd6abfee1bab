using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using CandidateFiles.Sandbox;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests;

/// <summary>
/// Runs around the whole test assembly and fails the run if any test secret (client secrets, passwords,
/// API keys, static and issued tokens) shows up in: the message or ToString() of any exception thrown
/// anywhere in the process, any log line of a client wired to <see cref="Logs"/>, or any request a
/// sandbox received at a host other than the one credentials are meant for, and any span name, span
/// attribute or metric attribute of the SDK's telemetry. Listening to the CandidateFiles.* activity
/// sources and meters for the whole run also puts every test through the instrumented code path (the
/// one users with OpenTelemetry get), not only the listener-free one.
/// </summary>
[SetUpFixture]
public sealed class SecretLeakMonitor
{
    private const int MaxKept = 200_000;
    private static readonly ConcurrentQueue<string> ExceptionTexts = new();
    private static readonly ConcurrentBag<SandboxState> Sandboxes = new();
    private static readonly ConcurrentQueue<string> TelemetryTexts = new();
    private static int _exceptionsSeen;
    private static readonly ConditionalWeakTable<Exception, object> Described = new();
    private ActivityListener? _activities;
    private MeterListener? _meters;

    /// <summary>Static secrets used by the tests (issued tokens are added from the sandboxes).</summary>
    public static IReadOnlyList<string> KnownSecrets { get; } = new[]
    {
        SandboxCredentials.EhrwebClientSecret, SandboxCredentials.EhrwebOtherClientSecret,
        SandboxCredentials.HrMaxPassword, SandboxCredentials.HrMaxViewerPassword,
        SandboxCredentials.HrFlowApiKey,
        SandboxCredentials.HhApplicantToken, SandboxCredentials.HhApplicant2Token, SandboxCredentials.HhEmployerToken, SandboxCredentials.HhExpiredToken,
        "askr_secret_key_value", "askr_secret_in_header", "askr_ffffffffffffffffffffffffffffffff", "askr_other_key",
        "recruiter@example.com",
        "user-token-123", "wrong-secret-value", "made-up-token", "not-a-jwt", "jwt-fresh",
    };

    /// <summary>Log sink for clients under test; every line is scanned at the end of the run.</summary>
    public static CapturingLoggerFactory Logs { get; } = new();

    /// <summary>How many exceptions were scanned (reported in the closing line).</summary>
    public static int ExceptionsSeen => Volatile.Read(ref _exceptionsSeen);

    /// <summary>Adds a sandbox whose request log is scanned at the end.</summary>
    public static void Watch(SandboxState state) => Sandboxes.Add(state);

    [OneTimeSetUp]
    public void StartWatching()
    {
        AppDomain.CurrentDomain.FirstChanceException += Record;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("CandidateFiles.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Keep(TelemetryTexts, activity.DisplayName + " " + string.Join("; ", activity.TagObjects.Select(t => t.Key + "=" + t.Value)) + " " + activity.StatusDescription),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("CandidateFiles.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => KeepTags(instrument, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => KeepTags(instrument, tags));
        _meters.Start();
    }

    [OneTimeTearDown]
    public void CheckForLeaks()
    {
        AppDomain.CurrentDomain.FirstChanceException -= Record;
        _activities?.Dispose();
        _meters?.Dispose();
        var secrets = KnownSecrets.Concat(Sandboxes.SelectMany(s => s.EverIssuedTokens)).Where(s => s.Length >= 6).Distinct().ToArray();
        var places = new List<(string Where, string Text)>();
        places.AddRange(ExceptionTexts.Select(t => ("exception", t)));
        places.AddRange(Logs.Lines.Select(l => ("log line", l)));
        places.AddRange(TelemetryTexts.Select(t => ("span or metric", t)));
        places.AddRange(Sandboxes.SelectMany(s => s.EverLoggedRequests)
            .Where(r => HostName(r.Host) != "127.0.0.1")
            .Select(r => ($"request at foreign host {r.Host}", r.Method + " " + r.Path + r.QueryString + " " + string.Join("; ", r.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value))))));

        var hits = places
            .SelectMany(p => secrets.Where(secret => p.Text.Contains(secret, StringComparison.Ordinal)).Select(secret => $"{p.Where}: secret #{Array.IndexOf(secrets, secret)} ({secret[..3]}...) in: {Excerpt(p.Text, secret)}"))
            .ToArray();
        TestContext.Progress.WriteLine($"Secret-leak check: {secrets.Length} secrets against {ExceptionTexts.Count} exception texts ({ExceptionsSeen} exceptions), {Logs.Lines.Count} log lines, {TelemetryTexts.Count} spans and metric tag sets, {places.Count(p => p.Where.StartsWith("request", StringComparison.Ordinal))} foreign-host requests: {hits.Length} hits.");
        Assert.That(hits.Take(20), Is.Empty, $"secrets leaked ({hits.Length} hits; first 20 shown)");
    }

    private static void KeepTags(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new System.Text.StringBuilder(instrument.Name);
        foreach (var tag in tags)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        Keep(TelemetryTexts, text.ToString());
    }

    private static void Keep(ConcurrentQueue<string> queue, string text)
    {
        if (queue.Count < MaxKept)
        {
            queue.Enqueue(text);
        }
    }

    private static void Record(object? sender, FirstChanceExceptionEventArgs args)
    {
        Interlocked.Increment(ref _exceptionsSeen);
        if (ExceptionTexts.Count >= MaxKept || args.Exception is NUnit.Framework.Internal.NUnitException or ResultStateException)
        {
            return;
        }

        // An exception rethrown through each async frame on its way out raises this event once per frame; its
        // message and ToString change only by stack frames (which carry no secrets), so each one is described
        // once. Describing every rethrow made the adversarial suite's allocation caps measure this monitor: 200
        // calls sharing one failed token rendered thousands of growing stack traces (up to 580 MiB per batch).
        if (!Described.TryAdd(args.Exception, Described))
        {
            return;
        }

        // Our own exceptions in full (ToString walks inner exceptions); others by message, which is
        // what a caller or a log would show.
        var ours = args.Exception.GetType().Namespace?.StartsWith("CandidateFiles", StringComparison.Ordinal) == true;
        ExceptionTexts.Enqueue(ours ? args.Exception.ToString() : args.Exception.GetType().Name + ": " + args.Exception.Message);
    }

    /// <summary>The host name of a Host header value, without its port.</summary>
    public static string HostName(string host) => Uri.TryCreate("http://" + host, UriKind.Absolute, out var uri) ? uri.Host : host;

    private static string Excerpt(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        var start = Math.Max(0, at - 60);
        return text.Substring(start, Math.Min(text.Length - start, secret.Length + 120)).Replace(secret, "<SECRET>", StringComparison.Ordinal);
    }
}
