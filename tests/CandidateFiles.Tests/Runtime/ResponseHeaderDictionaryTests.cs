using System.Linq;
using System.Net;
using System.Net.Http;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

[TestFixture]
public sealed class ResponseHeaderDictionaryTests
{
    [Test]
    public void Holds_response_and_content_headers_by_case_insensitive_name_and_stays_readable_after_the_response_is_disposed()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) };
        response.Headers.TryAddWithoutValidation("X-Request-Id", "r-1");
        response.Headers.TryAddWithoutValidation("Set-Cookie", new[] { "a=1", "b=2" });
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "image/png");
        var headers = new ResponseHeaderDictionary(response);

        response.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(headers["X-Request-Id"], Is.EqualTo(new[] { "r-1" }), "names are case-insensitive (.NET stores this one as X-Request-ID)");
            Assert.That(headers["x-request-id"], Is.EqualTo(new[] { "r-1" }));
            Assert.That(headers["Set-Cookie"], Is.EqualTo(new[] { "a=1", "b=2" }));
            Assert.That(headers.TryGetValue("Content-Type", out var type) ? type.Single() : null, Is.EqualTo("image/png"));
            Assert.That(headers.ContainsKey("X-Missing"), Is.False);
            Assert.That(headers.Keys, Is.EquivalentTo(headers.Select(h => h.Key)));
            Assert.That(headers.Count, Is.EqualTo(headers.Keys.Count()));
        });
    }
}
