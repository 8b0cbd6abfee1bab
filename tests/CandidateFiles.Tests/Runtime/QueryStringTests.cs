using System;
using System.Linq;
using System.Text;
using System.Web;
using NUnit.Framework;

namespace CandidateFiles.Tests.Runtime;

/// <summary>
/// The allocation-light query reading (request validation, log redaction) must read exactly what
/// HttpUtility.ParseQueryString reads, which it replaced.
/// </summary>
[TestFixture]
public sealed class QueryStringTests
{
    private static readonly string[] Shown = ["type", "page", "per_page"];
    private static readonly RedactionPolicy ShownPolicy = new([], Shown);

    private static readonly string[] Queries =
    [
        "", "?", "?fileId=abc", "fileId=abc", "?type=1&fileId=large-1", "?page=0&per_page=20", "?a", "?a&b=1", "?=x&b=2",
        "?page=1&PAGE=2&x=3&page=4", "?fileId=a%2Bb+c&type=%31", "?ty%70e=1&fileId=x", "?fi+le=1", "?a=1&&b=2&", "?a==b&c=d=e",
        "?per_page=%zz&type=%", "?&&&", "?fileId=%E4%B8%AD&type=2", "?Type=3&TYPE=1", "?a=1&a=2&a=3",
    ];

    [TestCaseSource(nameof(Queries))]
    public void Get_reads_what_HttpUtility_reads(string query)
    {
        var reference = HttpUtility.ParseQueryString(query);
        foreach (var name in new[] { "fileId", "type", "page", "per_page", "a", "b", "x", "fi le", "c", "missing" })
        {
            Assert.That(QueryString.Get(query, name), Is.EqualTo(reference[name]), $"{query} [{name}]");
        }
    }

    [TestCaseSource(nameof(Queries))]
    public void Redact_lists_what_HttpUtility_lists(string query)
    {
        var uri = new Uri("http://host/p" + (query.StartsWith('?') || query.Length == 0 ? query : "?" + query));
        Assert.That(LoggingHandler.Redact(uri, ShownPolicy), Is.EqualTo(Reference(uri.AbsolutePath, uri.Query)));
    }

    [Test]
    public void Redact_and_Get_agree_with_HttpUtility_on_random_queries()
    {
        var random = new Random(6);
        const string alphabet = "ab=&%+2F1Tpe_yg";
        for (var i = 0; i < 5000; i++)
        {
            var query = "?" + new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var uri = new Uri("http://host/p" + query);
            Assert.That(LoggingHandler.Redact(uri, ShownPolicy), Is.EqualTo(Reference(uri.AbsolutePath, uri.Query)), query);
            Assert.That(QueryString.Get(query, "a"), Is.EqualTo(HttpUtility.ParseQueryString(query)["a"]), query);
        }
    }

    // What LoggingHandler.Redact produced with HttpUtility before.
    private static string Reference(string path, string query)
    {
        if (query.Length <= 1)
        {
            return path;
        }

        var values = HttpUtility.ParseQueryString(query);
        var shown = values.AllKeys.Where(k => k is not null).Select(k => k + "=" + (Shown.Contains(k!, StringComparer.OrdinalIgnoreCase) ? values[k] : "***"));
        return path + "?" + string.Join("&", shown);
    }
}
