using System;
using System.IO;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>Exit code 2, with the reason on stderr, for anything that cannot be read or understood.</summary>
public sealed class ExitCodeTests : DriftTestBase
{
    private static void AssertUnreadable(RunResult result, string expectedError)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain(expectedError));
    }

    [Test]
    public void Missing_page_exits_2()
    {
        var result = Run("--specs-dir", "specs", "pages/nope.md");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Is.EqualTo("error: pages/nope.md: no such file or folder" + Environment.NewLine));
        Assert.That(result.Lines, Has.Count.EqualTo(1));
        Assert.That(result.Summary, Is.EqualTo("0 differences: 0 drift, 0 declared; 1 page could not be read"));
    }

    [Test]
    public void Page_in_an_unknown_format_exits_2()
    {
        var result = Check("notes.md", "# Release notes\n\nWe improved the attachments API.\n\n```python\nprint('hi')\n```\n");

        AssertUnreadable(result, "error: pages/notes.md: unknown format: the page is no OpenAPI document and has no embedded OpenAPI JSON document, no {% api-method %} or {% swagger %} markup and no request block");
    }

    [Test]
    public void Empty_page_exits_2()
    {
        AssertUnreadable(Check("empty.md", "\n  \n"), "error: pages/empty.md: the page is empty");
    }

    [Test]
    public void Malformed_embedded_OpenApi_json_exits_2()
    {
        var page = Edit(Page("files.md"), "  }\n}\n```\n", "  }\n```\n");

        AssertUnreadable(Check("files.md", page), "error: pages/files.md: malformed embedded JSON in the embedded OpenAPI document at line 9:");
    }

    [Test]
    public void Malformed_json_example_in_prose_exits_2()
    {
        var page = Edit(Page("gallery.md"), "    \"found\": 1\n}", "    \"found\": 1\n");

        AssertUnreadable(Check("gallery.md", page), "error: pages/gallery.md: malformed JSON in the example at line 21:");
    }

    [Test]
    public void Malformed_json_response_example_in_api_method_markup_exits_2()
    {
        var page = Edit(Page("profiles.md"), "\"message\": \"Invalid key\"", "\"message\": Invalid key");

        AssertUnreadable(Check("profiles.md", page), "error: pages/profiles.md: malformed JSON in the response example 401");
    }

    [Test]
    public void Api_method_markup_without_a_path_exits_2()
    {
        var page = Edit(Page("profiles.md"), " path=\"/profile/documents\"", string.Empty);

        AssertUnreadable(Check("profiles.md", page), "error: pages/profiles.md: {% api-method %} at line 11 lacks a method or path attribute");
    }

    [Test]
    public void Api_method_markup_that_is_never_closed_exits_2()
    {
        var page = Edit(Page("profiles.md"), "{% endapi-method %}", string.Empty);

        AssertUnreadable(Check("profiles.md", page), "is never closed with {% endapi-method %}");
    }

    [Test]
    public void Embedded_OpenApi_document_without_operations_exits_2()
    {
        var page = "# Nothing\n\n```json\n{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"x\", \"version\": \"1\"}, \"paths\": {}}\n```\n";

        AssertUnreadable(Check("nothing.md", page), "error: pages/nothing.md: the embedded OpenAPI document at line 3 documents no endpoint");
    }

    [Test]
    public void Page_that_matches_no_spec_exits_2()
    {
        var page = "# Weather\n\n## Forecast\n\n```\nGET /weather/forecast\n```\n\nSuccessful response is returned with `200 OK` code.\n";

        AssertUnreadable(
            Check("weather.md", page),
            "error: pages/weather.md: the page matches no spec: no server host or endpoint path in common with files.yaml, gallery.yaml, profiles.yaml");
    }

    [Test]
    public void A_page_that_cannot_be_read_fails_the_run_even_when_the_others_pass()
    {
        WritePage("gallery.md", Page("gallery.md"));
        WritePage("broken.md", "just some words\n");

        var result = Run("--specs-dir", "specs", "pages");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "PAGE      pages/gallery.md: Markdown prose page, 4 endpoints -> gallery.yaml",
            "SPEC      gallery.yaml: 1 difference",
            Baseline.GalleryDeclared,
            "1 difference: 0 drift, 1 declared; 1 page could not be read",
        }));
        Assert.That(result.Error, Does.StartWith("error: pages/broken.md: unknown format"));
    }

    [Test]
    public void Folder_without_pages_exits_2()
    {
        Directory.CreateDirectory(Path.Combine(Workspace, "empty"));

        AssertUnreadable(Run("--specs-dir", "specs", "empty"), "error: empty: the folder holds no page (*.md, *.markdown, *.txt, *.yaml, *.yml, *.json)");
    }

    [Test]
    public void Spec_that_cannot_be_read_exits_2()
    {
        File.WriteAllText(Path.Combine(SpecsDirectory, "broken.yaml"), "openapi: 3.0.3\ninfo: [\n");

        AssertUnreadable(Check("gallery.md", Page("gallery.md")), "error: spec ");
    }

    [Test]
    public void Missing_spec_given_with_spec_option_exits_2()
    {
        AssertUnreadable(Run("--spec", "specs/nope.yaml", WritePage("gallery.md", Page("gallery.md"))), "error: cannot read spec");
    }

    [TestCase(new string[0], "error: no page or folder given")]
    [TestCase(new[] { "--frobnicate", "pages" }, "error: unknown option --frobnicate")]
    [TestCase(new[] { "pages", "--spec" }, "error: --spec needs a value")]
    public void Usage_errors_exit_2(string[] args, string expectedError)
    {
        var result = Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith(expectedError + Environment.NewLine + "Usage: "));
    }
}
