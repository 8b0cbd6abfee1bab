using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Auth;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using Microsoft.Kiota.Abstractions.Authentication;
using NUnit.Framework;

namespace CandidateFiles.Tests.Pipeline;

/// <summary>
/// Throws random and adversarial responses (statuses, media types, bodies, headers) at every operation,
/// through the real pipeline and generated code, with an in-memory transport. Fixed seed, bounded count
/// and time. The only outcomes allowed: a result, or the typed exception.
/// </summary>
[TestFixture]
public sealed class ResponseFuzzTests
{
    private const int Seed = 20261123;
    private const int MaxCases = 6000;
    private static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(25);

    [Test]
    public async Task Every_operation_ends_in_a_result_or_the_typed_exception_whatever_comes_back()
    {
        var random = new Random(Seed);
        var transport = new FuzzTransport();
        var operations = Operations(transport);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var cases = 0;
        for (; cases < MaxCases && clock.Elapsed < TimeBudget; cases++)
        {
            var (name, call) = operations[random.Next(operations.Count)];
            transport.Script = FuzzTransport.Scenario(random);
            string outcome;
            try
            {
                await call().WaitAsync(TimeSpan.FromSeconds(10));
                outcome = "result";
            }
            catch (ProviderApiException ex) when (ex.GetType() != typeof(ProviderApiException))
            {
                outcome = ex.GetType().Name;
            }
            catch (Exception ex)
            {
                // Issue #12: the base ProviderApiException is unexpected too; every provider throws its own type.
                outcome = "UNEXPECTED " + ex.GetType().Name;
                if (failures.Count < 20)
                {
                    failures.Add($"case {cases} {name} <- {transport.LastDescription}: {ex.GetType().Name}: {ex.Message}");
                }
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        TestContext.Progress.WriteLine($"Response fuzz: {cases} cases in {clock.Elapsed.TotalSeconds:0.0} s (seed {Seed}): " + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.That(failures, Is.Empty);
        Assert.That(cases, Is.GreaterThanOrEqualTo(2000), "enough cases ran within the time budget");
    }

    [Test]
    public async Task The_token_endpoint_reader_gives_a_token_or_the_typed_exception_whatever_comes_back()
    {
        var random = new Random(Seed + 1);
        var transport = new FuzzTransport();
        var failures = new List<string>();
        var cases = 0;
        for (; cases < 2000; cases++)
        {
            transport.Script = FuzzTransport.Scenario(random);
            using var provider = new ClientCredentialsTokenProvider(new Uri("https://auth.fuzz.test/oauth2/token"), "id", "secret", "scope", ClientCredentialStyle.FormBody, new[] { "api.fuzz.test" }, new HttpClient(transport, disposeHandler: false));
            try
            {
                var token = await provider.GetAuthorizationTokenAsync(new Uri("https://api.fuzz.test/x"));
                Assert.That(token, Is.Not.Empty);
            }
            catch (ProviderApiException)
            {
            }
            catch (Exception ex)
            {
                failures.Add($"case {cases} <- {transport.LastDescription}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        TestContext.Progress.WriteLine($"Token fuzz: {cases} cases (seed {Seed + 1}).");
        Assert.That(failures.Take(20), Is.Empty);
    }

    private static List<(string Name, Func<Task> Call)> Operations(FuzzTransport transport)
    {
        T Tune<T>(T options)
            where T : ProviderClientOptions
        {
            options.Retry.MaxRetries = 0;
            return options;
        }

        var token = new StaticTokenProvider();
        var ehrwebOptions = Tune(new EhrwebResumeClientOptions { Endpoint = new Uri("https://ehrweb.fuzz.test/external/"), GuiNum = "12345678", AccessTokenProvider = token });
        var ehrweb = new EhrwebResumeClient(ehrwebOptions, EhrwebResumeClient.CreateHttpClient(ehrwebOptions, transport));
        var hrMaxOptions = Tune(new HrMaxClientOptions { Endpoint = new Uri("https://hrmax.fuzz.test/"), AccessTokenCallback = (_, _) => new ValueTask<string>("t") });
        var hrMax = new HrMaxClient(hrMaxOptions, HrMaxClient.CreateHttpClient(hrMaxOptions, transport));
        var hrFlowOptions = Tune(new HrFlowClientOptions { Endpoint = new Uri("https://hrflow.fuzz.test/v1/"), ApiKey = "k" });
        var hrFlow = new HrFlowClient(hrFlowOptions, HrFlowClient.CreateHttpClient(hrFlowOptions, transport));
        var hhOptions = Tune(new HeadHunterClientOptions { Endpoint = new Uri("https://hh.fuzz.test/"), UserAgent = "F/1 (f@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t") });
        var hh = new HeadHunterClient(hhOptions, HeadHunterClient.CreateHttpClient(hhOptions, transport));

        static async Task Drain(Task<FileResponse> download)
        {
            using var file = await download;
            _ = FileResponse.SafeFileName(file.FileName);
            await file.Stream.CopyToAsync(Stream.Null);
        }

        return new List<(string, Func<Task>)>
        {
            ("ehrweb.getHeadshot", () => Drain(ehrweb.GetHeadshotAsync("f"))),
            ("ehrweb.getAttachment", () => Drain(ehrweb.GetAttachmentAsync(AttachmentType.Attachment, "f"))),
            ("hrmax.attachFile", () => hrMax.AttachFileAsync("wf010", new MemoryStream(new byte[] { 1, 2, 3 }), "a.pdf")),
            ("hrmax.detachFile", () => hrMax.DetachFileAsync("u")),
            ("hrmax.downloadFile", () => Drain(hrMax.DownloadFileAsync("u"))),
            ("hrflow.listProfileAttachments", () => hrFlow.ListProfileAttachmentsAsync("s", key: "p")),
            ("hh.listPhotos", () => hh.ListPhotosAsync()),
            ("hh.listPortfolio", () => hh.ListPortfolioAsync(1, 5)),
            ("hh.uploadArtifact", () => hh.UploadArtifactAsync(ArtifactType.Photo, new MemoryStream(new byte[] { 0x89, 0x50 }), "a.png")),
            ("hh.updateArtifact", () => hh.UpdateArtifactDescriptionAsync("1", "d")),
            ("hh.deleteArtifact", () => hh.DeleteArtifactAsync("1")),
        };
    }

    private sealed class StaticTokenProvider : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new(new[] { "ehrweb.fuzz.test" });

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) => Task.FromResult("t");
    }

    /// <summary>An in-memory transport answering each request with a randomly built response.</summary>
    private sealed class FuzzTransport : HttpMessageHandler
    {
        private static readonly int[] Statuses = { 200, 200, 200, 201, 202, 203, 204, 206, 301, 302, 304, 400, 401, 403, 404, 408, 413, 418, 422, 429, 440, 450, 490, 500, 502, 503, 504, 599 };
        private static readonly string?[] MediaTypes = { null, "application/json", "application/json; charset=utf-16", "image/png", "text/html", "text/plain", "application/octet-stream", "application/problem+json", "multipart/mixed; boundary=x" };
        private static readonly string[] Templates =
        {
            "{\"code\":900,\"message\":\"Token 與所屬公司統編不符\"}", "{\"code\":895,\"message\":\"x\"}", "{\"code\":450,\"msg\":\"Unexpected field\"}", "{\"code\":440}",
            "{\"code\":401,\"message\":\"Unauthorized. Invalid secret key: k\"}", "{\"errors\":[{\"type\":\"oauth\",\"value\":\"token_expired\"}],\"request_id\":\"r\"}",
            "{\"errors\":[{\"type\":\"artifacts\",\"value\":\"limit_exceeded\"},{\"type\":null},{}],\"request_id\":7}", "{\"errors\":\"nope\"}", "{\"errors\":[1,\"a\",null]}",
            "{\"items\":[{\"id\":\"1\",\"state\":{\"id\":\"ok\",\"name\":\"ok\"},\"small\":null,\"medium\":\"http://x/m.jpg\"}],\"found\":1,\"pages\":1,\"page\":0,\"per_page\":20}",
            "{\"items\":null,\"found\":\"many\",\"pages\":-1,\"page\":1e400,\"per_page\":20}", "{\"id\":\"1\",\"state\":{\"id\":\"mystery\",\"name\":null}}",
            "{\"fileUUID\":\"u\",\"fileName\":\"a\",\"fileSize\":99999999999999999999,\"fileMime\":\"x\",\"isTmp\":1}",
            "{\"code\":200,\"message\":\"ok\",\"data\":[{\"type\":\"resume\",\"file_name\":\"a\",\"public_url\":\"not a url\"}]}",
            "{\"access_token\":\"abc\",\"expires_in\":3600}", "{\"access_token\":\"\",\"expires_in\":\"soon\"}", "{\"access_token\":123,\"expires_in\":-5}", "{\"access_token\":\"a\",\"expires_in\":1e308}",
            // Issue #12: values the specs did not foresee (new enum values, unknown date-like fields) in otherwise valid bodies.
            "{\"items\":[{\"id\":\"1\",\"state\":{\"id\":\"moderation\",\"name\":\"x\"},\"created_at\":\"2024-03-01T10:00:00+03:00\"}],\"found\":1,\"pages\":1,\"page\":0,\"per_page\":20}",
            "{\"id\":\"9\",\"state\":{\"id\":\"\",\"name\":\"x\",\"at\":\"2024-03-01\"},\"small\":null}",
            "{\"code\":200,\"message\":\"ok\",\"data\":[{\"type\":\"brand_new\",\"file_name\":\"a\",\"public_url\":\"https://x/a\",\"updated_at\":\"2024-03-01T10:00:00+03:00\"}]}",
            "{\"fileUUID\":\"u\",\"fileName\":\"a\",\"fileSize\":1,\"fileMime\":\"x\",\"isTmp\":true,\"expires\":\"2024-03-01T10:00:00+03:00\"}",
            "<html><body>502 Bad Gateway</body></html>", "null", "true", "[]", "{}", "\"string\"", "{\"a\":", "{\"a\":\"\\ud800\"}",
        };

        public Func<HttpRequestMessage, HttpResponseMessage>? Script { get; set; }

        public string LastDescription { get; private set; } = string.Empty;

        public static Func<HttpRequestMessage, HttpResponseMessage> Scenario(Random random)
        {
            var status = random.Next(10) == 0 ? random.Next(200, 600) : Statuses[random.Next(Statuses.Length)];
            var mediaType = MediaTypes[random.Next(MediaTypes.Length)];
            var body = Body(random);
            var disposition = random.Next(9) switch
            {
                0 => null,
                1 => "attachment; filename=\"../../" + new string('a', random.Next(1, 300)) + "\"",
                2 => "attachment; filename*=UTF-8''%E5%B1%A5%FF%FE",
                3 => "attachment; filename=\"\u00e5\u00b1\u00a5.pdf\";",
                4 => "attachment; filename=my resume.pdf",
                5 => "inline; filename=\"a\\\"b.pdf",
                6 => "attachment; filename=%E5%B1%A5%ZZ%",
                7 => "attachment; filename=\"=?UTF-8?B?####?=\"; filename*=x''",
                _ => "\u0001garbage;;;=",
            };
            var retryAfter = random.Next(5) switch { 0 => "abc", 1 => "-3", 2 => "Wed, 99 Foo 2026 99:99:99 GMT", _ => null };
            var location = random.Next(3) == 0 ? (random.Next(2) == 0 ? "::::" : "https://evil.fuzz.test/" + random.Next()) : null;
            return request =>
            {
                var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request, Content = new ByteArrayContent(body) };
                if (mediaType is not null)
                {
                    response.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
                }

                if (disposition is not null)
                {
                    response.Content.Headers.TryAddWithoutValidation("Content-Disposition", disposition);
                }

                if (retryAfter is not null)
                {
                    response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
                }

                if (location is not null)
                {
                    response.Headers.TryAddWithoutValidation("Location", location);
                }

                return response;
            };
        }

        private static byte[] Body(Random random)
        {
            switch (random.Next(9))
            {
                case 0:
                    return Array.Empty<byte>();
                case 1:
                    var bytes = new byte[random.Next(1, 3000)];
                    random.NextBytes(bytes);
                    return bytes;
                case 2:
                    return Encoding.UTF8.GetBytes(new string('[', random.Next(1, 20000)));
                case 3:
                    return Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', random.Next(1, 200_000)) + "\"}");
                case 4:
                    var template = Templates[random.Next(Templates.Length)];
                    return Encoding.UTF8.GetBytes(template[..random.Next(template.Length + 1)]);
                case 5:
                    var mutated = Templates[random.Next(Templates.Length)].ToCharArray();
                    for (var i = 0; i < 3; i++)
                    {
                        mutated[random.Next(mutated.Length)] = (char)random.Next(0, 0x3000);
                    }

                    return Encoding.UTF8.GetBytes(mutated);
                case 6:
                    return new byte[] { 0xEF, 0xBB, 0xBF, 0xC3, 0x28, 0x00, 0xFF, (byte)'{', (byte)'}' };
                default:
                    return Encoding.UTF8.GetBytes(Templates[random.Next(Templates.Length)]);
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = Script!(request);
            LastDescription = $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {response.Content.Headers.ContentLength} bytes";
            return Task.FromResult(response);
        }
    }
}
