using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Servers that echo credentials back, in every form, on error and success paths of every provider (the
/// hand-written error path and the generated code's unreadable-body path). The invariant monitor checks every
/// exception, log line, span and metric for every form of every credential.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SecretTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(5);

    /// <summary>Provider, operation, status, content type: each answered by a server echoing the request's credentials.</summary>
    private static readonly (string Provider, int Status, string ContentType)[] Answers =
    [
        ("HrMax", 401, "application/json"),
        ("HrMax", 440, "application/json"),
        ("HrMax", 200, "application/json"),
        ("HrMax", 200, "text/plain"),
        ("HeadHunter", 403, "application/json"),
        ("HeadHunter", 400, "application/json"),
        ("HeadHunter", 200, "text/plain"),
        ("Ehrweb", 500, "image/png"),
        ("Ehrweb", 401, "application/json"),
        ("Ehrweb", 403, "text/html"),
        ("HrFlow", 400, "application/json"),
        ("HrFlow", 401, "application/json"),
        ("HrFlow", 200, "text/plain"),
        ("HrFlow", 200, "application/json"),
    ];

    public static IEnumerable<TestCaseData> EchoCases()
        => from answer in Answers
           from form in Echoes.Forms
           select new TestCaseData(answer.Provider, answer.Status, answer.ContentType, form).SetName($"Echoed credentials stay out: {answer.Provider} {answer.Status} {answer.ContentType} {form}");

    [TestCaseSource(nameof(EchoCases))]
    public async Task Credentials_echoed_by_the_provider_appear_nowhere(string provider, int status, string contentType, string form)
    {
        await using var api = new RawTcpServer("api", Echoes.Echo(status, contentType, form));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        using var monitor = new InvariantMonitor($"{provider} {status} {contentType} echoing {form}").WithAllCredentials(api, token).Observe(api, token);
        var routing = new LoopbackRouting();

        var call = await CallProvider(provider, api, token, routing, monitor, Overall);

        Assert.That(api.Requests, Is.Not.Empty);
        Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>(), "every echo here is an error status or an unreadable body: the typed exception");
        monitor.AssertInvariants();
    }

    public static IEnumerable<TestCaseData> TokenEndpointEchoCases()
    {
        foreach (var style in new[] { ClientCredentialStyle.FormBody, ClientCredentialStyle.BasicAuthorizationHeader })
        {
            foreach (var status in new[] { 400, 401, 200 })
            {
                foreach (var echo in new[] { "form as received", "form lower-case", "form decoded", "Authorization header", "all, base64" })
                {
                    yield return new TestCaseData(style, status, echo).SetName($"Token endpoint echo stays out: {style} {status} {echo}");
                }
            }
        }
    }

    [TestCaseSource(nameof(TokenEndpointEchoCases))]
    public async Task A_token_endpoint_echoing_the_form_or_the_Basic_header_leaks_no_client_secret(ClientCredentialStyle style, int status, string echo)
    {
        await using var token = new RawTcpServer("token", exchange =>
        {
            var form = Encoding.UTF8.GetString(exchange.Request.Body);
            var authorization = exchange.Request.Header("Authorization") ?? string.Empty;
            var text = echo switch
            {
                "form as received" => form,
                "form lower-case" => LowerEscapes(form),
                "form decoded" => WebUtility.UrlDecode(form),
                "Authorization header" => authorization,
                _ => Convert.ToBase64String(Encoding.UTF8.GetBytes(form + "\n" + authorization)),
            };
            var body = status == 200 ? "<html>we got " + text + "</html>" : $"{{\"error\":\"invalid_client\",\"error_description\":\"bad credentials {text}\"}}";
            return exchange.RespondAsync(status, status == 200 ? "text/html" : "application/json", Utf8(body), [("X-Echo", text)]);
        });
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", "png"));
        using var monitor = new InvariantMonitor($"token endpoint {style} {status} echoing {echo}").WithAllCredentials(api, token).Observe(api, token);
        using var client = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall, style);

        var call = await monitor.CallAsync(async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall);

        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>());
            Assert.That(((ProviderApiException)call.Failure!).ResponseBody, status == 200 ? Is.Null : Is.Not.Null, status == 200 ? "an unusable success body may hold an issued token: not kept" : "an error body is kept, redacted");
            Assert.That(api.Requests, Is.Empty);
        });
        monitor.AssertInvariants();
    }

    public static IEnumerable<TestCaseData> IssuedTokenCases()
    {
        var padding = new string('x', 70 * 1024);
        yield return new TestCaseData("over 64 KiB, token first", $"{{\"access_token\":\"{EhrwebAccessToken}\",\"expires_in\":3600,\"padding\":\"{padding}\"}}", false);
        yield return new TestCaseData("over 64 KiB, token escaped", $"{{\"access_token\":\"{EhrwebAccessToken.Replace("/", "\\/", StringComparison.Ordinal)}\",\"padding\":\"{padding}\"}}", false);
        yield return new TestCaseData("cut JSON", $"{{\"access_token\":\"{EhrwebAccessToken}\",\"expires_in\":", false);
        yield return new TestCaseData("token not a string", $"{{\"access_token\":{{\"value\":\"{EhrwebAccessToken}\"}},\"expires_in\":3600}}", false);
        yield return new TestCaseData("token in an array", $"[{{\"access_token\":\"{EhrwebAccessToken}\"}}]", false);
        yield return new TestCaseData("expires_in soon", $"{{\"access_token\":\"{EhrwebAccessToken}\",\"expires_in\":\"soon\"}}", true);
        yield return new TestCaseData("expires_in object", $"{{\"access_token\":\"{EhrwebAccessToken}\",\"expires_in\":{{}}}}", true);
        yield return new TestCaseData("expires_in NaN string", $"{{\"access_token\":\"{EhrwebAccessToken}\",\"expires_in\":\"NaN\"}}", true);
        yield return new TestCaseData("expires_in huge", $"{{\"access_token\":\"{EhrwebAccessToken}\",\"expires_in\":1e308}}", true);
    }

    [TestCaseSource(nameof(IssuedTokenCases))]
    public async Task A_token_response_the_client_refuses_or_accepts_never_puts_the_issued_token_anywhere(string name, string body, bool accepted)
    {
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", body));
        await using var api = new RawTcpServer("api", RawTcpServer.Always(401, "application/json", "{\"code\":401}"));
        using var monitor = new InvariantMonitor("issued token: " + name).WithAllCredentials(api, token).Observe(api, token);
        using var client = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall);

        var call = await monitor.CallAsync(async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall);

        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>());
            Assert.That(api.Requests, accepted ? Is.Not.Empty : Is.Empty, accepted ? "the token was used" : "the token was refused");
            if (!accepted)
            {
                Assert.That(call.Failure!.Message, Does.StartWith("The token request"));
            }
        });
        monitor.AssertInvariants();
    }

    [TestCase("raw")]
    [TestCase("base64")]
    [TestCase("percent-lower")]
    public void The_redactor_removes_a_secret_in_every_form_and_at_any_offset_inside_base64(string form)
    {
        var redactor = new CredentialRedactor([EhrwebClientSecret, HrMaxToken]);
        foreach (var prefix in new[] { string.Empty, "a", "ab", "abc", "some-client:" })
        {
            var echoed = Echoes.Apply(form, prefix + EhrwebClientSecret + ":tail") + " and Bearer " + Echoes.Apply(form, HrMaxToken);
            var redacted = redactor.Redact(echoed)!;
            foreach (var (secretForm, what) in InvariantMonitor.FormsOf(EhrwebClientSecret).Concat(InvariantMonitor.FormsOf(HrMaxToken)))
            {
                Assert.That(redacted, Does.Not.Contain(secretForm), $"{what} form left in '{redacted}' (prefix '{prefix}')");
            }

            if (form == "base64")
            {
                var core = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + EhrwebClientSecret + ":tail"));
                Assert.That(redacted, Does.Not.Contain(core[(prefix.Length * 4 / 3 + 2)..^8]), "the part of the base64 that encodes the secret");
            }
        }
    }

    private static string LowerEscapes(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
            }
        }

        return new string(chars);
    }
}
