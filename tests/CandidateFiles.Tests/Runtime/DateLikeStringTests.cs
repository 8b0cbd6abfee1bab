using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// Whatever the provider, a JSON string that merely looks like a date (in a field kept in
/// AdditionalProperties, or inside one) stays the string the provider sent, whether the body is UTF-8 or
/// another declared charset: Newtonsoft would otherwise turn it into a DateTime and lose its form and offset.
/// </summary>
[TestFixture]
public sealed class DateLikeStringTests
{
    private LoopbackServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase("application/json", "2020-09-11T09:58:32+0000")]
    [TestCase("application/json", "2020-09-11T09:58:32Z")]
    [TestCase("application/json", "2020-09-11T09:58:32.1234567+02:00")]
    [TestCase("application/json; charset=iso-8859-1", "2020-09-11T09:58:32+0000")]
    [TestCase("application/json; charset=iso-8859-1", "2020-09-11T09:58:32-05:00")]
    public async Task HrMax_keeps_unknown_date_like_fields_as_sent(string contentType, string dateLike)
    {
        var body = $$$"""{"fileUUID":"u","fileName":"a.pdf","fileSize":5,"fileMime":"application/pdf","isTmp":1,"uploadedAt":"{{{dateLike}}}","meta":{"at":"{{{dateLike}}}"}}""";
        _server.On("/api/file/attach", (context, _) => LoopbackServer.WriteAsync(context, 200, contentType, Encoding.Latin1.GetBytes(body)));
        using var client = new HrMaxClient(new HrMaxClientOptions { Endpoint = _server.BaseAddress, AccessTokenCallback = (_, _) => new ValueTask<string>("jwt") });

        var attached = await client.AttachFileAsync("wf010", new MemoryStream(new byte[5]), "a.pdf");

        Assert.That(attached.AdditionalProperties["uploadedAt"], Is.TypeOf<string>().And.EqualTo(dateLike));
        Assert.That(((JObject)attached.AdditionalProperties["meta"])["at"]!.Type, Is.EqualTo(JTokenType.String));
        Assert.That((string?)((JObject)attached.AdditionalProperties["meta"])["at"], Is.EqualTo(dateLike));
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=iso-8859-1")]
    public async Task HrFlow_reads_its_dates_and_keeps_other_date_like_strings_in_either_charset(string contentType)
    {
        const string body = """
            {"code":200,"message":"2020-09-11T09:58:32+0000","data":[
              {"type":"resume","file_name":"r","public_url":"https://files.example.com/r.pdf","created_at":"2020-09-11T09:58:32+0530","seen_at":"2020-09-11T09:58:32+0530"}]}
            """;
        _server.On("/v1/profile/indexing/attachments", (context, _) => LoopbackServer.WriteAsync(context, 200, contentType, Encoding.Latin1.GetBytes(body)));
        using var client = new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(_server.BaseAddress, "v1/"), ApiKey = "askr_0123456789abcdef0123456789abcdef" });

        var list = await client.ListProfileAttachmentsAsync("s", key: "p");

        var attachment = list.Data[0];
        Assert.That(list.Message, Is.EqualTo("2020-09-11T09:58:32+0000"));
        Assert.That(attachment.CreatedAt, Is.EqualTo(new DateTimeOffset(2020, 9, 11, 9, 58, 32, new TimeSpan(5, 30, 0))));
        Assert.That(attachment.CreatedAt!.Value.Offset, Is.EqualTo(new TimeSpan(5, 30, 0)));
        Assert.That(attachment.AdditionalProperties["seen_at"], Is.TypeOf<string>().And.EqualTo("2020-09-11T09:58:32+0530"));
    }
}
