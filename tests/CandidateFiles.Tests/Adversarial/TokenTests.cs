using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrMax;
using Microsoft.Extensions.Time.Testing;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;
using static CandidateFiles.Tests.Adversarial.HostileClients;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>Tokens under a hostile server: one request per need, failures included; every scenario also asserts the invariants.</summary>
[TestFixture]
[NonParallelizable]
public sealed class TokenTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(8);
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    private static Func<RawExchange, Task> SlowToken(int status, string contentType, string body) => async exchange =>
    {
        // Held long enough that all concurrent calls are waiting for this one request.
        await Task.Delay(400, exchange.Stopping);
        await exchange.RespondAsync(status, contentType, Utf8(body));
    };

    public static readonly object[] TokenAnswers =
    [
        new object[] { "garbage", 200, "text/html", "<html>gateway</html>", false },
        new object[] { "500", 500, "application/json", "{\"error\":\"server_error\"}", false },
        new object[] { "no access_token", 200, "application/json", "{\"token_type\":\"Bearer\"}", false },
        new object[] { "expires_in 0", 200, "application/json", TokenResponse("0"), true },
        new object[] { "expires_in 30", 200, "application/json", TokenResponse("30"), true },
        new object[] { "expires_in -100", 200, "application/json", TokenResponse("-100"), true },
        new object[] { "expires_in soon", 200, "application/json", TokenResponse("\"soon\""), true },
        new object[] { "expires_in missing", 200, "application/json", TokenResponse("null"), true },
        new object[] { "expires_in huge", 200, "application/json", TokenResponse("1e300"), true },
    ];

    [TestCaseSource(nameof(TokenAnswers))]
    public async Task Two_hundred_concurrent_calls_make_one_token_request_and_share_its_outcome(string name, int status, string contentType, string body, bool issues)
    {
        await using var token = new RawTcpServer("token", SlowToken(status, contentType, body));
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", Encoding.Latin1.GetString(Png)));
        using var monitor = new InvariantMonitor("104 token endpoint: " + name).WithAllCredentials(api, token).Observe(api, token);
        var routing = new LoopbackRouting();
        using var client = NewEhrweb(api, token, routing, monitor, Overall);

        var outcomes = await monitor.CallManyAsync(200, async () =>
        {
            using var file = await client.Client.GetHeadshotAsync(EhrwebFileId);
        }, Overall, batchAllocationCap: 200L * 1024 * 1024);

        Assert.Multiple(() =>
        {
            Assert.That(token.Requests, Has.Count.EqualTo(1), "one token request for 200 concurrent calls");
            if (issues)
            {
                Assert.That(outcomes.Select(o => o.Failure), Has.All.Null);
                Assert.That(api.Requests.Select(r => r.Header("Authorization")), Has.All.EqualTo("Bearer " + EhrwebAccessToken));
            }
            else
            {
                Assert.That(outcomes.Select(o => o.Failure), Has.All.InstanceOf<ProviderApiException>());
                Assert.That(outcomes.Select(o => o.Failure).Distinct().Count(), Is.EqualTo(1), "every waiter gets the one failure of the one request");
                Assert.That(api.Requests, Is.Empty, "nothing is sent without a token");
            }
        });

        // The next need after the attempt completed: a failure or a token without life is not reused.
        await monitor.CallAsync(async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall);
        var reusable = name is "expires_in 30" or "expires_in missing" or "expires_in huge";
        Assert.That(token.Requests, Has.Count.EqualTo(reusable ? 1 : 2), reusable ? "a token with life left is reused" : "the next need asks again");
        monitor.AssertInvariants();
    }

    [TestCase(30, 14, false)]
    [TestCase(30, 16, true)]
    [TestCase(90, 44, false)]
    [TestCase(90, 46, true)]
    [TestCase(3600, 3539, false)]
    [TestCase(3600, 3541, true)]
    [TestCase(0, 0, true)]
    [TestCase(-100, 0, true)]
    public async Task A_token_is_used_while_valid_even_when_it_lives_less_than_the_refresh_margin(int expiresIn, int secondsLater, bool asksAgain)
    {
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse(expiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        using var monitor = new InvariantMonitor($"expires_in {expiresIn}, {secondsLater} s later").Credential(EhrwebClientSecret, token).Credential(EhrwebAccessToken).Observe(token);
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient();
        using var provider = new ClientCredentialsTokenProvider(new Uri(token.BaseAddress, "oauth2/token"), EhrwebClientId, EhrwebClientSecret, "ehrweb_resume", ClientCredentialStyle.FormBody, ["127.0.0.1"], http, clock);
        var api = new Uri("http://127.0.0.1/x");

        string first = string.Empty, second = string.Empty;
        await monitor.CallAsync(async () => first = await provider.GetAuthorizationTokenAsync(api), Overall);
        clock.Advance(TimeSpan.FromSeconds(secondsLater));
        await monitor.CallAsync(async () => second = await provider.GetAuthorizationTokenAsync(api), Overall);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(EhrwebAccessToken));
            Assert.That(second, Is.EqualTo(EhrwebAccessToken));
            Assert.That(token.Requests, Has.Count.EqualTo(asksAgain ? 2 : 1));
        });
        monitor.AssertInvariants();
    }

    public static readonly object[] BrokenCallbacks =
    [
        new object[] { "throws", (AccessTokenCallback)((_, _) => throw new IOException("vault unreachable")), typeof(IOException) },
        new object[] { "throws asynchronously", (AccessTokenCallback)(async (_, ct) => { await Task.Delay(50, ct); throw new UnauthorizedAccessException("vault says no"); }), typeof(UnauthorizedAccessException) },
        new object[] { "returns empty", (AccessTokenCallback)((_, _) => new ValueTask<string>(string.Empty)), typeof(InvalidOperationException) },
        new object[] { "returns white space", (AccessTokenCallback)((_, _) => new ValueTask<string>("  \t")), typeof(InvalidOperationException) },
        new object[] { "returns null", (AccessTokenCallback)((_, _) => new ValueTask<string>((string)null!)), typeof(InvalidOperationException) },
    ];

    [TestCaseSource(nameof(BrokenCallbacks))]
    public async Task A_broken_token_callback_is_the_providers_typed_exception_with_the_cause_inside_asked_once_for_concurrent_calls(string name, AccessTokenCallback broken, Type cause)
    {
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/json", "{}"));
        using var monitor = new InvariantMonitor("token callback " + name).WithAllCredentials(api).Observe(api);
        var routing = new LoopbackRouting();
        var asked = 0;
        AccessTokenCallback counting = async (context, ct) =>
        {
            Interlocked.Increment(ref asked);
            await Task.Delay(200, ct);
            return await broken(context, ct);
        };
        using var hrMax = NewHrMax(api, routing, monitor, Overall, counting);
        using var hh = NewHeadHunter(api, routing, monitor, Overall, counting);

        var hrMaxCalls = await monitor.CallManyAsync(20, () => hrMax.Client.DetachFileAsync("uuid-1"), Overall, batchAllocationCap: 64L * 1024 * 1024);
        var hrMaxAsked = asked;
        var hhCall = await monitor.CallAsync(() => hh.Client.ListPhotosAsync(), Overall);

        Assert.Multiple(() =>
        {
            Assert.That(hrMaxCalls.Select(c => c.Failure), Has.All.TypeOf<HrMaxApiException>());
            Assert.That(hrMaxCalls.Select(c => c.Failure!.InnerException), Has.All.InstanceOf(cause));
            Assert.That(((HrMaxApiException)hrMaxCalls[0].Failure!).Kind, Is.EqualTo(HrMaxErrorKind.Unauthorized));
            Assert.That(hrMaxCalls[0].Failure!.Message, Does.Contain("AccessTokenCallback").And.Contain("no request was sent"));
            Assert.That(hrMaxAsked, Is.EqualTo(1), "20 concurrent calls ask the callback once and share its failure");
            Assert.That(hhCall.Failure, Is.TypeOf<HeadHunterApiException>());
            Assert.That(((HeadHunterApiException)hhCall.Failure!).Kind, Is.EqualTo(HeadHunterErrorKind.BadAuthorization));
            Assert.That(hhCall.Failure!.Message, Does.Contain("AccessTokenCallback").And.Contain("no request was sent"));
            Assert.That(hhCall.Failure!.InnerException, Is.InstanceOf(cause));
            Assert.That(api.Requests, Is.Empty, "nothing is sent without a token");
        });
        monitor.AssertInvariants();
    }

    [TestCase("HrMax 401 echoing the token", 401)]
    [TestCase("HrMax 401 with an empty body", 401)]
    public async Task A_401_on_a_non_seekable_upload_drops_the_token_so_the_next_upload_asks_again_and_the_message_says_what_happened(string name, int status)
    {
        var echo = name.Contains("echo", StringComparison.Ordinal);
        await using var api = new RawTcpServer("api", exchange => exchange.RespondAsync(status, "application/json", Utf8(echo ? $"{{\"code\":401,\"msg\":\"invalid token: {exchange.Request.Header("Authorization")}\"}}" : string.Empty)));
        using var monitor = new InvariantMonitor("non-seekable upload: " + name).WithAllCredentials(api).Observe(api);
        var asked = 0;
        using var hrMax = NewHrMax(api, new LoopbackRouting(), monitor, Overall, (context, _) => new ValueTask<string>(HrMaxToken[..^2] + Interlocked.Increment(ref asked).ToString("00", System.Globalization.CultureInfo.InvariantCulture)));

        var first = await monitor.CallAsync(() => hrMax.Client.AttachFileAsync("wf010", new ForwardOnlyStream(Utf8("%PDF-1.4 hostile")), "a.pdf"), Overall);
        var second = await monitor.CallAsync(() => hrMax.Client.AttachFileAsync("wf010", new ForwardOnlyStream(Utf8("%PDF-1.4 hostile")), "a.pdf"), Overall);

        Assert.Multiple(() =>
        {
            Assert.That(first.Failure, Is.TypeOf<HrMaxApiException>());
            Assert.That(((HrMaxApiException)first.Failure!).Kind, Is.EqualTo(HrMaxErrorKind.Unauthorized));
            Assert.That(first.Failure!.Message, Does.Not.Contain("was asked again once"), "a non-seekable upload is not retried, so the message must not say it was");
            Assert.That(first.Failure!.Message, Does.Contain("next call asks the token source for a new one"));
            Assert.That(api.Requests, Has.Count.EqualTo(2), "one request per upload: the body cannot be sent twice");
            Assert.That(asked, Is.EqualTo(2), "the rejected token was dropped: the second upload asked for a new one");
            Assert.That(api.Requests.Select(r => r.Header("Authorization")).Distinct().Count(), Is.EqualTo(2));
        });
        monitor.Credential(HrMaxToken[..^2] + "01", api).Credential(HrMaxToken[..^2] + "02", api);
        monitor.AssertInvariants();
    }

    [Test]
    public async Task Two_hundred_concurrent_calls_rejected_with_401_fetch_one_new_token_not_two_hundred()
    {
        const string First = "first+Token/AAAAAAAAAAAA";
        var issued = 0;
        await using var token = new RawTcpServer("token", async exchange =>
        {
            await Task.Delay(200, exchange.Stopping);
            var value = Interlocked.Increment(ref issued) == 1 ? First : EhrwebAccessToken;
            await exchange.RespondAsync(200, "application/json", Utf8($"{{\"access_token\":\"{value}\",\"expires_in\":3600}}"));
        });
        await using var api = new RawTcpServer("api", exchange => exchange.Request.Header("Authorization") == "Bearer " + First
            ? exchange.RespondAsync(401, "application/json", Utf8("{\"code\":401,\"message\":\"token revoked\"}"))
            : exchange.RespondAsync(200, "image/png", Png));
        using var monitor = new InvariantMonitor("200 concurrent calls, first token revoked").WithAllCredentials(api, token).Credential(First, api).Observe(api, token);
        using var client = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall);

        var outcomes = await monitor.CallManyAsync(200, async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall, batchAllocationCap: 200L * 1024 * 1024);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Select(o => o.Failure), Has.All.Null);
            Assert.That(token.Requests, Has.Count.EqualTo(2), "one token, then one replacement shared by every rejected call");
            Assert.That(api.Requests.Count(r => r.Header("Authorization") == "Bearer " + EhrwebAccessToken), Is.EqualTo(200));
        });
        monitor.AssertInvariants();
    }

    [Test]
    public async Task A_caller_that_gives_up_does_not_fail_the_others_waiting_for_the_same_token()
    {
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "application/json", "{}"));
        using var monitor = new InvariantMonitor("a waiter gives up").WithAllCredentials(api).Observe(api);
        var asked = 0;
        using var hrMax = NewHrMax(api, new LoopbackRouting(), monitor, Overall, async (_, ct) =>
        {
            Interlocked.Increment(ref asked);
            await Task.Delay(600, ct);
            return HrMaxToken;
        });
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var gaveUp = monitor.CallAsync(() => hrMax.Client.DetachFileAsync("uuid-1", impatient.Token), Overall);
        var waited = monitor.CallAsync(() => hrMax.Client.DetachFileAsync("uuid-2"), Overall);
        var outcomes = await Task.WhenAll(gaveUp, waited);

        Assert.Multiple(() =>
        {
            Assert.That(outcomes[0].Failure, Is.InstanceOf<OperationCanceledException>());
            Assert.That(outcomes[0].Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(500)), "the impatient caller stopped waiting at once");
            Assert.That(outcomes[1].Failure, Is.Null, "the other caller got the token the shared request brought");
            Assert.That(asked, Is.EqualTo(1));
            Assert.That(api.Requests.Select(r => r.Header("Authorization")), Is.EqualTo(new[] { "Bearer " + HrMaxToken }));
        });
        monitor.AssertInvariants();
    }

    [Test]
    public async Task The_104_token_request_goes_through_the_pipeline_retried_after_a_reset_logged_without_the_secret_and_traced()
    {
        var tokenAnswers = 0;
        await using var token = new RawTcpServer("token", async exchange =>
        {
            if (Interlocked.Increment(ref tokenAnswers) == 1)
            {
                exchange.Reset();
                return;
            }

            await exchange.RespondAsync(200, "application/json", Utf8(TokenResponse()));
        });
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", "png"));
        using var monitor = new InvariantMonitor("104 token request reset once").WithAllCredentials(api, token).Observe(api, token);
        var spans = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "CandidateFiles.Ehrweb",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = a => spans.Enqueue(a.DisplayName),
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var client = NewEhrweb(api, token, new LoopbackRouting(), monitor, Overall);

        var call = await monitor.CallAsync(async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall);

        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.Null);
            Assert.That(token.Requests, Has.Count.EqualTo(2), "the reset token request was retried");
            Assert.That(api.Requests, Has.Count.EqualTo(1), "by the token pipeline itself: the API call needed one attempt");
            Assert.That(monitor.Logs.Lines, Has.Some.Contains("POST /oauth2/token").And.Contains("failed without a response"));
            Assert.That(monitor.Logs.Lines, Has.Some.Contains("POST /oauth2/token -> 200"));
            Assert.That(spans, Does.Contain("EhrwebResume.RequestAccessToken"));
        });
        monitor.AssertInvariants();
    }

    [TestCase(307)]
    [TestCase(308)]
    [TestCase(302)]
    public async Task A_token_endpoint_redirect_is_not_followed_so_the_client_secret_goes_nowhere_else(int status)
    {
        await using var trap = new RawTcpServer("trap", RawTcpServer.Always(200, "application/json", TokenResponse()));
        await using var token = new RawTcpServer("token", RawTcpServer.Always(status, "text/plain", "moved", ("Location", "http://169.254.169.254/latest/oauth2/token")));
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", "png"));
        var routing = new LoopbackRouting().Map("169.254.169.254", 80, trap);
        using var monitor = new InvariantMonitor($"104 token endpoint answers {status}").WithAllCredentials(api, token).Observe(api, token, trap);
        using var client = NewEhrweb(api, token, routing, monitor, Overall);

        var call = await monitor.CallAsync(async () => { using var file = await client.Client.GetHeadshotAsync(EhrwebFileId); }, Overall);

        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.InstanceOf<ProviderApiException>());
            Assert.That(((ProviderApiException)call.Failure!).StatusCode, Is.EqualTo(status));
            Assert.That(trap.Requests, Is.Empty);
            Assert.That(routing.Attempts, Has.None.StartsWith("169.254.169.254"));
        });
        monitor.AssertInvariants();
    }

    [Test]
    public async Task Three_hundred_short_lived_clients_leave_no_token_or_api_connection_open()
    {
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", "png"));
        using var monitor = new InvariantMonitor("300 short-lived 104 clients").WithAllCredentials(api, token).Observe(api, token);

        for (var i = 0; i < 300; i++)
        {
            // The client's own transport and token client, as an application would create them.
            using var client = new EhrwebResumeClient(EhrwebOptions(api, token, monitor, Overall));
            var call = await monitor.CallAsync(async () => { using var file = await client.GetHeadshotAsync(EhrwebFileId); }, Overall);
            Assert.That(call.Failure, Is.Null);
        }

        var settle = System.Diagnostics.Stopwatch.StartNew();
        while ((token.OpenConnections > 0 || api.OpenConnections > 0) && settle.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        TestContext.Progress.WriteLine($"300 short-lived clients: {token.AcceptedConnections} token connections accepted, {token.OpenConnections} open; {api.AcceptedConnections} API connections accepted, {api.OpenConnections} open.");
        Assert.Multiple(() =>
        {
            Assert.That(token.Requests, Has.Count.EqualTo(300));
            Assert.That(token.OpenConnections, Is.Zero, "every token client was disposed with its client");
            Assert.That(api.OpenConnections, Is.Zero);
        });
        monitor.AssertInvariants();
    }

    [Test]
    public async Task Clients_built_from_one_options_share_one_token_until_the_last_is_disposed()
    {
        await using var token = new RawTcpServer("token", RawTcpServer.Always(200, "application/json", TokenResponse()));
        await using var api = new RawTcpServer("api", RawTcpServer.Always(200, "image/png", "png"));
        using var monitor = new InvariantMonitor("shared options").WithAllCredentials(api, token).Observe(api, token);
        var options = EhrwebOptions(api, token, monitor, Overall);

        var first = new EhrwebResumeClient(options);
        using (var second = new EhrwebResumeClient(options))
        {
            await monitor.CallAsync(async () => { using var file = await first.GetHeadshotAsync(EhrwebFileId); }, Overall);
            first.Dispose();
            await monitor.CallAsync(async () => { using var file = await second.GetHeadshotAsync(EhrwebFileId); }, Overall);
            Assert.That(token.Requests, Has.Count.EqualTo(1), "the second client still uses the shared token after the first is disposed");
        }

        using var third = new EhrwebResumeClient(options);
        var call = await monitor.CallAsync(async () => { using var file = await third.GetHeadshotAsync(EhrwebFileId); }, Overall);
        Assert.Multiple(() =>
        {
            Assert.That(call.Failure, Is.Null, "a client built after every earlier one was disposed gets a new token source");
            Assert.That(token.Requests, Has.Count.EqualTo(2));
        });
        monitor.AssertInvariants();
    }
}
