using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// The four providers' clients for adversarial scenarios: pointed at loopback listeners, sending over a
/// <see cref="LoopbackRouting"/> transport, logging into the scenario's monitor, with short time limits.
/// The credentials contain '+', '/', '=' and '@' so that every encoded form differs from the raw one.
/// </summary>
public static class HostileClients
{
    public const string HrMaxToken = "hmx+Tok/en=Q7wE9rT1yU3iO5pA";
    public const string HhToken = "hhT+ok/en=ZX81cv72bn63MLk0";
    public const string EhrwebClientId = "ehr-client+id/7";
    public const string EhrwebClientSecret = "ehr+Sec/ret=K9dJ3fL2gH8sA1==";
    public const string EhrwebAccessToken = "ehrAcc+ess/Tok=PL4kJ8hG2fD6sA";
    public const string EhrwebFileId = "fid+Fi1e/T0ken=XyZ987654321";
    public const string HrFlowApiKey = "askw_0123456789abcdef0123456789abcdef";
    public const string HrFlowUserEmail = "recruiter+qa/ops@hostile.example";
    public const string HrFlowProfileEmail = "candidate+1/x@hostile.example";
    public const string GuiNum = "12345678";

    /// <summary>The body of a 104 token response issuing <see cref="EhrwebAccessToken"/>.</summary>
    public static string TokenResponse(string expiresIn = "3600") => $"{{\"access_token\":\"{EhrwebAccessToken.Replace("/", "\\/", StringComparison.Ordinal)}\",\"token_type\":\"Bearer\",\"expires_in\":{expiresIn}}}";

    public static void Tune(ProviderClientOptions options, InvariantMonitor monitor, TimeSpan overall)
    {
        options.LoggerFactory = monitor.Logs;
        options.Timeouts.Overall = overall;
        options.Timeouts.PerAttempt = overall;
        options.Retry.MaxRetries = 2;
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
    }

    public static Owned<HrMaxClient> NewHrMax(RawTcpServer api, LoopbackRouting routing, InvariantMonitor monitor, TimeSpan overall, AccessTokenCallback? callback = null)
    {
        var options = new HrMaxClientOptions { Endpoint = api.BaseAddress, AccessTokenCallback = callback ?? ((_, _) => new ValueTask<string>(HrMaxToken)) };
        Tune(options, monitor, overall);
        var http = HrMaxClient.CreateHttpClient(options, routing.CreateTransport());
        return new Owned<HrMaxClient>(new HrMaxClient(options, http), http);
    }

    public static Owned<HeadHunterClient> NewHeadHunter(RawTcpServer api, LoopbackRouting routing, InvariantMonitor monitor, TimeSpan overall, AccessTokenCallback? callback = null)
    {
        var options = new HeadHunterClientOptions { Endpoint = api.BaseAddress, UserAgent = "HostileTests/1.0 (tests)", AccessTokenCallback = callback ?? ((_, _) => new ValueTask<string>(HhToken)) };
        Tune(options, monitor, overall);
        var http = HeadHunterClient.CreateHttpClient(options, routing.CreateTransport());
        return new Owned<HeadHunterClient>(new HeadHunterClient(options, http), http);
    }

    public static Owned<HrFlowClient> NewHrFlow(RawTcpServer api, LoopbackRouting routing, InvariantMonitor monitor, TimeSpan overall)
    {
        var options = new HrFlowClientOptions { Endpoint = api.BaseAddress, ApiKey = HrFlowApiKey, UserEmail = HrFlowUserEmail };
        Tune(options, monitor, overall);
        var http = HrFlowClient.CreateHttpClient(options, routing.CreateTransport());
        return new Owned<HrFlowClient>(new HrFlowClient(options, http), http);
    }

    public static EhrwebResumeClientOptions EhrwebOptions(RawTcpServer api, RawTcpServer token, InvariantMonitor monitor, TimeSpan overall, ClientCredentialStyle style = ClientCredentialStyle.FormBody)
    {
        var options = new EhrwebResumeClientOptions
        {
            Endpoint = new Uri(api.BaseAddress, "external/"),
            TokenEndpoint = new Uri(token.BaseAddress, "oauth2/token"),
            GuiNum = GuiNum,
            ClientId = EhrwebClientId,
            ClientSecret = EhrwebClientSecret,
            CredentialStyle = style,
        };
        Tune(options, monitor, overall);
        return options;
    }

    public static Owned<EhrwebResumeClient> NewEhrweb(RawTcpServer api, RawTcpServer token, LoopbackRouting routing, InvariantMonitor monitor, TimeSpan overall, ClientCredentialStyle style = ClientCredentialStyle.FormBody)
    {
        var options = EhrwebOptions(api, token, monitor, overall, style);
        var http = EhrwebResumeClient.CreateHttpClient(options, routing.CreateTransport());
        return new Owned<EhrwebResumeClient>(new EhrwebResumeClient(options, http), http);
    }

    /// <summary>Registers every credential of the four providers with the monitor, each with the listener it belongs to.</summary>
    public static InvariantMonitor WithAllCredentials(this InvariantMonitor monitor, RawTcpServer api, RawTcpServer? token = null)
    {
        monitor.Credential(HrMaxToken, api).Credential(HhToken, api).Credential(EhrwebAccessToken, api).Credential(EhrwebFileId, api)
            .Credential(HrFlowApiKey, api).Credential(HrFlowUserEmail, api).Credential(HrFlowProfileEmail, api)
            .Credential(EhrwebClientSecret, token).Composite(Uri.EscapeDataString(EhrwebClientId) + ":" + Uri.EscapeDataString(EhrwebClientSecret));
        return monitor;
    }

    /// <summary>Makes one typical call of <paramref name="provider"/> (HrMax, HeadHunter, Ehrweb, HrFlow) against the listeners, through the monitor.</summary>
    public static async Task<CallOutcome> CallProvider(string provider, RawTcpServer api, RawTcpServer token, LoopbackRouting routing, InvariantMonitor monitor, TimeSpan overall)
    {
        switch (provider)
        {
            case "HrMax":
                using (var hrMax = NewHrMax(api, routing, monitor, overall))
                {
                    return await monitor.CallAsync(() => hrMax.Client.AttachFileAsync("wf010", new MemoryStream(Utf8("%PDF-1.4")), "a.pdf"), overall);
                }

            case "HeadHunter":
                using (var hh = NewHeadHunter(api, routing, monitor, overall))
                {
                    return await monitor.CallAsync(() => hh.Client.ListPhotosAsync(), overall);
                }

            case "Ehrweb":
                using (var ehrweb = NewEhrweb(api, token, routing, monitor, overall))
                {
                    return await monitor.CallAsync(async () => { using var file = await ehrweb.Client.GetHeadshotAsync(EhrwebFileId); }, overall);
                }

            default:
                using (var hrFlow = NewHrFlow(api, routing, monitor, overall))
                {
                    return await monitor.CallAsync(() => hrFlow.Client.ListProfileAttachmentsAsync("source-key-1234", email: HrFlowProfileEmail), overall);
                }
        }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>A client with the HTTP client it sends through; disposing it disposes both.</summary>
public sealed class Owned<T>(T client, HttpClient http) : IDisposable
    where T : IDisposable
{
    public T Client { get; } = client;

    public void Dispose()
    {
        Client.Dispose();
        http.Dispose();
    }
}
