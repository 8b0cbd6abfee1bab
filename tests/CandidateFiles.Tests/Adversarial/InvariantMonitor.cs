using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Watches one adversarial scenario and asserts the invariants that hold whatever the server does:
/// (a) every call ends within its Overall time limit plus a margin, with allocation under a cap;
/// (b) no credential, in raw, URL/form-encoded (upper- and lower-case escapes), JSON-escaped, base64 or
/// <c>Bearer …</c> form, appears in any exception (message, ToString, Data, public properties, inner
/// exceptions, also those thrown and caught inside the SDK), log line, span (name, tags, events, status)
/// or metric tag emitted by the <c>CandidateFiles.*</c> sources and meters;
/// (c) each credential reached only the listener it belongs to.
/// </summary>
public sealed class InvariantMonitor : IDisposable
{
    /// <summary>Slack over a call's Overall limit (scheduling on a busy two-core machine).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    private const int MinFormLength = 6;
    private readonly string _scenario;
    private readonly List<(string Value, string? Origin)> _credentials = new();
    private readonly List<string> _composites = new();
    private readonly List<RawTcpServer> _servers = new();
    // Texts are kept as the objects they come from and described only when the invariants are checked, so the
    // monitor allocates next to nothing while calls run (their allocation is measured).
    private readonly ConcurrentQueue<(string Where, object Source)> _texts = new();
    private readonly ConcurrentDictionary<Exception, bool> _exceptionsSeen = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _failures = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private int _watching = 1;

    /// <summary>Starts watching.</summary>
    /// <param name="scenario">The scenario's name, for messages and the suite report.</param>
    public InvariantMonitor(string scenario)
    {
        _scenario = scenario;
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("CandidateFiles.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Keep("span", activity),
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
        _meters.SetMeasurementEventCallback<int>((instrument, _, tags, _) => KeepTags(instrument, tags));
        _meters.Start();
    }

    /// <summary>Log sink to give the clients under test.</summary>
    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>The calls made, with their outcomes.</summary>
    public List<CallOutcome> Calls { get; } = new();

    /// <summary>
    /// A credential of the scenario. <paramref name="origin"/> names the listener it may be sent to (null:
    /// none, for example a credential the server issued to the client).
    /// </summary>
    public InvariantMonitor Credential(string value, RawTcpServer? origin = null)
    {
        _credentials.Add((value, origin?.Name));
        return this;
    }

    /// <summary>A value that carries credentials only in encoded form, for example <c>id:secret</c> of HTTP Basic (checked as base64).</summary>
    public InvariantMonitor Composite(string value)
    {
        _composites.Add(value);
        return this;
    }

    /// <summary>Listeners whose received requests are checked for credentials that do not belong there.</summary>
    public InvariantMonitor Observe(params RawTcpServer[] servers)
    {
        _servers.AddRange(servers);
        return this;
    }

    /// <summary>
    /// Runs one call, timing it against <paramref name="overall"/> and measuring what the process allocated
    /// meanwhile; an exception is the outcome, not a failure (the scenario asserts which one it expects).
    /// </summary>
    public async Task<CallOutcome> CallAsync(Func<Task> call, TimeSpan overall, long allocationCap = 8L * 1024 * 1024)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var failure = await RunAsync(call, overall);
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var outcome = new CallOutcome(_scenario, failure, clock.Elapsed, overall, allocated, allocationCap);
        Calls.Add(outcome);
        AdversarialReport.Add(outcome);
        if (failure is not null)
        {
            Keep("exception thrown to the caller", failure);
        }

        return outcome;
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls at once; each is timed against <paramref name="overall"/>, and the
    /// allocation of the whole batch is measured against <paramref name="batchAllocationCap"/> (calls that
    /// overlap cannot be measured one by one).
    /// </summary>
    public async Task<CallOutcome[]> CallManyAsync(int count, Func<Task> call, TimeSpan overall, long batchAllocationCap)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var timed = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var clock = Stopwatch.StartNew();
            var failure = await RunAsync(call, overall);
            return (Failure: failure, clock.Elapsed);
        }));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var outcomes = timed.Select(t => new CallOutcome(_scenario, t.Failure, t.Elapsed, overall, allocated / count, batchAllocationCap / count)).ToArray();
        foreach (var outcome in outcomes)
        {
            Calls.Add(outcome);
            AdversarialReport.Add(outcome);
            if (outcome.Failure is not null)
            {
                Keep("exception thrown to the caller", outcome.Failure);
            }
        }

        return outcomes;
    }

    /// <summary>The call's failure, or null; a <see cref="CallDidNotEndException"/> when it was still running well past its limit.</summary>
    private static async Task<Exception?> RunAsync(Func<Task> call, TimeSpan overall)
    {
        var running = Task.Run(call);
        if (await Task.WhenAny(running, Task.Delay(overall + Margin + Margin)) != running)
        {
            _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return new CallDidNotEndException();
        }

        try
        {
            await running;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Stops watching and asserts the three invariants for everything seen.</summary>
    public void AssertInvariants()
    {
        var violations = Violations();
        Assert.That(violations.Take(15), Is.Empty, $"scenario '{_scenario}' broke an invariant ({_texts.Count} texts scanned, {violations.Count} violations)");
    }

    /// <summary>Stops watching and lists every broken invariant (what <see cref="AssertInvariants"/> asserts is empty).</summary>
    public IReadOnlyList<string> Violations()
    {
        Stop();
        _failures.Clear();
        foreach (var call in Calls)
        {
            if (call.Failure is CallDidNotEndException)
            {
                _failures.Add($"a call did not end: still running {call.Elapsed.TotalSeconds:0.0} s after start (Overall {call.Overall.TotalSeconds:0.0} s)");
            }
            else if (call.Elapsed > call.Overall + Margin)
            {
                _failures.Add($"a call took {call.Elapsed.TotalSeconds:0.00} s, over its Overall {call.Overall.TotalSeconds:0.00} s + {Margin.TotalSeconds} s");
            }

            if (call.Allocated > call.AllocationCap)
            {
                _failures.Add($"a call allocated {call.Allocated / 1024} KiB, over its cap of {call.AllocationCap / 1024} KiB");
            }
        }

        var forms = SecretForms().ToArray();
        foreach (var (where, source) in _texts.Concat(Logs.Lines.Select(line => ("log line", (object)line))))
        {
            var text = source switch
            {
                Exception exception => Describe(exception),
                Activity activity => Describe(activity),
                _ => source.ToString() ?? string.Empty,
            };
            foreach (var (form, what) in forms)
            {
                if (text.Contains(form, StringComparison.Ordinal))
                {
                    _failures.Add($"{what} in {where}: {Excerpt(text, form)}");
                }
            }
        }

        foreach (var request in _servers.SelectMany(s => s.Requests))
        {
            foreach (var (value, origin) in _credentials.Where(c => c.Origin != request.Listener))
            {
                foreach (var (form, what) in FormsOf(value))
                {
                    if (request.Text.Contains(form, StringComparison.Ordinal))
                    {
                        _failures.Add($"{what} of a credential for {origin ?? "no listener"} was sent to listener '{request.Listener}': {request.Method} {request.Target}");
                    }
                }
            }
        }

        return _failures.Distinct().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    /// <summary>Every form a credential may travel or be echoed in, with a name for messages.</summary>
    public static IEnumerable<(string Form, string What)> FormsOf(string secret)
    {
        yield return (secret, "raw");
        yield return ("Bearer " + secret, "Bearer");
        var escaped = Uri.EscapeDataString(secret);
        yield return (escaped, "URL-encoded");
        yield return (LowerEscapes(escaped), "URL-encoded (lower case)");
        yield return (WebUtility.UrlEncode(secret), "form-encoded");
        yield return (System.Web.HttpUtility.UrlEncode(secret), "form-encoded (lower case)");
        yield return (JsonEncodedText.Encode(secret).ToString(), "JSON-escaped");
        foreach (var (form, what) in Base64Forms(secret))
        {
            yield return (form, what);
        }
    }

    private IEnumerable<(string Form, string What)> SecretForms()
        => _credentials.SelectMany(c => FormsOf(c.Value))
            .Concat(_composites.SelectMany(Base64Forms))
            .Where(f => f.Form.Length >= MinFormLength)
            .DistinctBy(f => f.Form);

    private static IEnumerable<(string Form, string What)> Base64Forms(string value)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        yield return (base64, "base64");
        yield return (base64.TrimEnd('='), "base64 (unpadded)");
        yield return (base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'), "base64url");
    }

    internal static string LowerEscapes(string escaped)
    {
        var text = new StringBuilder(escaped);
        for (var i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] == '%')
            {
                text[i + 1] = char.ToLowerInvariant(text[i + 1]);
                text[i + 2] = char.ToLowerInvariant(text[i + 2]);
            }
        }

        return text.ToString();
    }

    /// <summary>Everything an exception shows: type, message, ToString, Data, public properties (walked into), inner exceptions.</summary>
    public static string Describe(Exception exception)
    {
        var text = new StringBuilder();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(exception, text, seen, 0);
        return text.ToString();
    }

    private static void Walk(object? value, StringBuilder text, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 6)
        {
            return;
        }

        if (value is string or ValueType or Uri)
        {
            text.Append(value).Append('\n');
            return;
        }

        if (!seen.Add(value) || value is Type or MethodBase or Assembly or System.Threading.Tasks.Task)
        {
            return;
        }

        if (value is Exception exception)
        {
            text.Append(exception.GetType().FullName).Append(": ").Append(exception.Message).Append('\n').Append(exception.ToString()).Append('\n');
            foreach (DictionaryEntry entry in exception.Data)
            {
                Walk(entry.Key, text, seen, depth + 1);
                Walk(entry.Value, text, seen, depth + 1);
            }
        }

        if (value is IEnumerable sequence)
        {
            foreach (var item in sequence.Cast<object?>().Take(200))
            {
                Walk(item, text, seen, depth + 1);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name is "TargetSite" or "StackTrace")
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (TargetInvocationException)
            {
                continue;
            }

            if (propertyValue is KeyValuePair<string, IEnumerable<string>> pair)
            {
                text.Append(pair.Key).Append(": ").Append(string.Join(",", pair.Value)).Append('\n');
                continue;
            }

            Walk(propertyValue, text, seen, depth + 1);
        }
    }

    private static string Describe(Activity activity)
    {
        var text = new StringBuilder(activity.DisplayName).Append(' ').Append(activity.OperationName).Append(' ').Append(activity.Status).Append(' ').Append(activity.StatusDescription);
        foreach (var tag in activity.TagObjects)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        foreach (var activityEvent in activity.Events)
        {
            text.Append(" event ").Append(activityEvent.Name);
            foreach (var tag in activityEvent.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        foreach (var item in activity.Baggage)
        {
            text.Append(" baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        return text.ToString();
    }

    private void KeepTags(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder(instrument.Name);
        foreach (var tag in tags)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        Keep("metric", text.ToString());
    }

    private void OnFirstChance(object? sender, FirstChanceExceptionEventArgs args)
    {
        if (args.Exception is NUnit.Framework.Internal.NUnitException or ResultStateException)
        {
            return;
        }

        // Exceptions the SDK throws, or of its types; one that .NET's own code throws and the SDK catches never
        // reaches the caller, and what does reach the caller is walked in full (inner exceptions included).
        if (_exceptionsSeen.ContainsKey(args.Exception))
        {
            return;
        }

        var thrownBySdk = args.Exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("CandidateFiles", StringComparison.Ordinal) == true
            || args.Exception.GetType().Namespace?.StartsWith("CandidateFiles", StringComparison.Ordinal) == true;
        if (thrownBySdk && _exceptionsSeen.TryAdd(args.Exception, true))
        {
            Keep("exception (first chance) " + args.Exception.GetType().Name, args.Exception);
        }
    }

    private void Keep(string where, object source)
    {
        if (Volatile.Read(ref _watching) == 1 && _texts.Count < 100_000)
        {
            _texts.Enqueue((where, source));
        }
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _watching, 0) == 1)
        {
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChance;
            _activities.Dispose();
            _meters.Dispose();
        }
    }

    private static string Excerpt(string text, string form)
    {
        var at = text.IndexOf(form, StringComparison.Ordinal);
        var start = Math.Max(0, at - 80);
        return text.Substring(start, Math.Min(text.Length - start, form.Length + 160)).Replace(form, "<SECRET>", StringComparison.Ordinal);
    }
}

/// <summary>The monitor gave up waiting for a call that should have ended long before.</summary>
public sealed class CallDidNotEndException : Exception
{
    public CallDidNotEndException()
        : base("the call was still running well past its Overall limit")
    {
    }
}

/// <summary>One call of a scenario: how it ended, how long it took against its limit, what it allocated.</summary>
public sealed record CallOutcome(string Scenario, Exception? Failure, TimeSpan Elapsed, TimeSpan Overall, long Allocated, long AllocationCap);

/// <summary>The suite's figures: scenarios run and the slowest call against its Overall, printed when the run ends.</summary>
[SetUpFixture]
public sealed class AdversarialReport
{
    private static readonly ConcurrentQueue<CallOutcome> Outcomes = new();

    public static void Add(CallOutcome outcome)
    {
        // The monitor's own self-tests break limits on purpose; they are not scenarios of the suite.
        if (!outcome.Scenario.StartsWith("self-test", StringComparison.Ordinal))
        {
            Outcomes.Enqueue(outcome);
        }
    }

    [OneTimeTearDown]
    public void Print()
    {
        if (Outcomes.IsEmpty)
        {
            return;
        }

        var slowest = Outcomes.MaxBy(o => o.Elapsed.TotalSeconds / Math.Max(0.001, o.Overall.TotalSeconds))!;
        var longest = Outcomes.MaxBy(o => o.Elapsed)!;
        TestContext.Progress.WriteLine(
            $"Adversarial suite: {Outcomes.Select(o => o.Scenario).Distinct().Count()} scenarios, {Outcomes.Count} calls; " +
            $"slowest against its limit: '{slowest.Scenario}' {slowest.Elapsed.TotalSeconds:0.000} s of Overall {slowest.Overall.TotalSeconds:0.0} s; " +
            $"longest: '{longest.Scenario}' {longest.Elapsed.TotalSeconds:0.000} s of Overall {longest.Overall.TotalSeconds:0.0} s; " +
            $"most allocated by one call: {Outcomes.Max(o => o.Allocated) / 1024} KiB.");

        // Every call's figures, for reading a scenario's time and allocation after a run.
        var path = System.IO.Path.Combine(TestContext.CurrentContext.WorkDirectory, "adversarial-calls.tsv");
        System.IO.File.WriteAllLines(path, Outcomes.Select(o => $"{o.Scenario}\t{o.Elapsed.TotalSeconds:0.000}\t{o.Overall.TotalSeconds:0.0}\t{o.Allocated / 1024}\t{o.Failure?.GetType().Name ?? "ok"}").Prepend("scenario\telapsed s\toverall s\tallocated KiB\toutcome"));
        TestContext.Progress.WriteLine($"Adversarial calls, one per line: {path}");
    }
}
