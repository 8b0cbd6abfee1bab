using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// info.x-upstream-documents: a page named in a spec's list belongs to that spec with the role the
/// list gives it. Current pages are compared (several are merged), superseded ones must still parse but
/// are never compared, pages in no list are recognized as before, and a malformed list is exit 2.
/// </summary>
public sealed class UpstreamDocumentListTests : DriftTestBase
{
    [Test]
    public void A_superseded_page_is_parsed_and_reported_but_never_compared()
    {
        var result = Run("--specs-dir", "specs", WritePage("store-old.md", Page("store-old.md")), WritePage("store-openapi.yaml", Page("store-openapi.yaml")));

        AssertLines(
            result,
            "PAGE      pages/store-old.md: Markdown prose page, 2 endpoints -> store.yaml, superseded (not compared)",
            "PAGE      pages/store-openapi.yaml: OpenAPI 3.0.3 document (YAML), 3 endpoints -> store.yaml",
            "SPEC      store.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_superseded_page_alone_compares_nothing()
    {
        var result = Check("talent-legacy.md", Page("talent-legacy.md"));

        AssertLines(
            result,
            "PAGE      pages/talent-legacy.md: GitBook api-method page, 1 endpoint -> talent.yaml, superseded (not compared)",
            "0 differences: 0 drift, 0 declared");
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_superseded_page_that_no_longer_parses_exits_2()
    {
        var page = Edit(Page("talent-legacy.md"), "{% endapi-method %}", string.Empty);

        var result = Run("--specs-dir", "specs", WritePage("talent-legacy.md", page), WritePage("talent.md", Page("talent.md")), WritePage("talent-upload.md", Page("talent-upload.md")));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent-legacy.md: {% api-method %} at line 5 is never closed with {% endapi-method %}"));
        Assert.That(result.Summary, Is.EqualTo("0 differences: 0 drift, 0 declared; 1 page could not be read"));
    }

    [Test]
    public void The_same_page_is_compared_when_the_spec_calls_it_current()
    {
        EditSpec("talent.yaml", "    - document: talent-legacy.md\n      role: superseded\n", "    - document: talent-legacy.md\n      role: current\n");

        var result = Check("talent-legacy.md", Page("talent-legacy.md"));

        Assert.That(result.Lines[0], Is.EqualTo("PAGE      pages/talent-legacy.md: GitBook api-method page, 1 endpoint -> talent.yaml"));
        Assert.That(result.Drift, Does.Contain("DRIFT     GET /candidate/files  endpoint: added upstream (not in spec)"));
        Assert.That(result.Drift, Does.Contain("DRIFT     GET /candidates/files  endpoint: removed upstream (spec only)"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Several_current_pages_are_merged_and_each_alone_misses_the_others_endpoint()
    {
        var both = Run("--specs-dir", "specs", WritePage("talent.md", Page("talent.md")), WritePage("talent-upload.md", Page("talent-upload.md")));
        var one = Run("--specs-dir", "specs", "pages/talent-upload.md");

        Assert.That(both.Differences, Is.Empty);
        Assert.That(both.ExitCode, Is.EqualTo(0));
        Assert.That(one.Drift.Single(), Is.EqualTo("DRIFT     GET /candidates/files  endpoint: removed upstream (spec only)"));
        Assert.That(one.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void A_listed_page_needs_no_recognition_even_when_it_shares_nothing_with_the_spec()
    {
        // Another provider's page under a name that the talent spec lists: it belongs to talent.yaml.
        var result = Check("talent.md", Page("gallery.md"));

        Assert.That(result.Lines[0], Is.EqualTo("PAGE      pages/talent.md: Markdown prose page, 4 endpoints -> talent.yaml"));
        Assert.That(result.Drift, Does.Contain("DRIFT     GET /pictures  endpoint: added upstream (not in spec)"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void A_page_in_no_list_is_recognized_as_before()
    {
        var result = Check("talent-copy.md", Page("talent.md"));

        Assert.That(result.Lines[0], Is.EqualTo("PAGE      pages/talent-copy.md: GitBook swagger page, 1 endpoint -> talent.yaml"));
        Assert.That(result.Drift.Single(), Is.EqualTo("DRIFT     POST /candidates/files  endpoint: removed upstream (spec only)"));
    }

    [Test]
    public void With_spec_option_the_forced_spec_list_still_gives_the_role()
    {
        var result = Run("--spec", "specs/talent.yaml", WritePage("talent-legacy.md", Page("talent-legacy.md")));

        Assert.That(result.Lines[0], Does.EndWith("-> talent.yaml, superseded (not compared)"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [TestCase("      role: superseded\n", "      role: outdated\n", "spec talent.yaml: info.x-upstream-documents[2]: role \"outdated\" is unknown (current, superseded or reference)")]
    [TestCase("      schema: CandidateFile\n", "      schema: Attachment\n", "spec talent.yaml: info.x-upstream-documents[3]: schema \"Attachment\" is not a component schema of the spec")]
    [TestCase("      defines: object\n", "      defines: everything\n", "spec talent.yaml: info.x-upstream-documents[3]: a reference needs defines: errors or object, not \"everything\"")]
    [TestCase("    - document: talent-upload.md\n", "    - document: pages/talent-upload.md\n", "spec talent.yaml: info.x-upstream-documents[1]: document \"pages/talent-upload.md\" must be a file name, without a folder")]
    [TestCase("    - document: talent-upload.md\n", "    - document: talent.md\n", "spec talent.yaml: info.x-upstream-documents[1]: document \"talent.md\" is listed twice")]
    public void A_malformed_document_list_makes_the_spec_unreadable(string find, string replacement, string error)
    {
        EditSpec("talent.yaml", find, replacement);

        var result = Check("talent.md", Page("talent.md"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: " + error));
    }

    [Test]
    public void An_errors_reference_without_sections_makes_the_spec_unreadable()
    {
        EditSpec("store.yaml", "      sections: [request-errors, system-errors, authorization, captcha]\n", string.Empty);

        var result = Check("store-openapi.yaml", Page("store-openapi.yaml"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: spec store.yaml: info.x-upstream-documents[3]: an errors reference needs sections: the <a name=\"...\"> anchors whose errors apply"));
    }
}
