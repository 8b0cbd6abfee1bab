using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

[TestFixture]
public sealed class ProviderErrorBodyTests
{
    [TestCase(null)]
    [TestCase("")]
    [TestCase("<html><body>502 Bad Gateway</body></html>")]
    [TestCase("{\"code\": 9")]
    [TestCase("[1,2,3]")]
    [TestCase("\"just a string\"")]
    [TestCase("{\"code\":{\"nested\":true}}")]
    public void Unusable_bodies_give_null_and_never_throw(string? body)
    {
        var json = ProviderErrorBody.TryParseObject(body);

        Assert.That(ProviderErrorBody.Text(json, "code"), Is.Null);
    }

    [TestCase("{\"code\":900}", "900")]
    [TestCase("{\"code\":\"900\"}", "900")]
    [TestCase("{\"code\":4.5}", "4.5")]
    public void Codes_are_read_as_text_whatever_their_json_type(string body, string expected)
        => Assert.That(ProviderErrorBody.Text(ProviderErrorBody.TryParseObject(body), "code"), Is.EqualTo(expected));
}
