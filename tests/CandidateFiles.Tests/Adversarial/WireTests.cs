using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Servers that break HTTP itself (lying lengths, drips, floods, resets, silence, huge headers) and redirects
/// to other origins, against every provider. Whatever the outcome, each scenario asserts the invariants:
/// the call ends in time with bounded allocation, a typed error, no credential anywhere, none sent elsewhere.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WireTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(1.5);
    private static readonly string[] Providers = ["HrMax", "HeadHunter", "Ehrweb", "HrFlow"];

    // Made once: the scenario measures what the client allocates, not the server.
    private static readonly byte[] MegabyteOfHeaders = RawExchange.Head(401, "application/json", 2, Enumerable.Range(0, 1024).Select(i => ($"X-Flood-{i}", new string('f', 1000))));

    private static string EchoBody(RawRequest request) => $"{{\"code\":500,\"msg\":\"you sent {string.Join(" ", Echoes.CredentialsIn(request))}\"}}";

    /// <summary>The hostile answers, by name.</summary>
    private static readonly Dictionary<string, Func<RawExchange, Task>> Scripts = new()
    {
        ["error body shorter than its Content-Length, then close"] = async exchange =>
        {
            await exchange.RespondAsync(500, "application/json", Utf8(EchoBody(exchange.Request)), declaredLength: 5000);
            exchange.Close();
        },
        ["success body shorter than its Content-Length, then close"] = async exchange =>
        {
            await exchange.RespondAsync(200, "application/json", Utf8("{\"items\":["), declaredLength: 5000);
            exchange.Close();
        },
        ["error body dripped a byte every 100 ms"] = async exchange =>
        {
            var body = Utf8(EchoBody(exchange.Request) + new string(' ', 400));
            await exchange.WriteAsync(RawExchange.Head(401, "application/json", body.Length));
            await exchange.DripAsync(body, 1, TimeSpan.FromMilliseconds(100));
        },
        ["headers dripped a byte every 100 ms"] = async exchange =>
        {
            await exchange.DripAsync(RawExchange.Head(200, "application/json", 2, [("X-Padding", new string('p', 100))]), 1, TimeSpan.FromMilliseconds(100));
        },
        ["endless error body"] = async exchange =>
        {
            await exchange.WriteAsync(RawExchange.Head(500, "text/plain", -1, [("Connection", "close")]));
            await exchange.FloodAsync(Utf8(EchoBody(exchange.Request)), 512L * 1024 * 1024);
        },
        ["one megabyte of headers"] = async exchange =>
        {
            await exchange.WriteAsync(MegabyteOfHeaders);
            await exchange.WriteAsync("{}");
        },
        ["reset in the middle of an error body"] = async exchange =>
        {
            var body = Utf8(EchoBody(exchange.Request));
            await exchange.WriteAsync(RawExchange.Head(500, "application/json", body.Length * 2).Concat(body).ToArray());
            await Task.Delay(50);
            exchange.Reset();
        },
        ["reset before any answer"] = exchange =>
        {
            exchange.Reset();
            return Task.CompletedTask;
        },
        ["silence"] = exchange => Task.Delay(TimeSpan.FromSeconds(30), exchange.Stopping),
        ["garbage instead of a status line"] = async exchange =>
        {
            await exchange.WriteAsync("SMTP ready " + string.Join(" ", Echoes.CredentialsIn(exchange.Request)) + " " + Encoding.UTF8.GetString(exchange.Request.Body).Replace("\r\n", " ", StringComparison.Ordinal) + "\r\n\r\n");
            exchange.Close();
        },
    };

    public static IEnumerable<TestCaseData> HostileCases()
        => from provider in Providers
           from script in Scripts.Keys
           select new TestCaseData(provider, script).SetName($"Hostile bytes: {provider}, {script}");

    [TestCaseSource(nameof(HostileCases))]
    public async Task Whatever_bytes_come_back_the_call_ends_in_time_typed_and_without_a_credential_anywhere(string provider, string script)
    {
        await using var api = new RawTcpServer("api", Scripts[script]);
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider}: {script}").WithAllCredentials(api, token).Observe(api, token);

        var call = await CallProvider(provider, api, token, new LoopbackRouting(), monitor, Overall);

        Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>().Or.InstanceOf<ProviderTimeoutException>().Or.InstanceOf<HttpRequestException>(), call.Failure?.ToString());
        monitor.AssertInvariants();
    }

    public static IEnumerable<TestCaseData> TokenEndpointCases()
        => from style in new[] { Auth.ClientCredentialStyle.FormBody, Auth.ClientCredentialStyle.BasicAuthorizationHeader }
           from script in Scripts.Keys
           select new TestCaseData(style, script).SetName($"Hostile bytes at the token endpoint: {style}, {script}");

    [TestCaseSource(nameof(TokenEndpointCases))]
    public async Task Whatever_bytes_the_token_endpoint_sends_the_call_ends_in_time_typed_and_without_the_client_secret_anywhere(Auth.ClientCredentialStyle style, string script)
    {
        await using var token = new RawTcpServer("token", Scripts[script]);
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", "png"));
        using var monitor = new InvariantMonitor($"token endpoint {style}: {script}").WithAllCredentials(api, token).Credential(EhrwebClientId, token).Observe(api, token);
        using var client = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall, style);

        var call = await monitor.CallAsync(async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall);

        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>().Or.InstanceOf<ProviderTimeoutException>().Or.InstanceOf<HttpRequestException>(), call.Failure?.ToString());
            Assert.That(api.Requests, Is.Empty, "no token, no API request");
        });
        monitor.AssertInvariants();
    }
}
