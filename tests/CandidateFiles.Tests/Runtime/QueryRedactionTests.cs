using System;
using System.Linq;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// The log's query redaction (issue #14): an allow-list read in one pass, segment by segment as sent. A parameter the
/// provider declares (<see cref="ProviderClientOptions.LoggedQueryParameters"/>) is shown as sent; every other value,
/// and every segment without a name, is "***".
/// </summary>
[TestFixture]
public sealed class QueryRedactionTests
{
    private static readonly RedactionPolicy ShowsTypeAndPage = new([], ["type", "page"]);

    [TestCase("http://host/p", "/p")]
    [TestCase("http://host/p?", "/p")]
    [TestCase("http://host/p?fileId=abc&type=1", "/p?fileId=***&type=1")]
    [TestCase("http://host/p?type=1&type=2&page=0", "/p?type=1&type=2&page=0")]
    [TestCase("http://host/p?TYPE=3&Page=4", "/p?TYPE=3&Page=4")]
    [TestCase("http://host/p?ty%70e=1&fi%6CeId=x", "/p?type=1&fileId=***")]
    [TestCase("http://host/p?pa%67e=1&ty+pe=2&%74ype=3", "/p?page=1&ty+pe=***&type=3")]
    [TestCase("http://host/p?&&", "/p")]
    [TestCase("http://host/p?token", "/p?***")]
    [TestCase("http://host/p?=x&type=2", "/p?***&type=2")]
    [TestCase("http://host/p?a=1&&b=2&", "/p?a=***&b=***")]
    [TestCase("http://host/p?type=a=b&x=c=d", "/p?type=a=b&x=***")]
    [TestCase("http://host/p?email=me%40example.com&page=2", "/p?email=***&page=2")]
    [TestCase("http://host/p?types=1&typ=2", "/p?types=***&typ=***")]
    [TestCase("http://host/p?type=1&page=2&fileId=x", "/p?type=1&page=2&fileId=***")]
    [TestCase("http://host/p?type=1&&page=2&", "/p?type=1&page=2")]
    [TestCase("http://host/p?page=2&", "/p?page=2")]
    public void Declared_parameters_are_shown_as_sent_and_every_other_value_is_masked(string url, string expected)
        => Assert.That(ShowsTypeAndPage.Redact(new Uri(url)), Is.EqualTo(expected));

    [Test]
    public void A_relative_url_is_redacted_the_same_way()
    {
        Assert.That(ShowsTypeAndPage.Redact(new Uri("files/x?type=1&fileId=tok", UriKind.Relative)), Is.EqualTo("files/x?type=1&fileId=***"));
        Assert.That(ShowsTypeAndPage.Redact(new Uri("files/x", UriKind.Relative)), Is.EqualTo("files/x"));
        Assert.That(ShowsTypeAndPage.Redact(null), Is.EqualTo("?"));
    }

    [Test]
    public void The_default_policy_shows_no_value()
        => Assert.That(RedactionPolicy.Default.Redact(new Uri("http://host/p?type=1&page=2")), Is.EqualTo("/p?type=***&page=***"));

    [Test]
    public void On_random_queries_each_segment_is_kept_exactly_when_declared_and_masked_otherwise()
    {
        var random = new Random(14);
        const string alphabet = "ab=&%+2F1Tpe_yg";
        for (var i = 0; i < 5000; i++)
        {
            var query = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var uri = new Uri("http://host/p?" + query);
            var sent = uri.Query.TrimStart('?').Split('&').Where(segment => segment.Length > 0).ToArray();

            var logged = ShowsTypeAndPage.Redact(uri);

            var segments = logged.Contains('?', StringComparison.Ordinal) ? logged[(logged.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&') : [];
            Assert.That(segments, Has.Length.EqualTo(sent.Length), query);
            for (var s = 0; s < sent.Length; s++)
            {
                var equals = sent[s].IndexOf('=', StringComparison.Ordinal);
                var name = equals > 0 ? Uri.UnescapeDataString(sent[s][..equals].Replace('+', ' ')) : null;
                var expected = name is null ? "***" : ShowsTypeAndPage.IsLogged(name) ? sent[s] : sent[s][..equals] + "=***";
                Assert.That(segments[s], Is.EqualTo(expected), query);
            }
        }
    }
}
