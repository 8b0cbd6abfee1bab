using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>The declared baseline of each fixture page: what every variant test starts from.</summary>
public static class Baseline
{
    public const string FilesDeclared =
        "DECLARED  GET /files/download  header parameter \"X-Tenant\": optional upstream, required in spec  (x-upstream-deviation: The SDK always sends the tenant, so the header is required here.)";

    public const string ProfilesDeclared =
        "DECLARED  GET /profile/documents  query parameter \"profile_id\": required upstream, optional in spec  (x-upstream-deviation: Any one profile identifier suffices, so profile_id is optional here.)";

    public const string GalleryDeclared =
        "DECLARED  PUT /pictures/{id}  request media type \"application/x-www-form-urlencoded\": removed upstream (spec only)  (x-upstream-deviation: The page names no media type; the API takes form parameters.)";
}

public sealed class BaselineTests : DriftTestBase
{
    [Test]
    public void GitBook_OpenApi_page_differs_from_its_spec_only_where_declared()
    {
        var result = Check("files.md", Page("files.md"));

        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "PAGE      pages/files.md: GitBook page, 2 embedded OpenAPI 3.0.0/3.1.1 documents, 2 endpoints -> files.yaml",
            "SPEC      files.yaml: 1 difference",
            Baseline.FilesDeclared,
            "1 difference: 0 drift, 1 declared",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Error, Is.Empty);
    }

    [Test]
    public void GitBook_api_method_page_differs_from_its_spec_only_where_declared()
    {
        var result = Check("profiles.md", Page("profiles.md"));

        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "PAGE      pages/profiles.md: GitBook api-method page, 1 endpoint -> profiles.yaml",
            "SPEC      profiles.yaml: 1 difference",
            Baseline.ProfilesDeclared,
            "1 difference: 0 drift, 1 declared",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Markdown_prose_page_differs_from_its_spec_only_where_declared()
    {
        var result = Check("gallery.md", Page("gallery.md"));

        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "PAGE      pages/gallery.md: Markdown prose page, 4 endpoints -> gallery.yaml",
            "SPEC      gallery.yaml: 1 difference",
            Baseline.GalleryDeclared,
            "1 difference: 0 drift, 1 declared",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Representation_choices_are_never_reported()
    {
        // operationId, tags, summaries, descriptions and examples change; contentMediaType becomes
        // format: binary; a $ref becomes an inline schema with the same fields; a 3.1 document becomes 3.0.
        var page = Page("files.md");
        page = Edit(page, "\"operationId\": \"apiGetFile\"", "\"operationId\": \"somethingElse\"");
        page = Edit(page, "\"tags\": [\"Files / Download\"]", "\"tags\": [\"Other\"]");
        page = Edit(page, "\"description\": \"File token\"", "\"description\": \"The token of the file, reworded\"");
        page = Edit(page, "\"summary\": \"Upload a file\"", "\"summary\": \"Store a file\"");
        page = Edit(page, "\"example\": {\"id\": \"f-1\", \"size\": 10}", "\"example\": {\"id\": \"other\"}");
        page = Edit(page, "\"contentMediaType\": \"application/octet-stream\"", "\"format\": \"binary\"");
        page = Edit(page, "{\"$ref\": \"#/components/schemas/Stored\"}", "{\"type\": \"object\", \"required\": [\"id\"], \"properties\": {\"id\": {\"type\": \"string\"}, \"size\": {\"type\": \"integer\"}}}");
        page = Edit(page, "\"openapi\": \"3.1.1\"", "\"openapi\": \"3.0.3\"");
        var gallery = Edit(Page("gallery.md"), "id | string | picture ID", "id | string | the picture's unique ID");
        gallery = Edit(gallery, "\"id\": \"43\"", "\"id\": \"9000\"");
        WritePage("gallery.md", gallery);

        var result = Run("--specs-dir", "specs", WritePage("files.md", page), "pages/gallery.md");

        Assert.That(result.Differences, Is.EqualTo(new[] { Baseline.FilesDeclared, Baseline.GalleryDeclared }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_folder_is_checked_page_by_page_and_each_page_is_matched_to_its_spec()
    {
        foreach (var name in new[] { "files.md", "gallery.md", "profiles.md" })
        {
            WritePage(name, Page(name));
        }

        WritePage("README.md", "# Upstream pages\n\nNot a page: skipped.\n");

        var result = Run("--specs-dir", "specs", "pages");

        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "PAGE      pages/files.md: GitBook page, 2 embedded OpenAPI 3.0.0/3.1.1 documents, 2 endpoints -> files.yaml",
            "PAGE      pages/gallery.md: Markdown prose page, 4 endpoints -> gallery.yaml",
            "PAGE      pages/profiles.md: GitBook api-method page, 1 endpoint -> profiles.yaml",
            "SPEC      files.yaml: 1 difference",
            Baseline.FilesDeclared,
            "SPEC      gallery.yaml: 1 difference",
            Baseline.GalleryDeclared,
            "SPEC      profiles.yaml: 1 difference",
            Baseline.ProfilesDeclared,
            "3 differences: 0 drift, 3 declared",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Pages_of_one_spec_are_compared_together()
    {
        var gallery = Page("gallery.md");
        var split = gallery.IndexOf("<a name=\"edit\"></a>", System.StringComparison.Ordinal);
        WritePage("gallery-1.md", gallery[..split]);
        WritePage("gallery-2.md", gallery[split..]);

        var result = Run("--specs-dir", "specs", "pages");

        Assert.That(result.Lines, Is.EqualTo(new[]
        {
            "PAGE      pages/gallery-1.md: Markdown prose page, 2 endpoints -> gallery.yaml",
            "PAGE      pages/gallery-2.md: Markdown prose page, 2 endpoints -> gallery.yaml",
            "SPEC      gallery.yaml: 1 difference",
            Baseline.GalleryDeclared,
            "1 difference: 0 drift, 1 declared",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Help_describes_the_declaration_rule_and_exit_codes()
    {
        var result = Run("--help");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(string.Join('\n', result.Lines), Does.Contain("x-upstream-deviation").And.Contain("Exit codes: 0 no undeclared drift, 1 undeclared drift, 2"));
    }
}
