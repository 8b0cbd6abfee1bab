using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>The adversarial suite's own instruments can fail: each kind of violation is caught.</summary>
[TestFixture]
[NonParallelizable]
public sealed class MonitorSelfTests
{
    private const string Secret = "s3cr+et/Val=ue@example";

    [Test]
    public async Task A_credential_in_any_form_in_an_exception_is_caught([Values("raw", "percent-upper", "percent-lower", "form", "base64", "json-unicode")] string form)
    {
        using var monitor = new InvariantMonitor("self-test " + form).Credential(Secret);
        await monitor.CallAsync(() => throw new InvalidOperationException("echo: " + Echoes.Apply(form, Secret)), TimeSpan.FromSeconds(1));

        Assert.That(monitor.Violations(), Has.Some.Contains("exception thrown to the caller"));
    }

    [Test]
    public async Task A_credential_inside_an_inner_exception_or_Data_is_caught()
    {
        using var monitor = new InvariantMonitor("self-test inner").Credential(Secret);
        await monitor.CallAsync(() => throw new InvalidOperationException("outer", new HttpRequestException("inner quotes Bearer " + Secret)), TimeSpan.FromSeconds(1));
        await monitor.CallAsync(() => throw new InvalidOperationException("outer") { Data = { ["key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)) } }, TimeSpan.FromSeconds(1));

        Assert.That(monitor.Violations().Count(v => v.Contains("exception thrown to the caller", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void A_credential_in_a_log_line_or_a_span_is_caught()
    {
        using var monitor = new InvariantMonitor("self-test log and span").Credential(Secret);
        var line = "sent " + Uri.EscapeDataString(Secret);
        monitor.Logs.CreateLogger("CandidateFiles.Test").Log(LogLevel.Information, default, line, null, (state, _) => state);
        using (var source = new ActivitySource("CandidateFiles.SelfTest"))
        using (var activity = source.StartActivity("span"))
        {
            activity?.SetTag("echo", Secret);
        }

        var violations = monitor.Violations();
        Assert.Multiple(() =>
        {
            Assert.That(violations, Has.Some.Contains("log line"));
            Assert.That(violations, Has.Some.Contains("span"));
        });
    }

    [Test]
    public async Task A_credential_sent_to_another_listener_is_caught()
    {
        await using var origin = new RawTcpServer("origin", RawTcpServer.Always(200, "text/plain", "ok"));
        await using var elsewhere = new RawTcpServer("elsewhere", RawTcpServer.Always(200, "text/plain", "ok"));
        using var monitor = new InvariantMonitor("self-test origin").Credential(Secret, origin).Observe(origin, elsewhere);
        using var http = new HttpClient(new LoopbackRouting().Map("metadata.internal", 80, elsewhere).CreateTransport());

        await monitor.CallAsync(async () => (await http.GetAsync(new Uri(origin.BaseAddress, "?k=" + Uri.EscapeDataString(Secret)))).Dispose(), TimeSpan.FromSeconds(2));
        var clean = monitor.Violations();
        using var second = new InvariantMonitor("self-test origin 2").Credential(Secret, origin).Observe(origin, elsewhere);
        await second.CallAsync(async () => (await http.GetAsync("http://metadata.internal/?k=" + Uri.EscapeDataString(Secret))).Dispose(), TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(clean, Is.Empty, "to its origin is fine");
            Assert.That(second.Violations(), Has.Some.Contains("was sent to listener 'elsewhere'"));
            Assert.That(elsewhere.Requests.Single().Target, Does.StartWith("/?k="));
        });
    }

    [Test]
    public async Task A_call_past_its_limit_or_over_its_allocation_cap_is_caught()
    {
        using var monitor = new InvariantMonitor("self-test time and allocation");
        await monitor.CallAsync(() => Task.Delay(TimeSpan.FromSeconds(2.5)), TimeSpan.FromMilliseconds(200));
        await monitor.CallAsync(() => Task.FromResult(new byte[4 * 1024 * 1024]), TimeSpan.FromSeconds(1), allocationCap: 1024 * 1024);

        var violations = monitor.Violations();
        Assert.Multiple(() =>
        {
            Assert.That(violations, Has.Some.Contains("over its Overall"));
            Assert.That(violations, Has.Some.Contains("over its cap"));
        });
    }

    [Test]
    public async Task The_raw_server_sends_a_lying_length_and_counts_open_connections()
    {
        await using var server = new RawTcpServer("raw", async exchange =>
        {
            await exchange.RespondAsync(200, "text/plain", Encoding.ASCII.GetBytes("short"), declaredLength: 100);
            exchange.Close();
        });
        using var http = new HttpClient(new LoopbackRouting().CreateTransport());

        await Assert.CatchAsync<HttpRequestException>(async () => await http.GetStringAsync(server.BaseAddress));
        await Task.Delay(200);
        Assert.Multiple(() =>
        {
            Assert.That(server.Requests.Single().Method, Is.EqualTo("GET"));
            Assert.That(server.AcceptedConnections, Is.EqualTo(1));
            Assert.That(server.OpenConnections, Is.Zero);
        });
    }
}
