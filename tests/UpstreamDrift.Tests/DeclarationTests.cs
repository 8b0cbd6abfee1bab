using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// Declared vs undeclared: a difference is DECLARED by the x-upstream-deviation of the spec element it
/// is about; for something our spec lacks, by the nearest enclosing element our spec has.
/// </summary>
public sealed class DeclarationTests : DriftTestBase
{
    private static string OptionalFileId() =>
        Edit(Page("files.md"), "{\"name\": \"fileId\", \"in\": \"query\", \"required\": true", "{\"name\": \"fileId\", \"in\": \"query\", \"required\": false");

    [Test]
    public void Undeclared_difference_is_drift_and_exits_1()
    {
        var result = Check("files.md", OptionalFileId());

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            "DRIFT     GET /files/download  query parameter \"fileId\": optional upstream, required in spec",
            Baseline.FilesDeclared,
        }));
        Assert.That(result.Summary, Is.EqualTo("2 differences: 1 drift, 1 declared"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void The_same_difference_declared_on_the_element_is_printed_with_its_reason_and_exits_0()
    {
        EditSpec("files.yaml", "        - name: fileId\n", "        - name: fileId\n          x-upstream-deviation: \"A download without a file token is meaningless.\"\n");

        var result = Check("files.md", OptionalFileId());

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            "DECLARED  GET /files/download  query parameter \"fileId\": optional upstream, required in spec  (x-upstream-deviation: A download without a file token is meaningless.)",
            Baseline.FilesDeclared,
        }));
        Assert.That(result.Summary, Is.EqualTo("2 differences: 0 drift, 2 declared"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Declaration_on_a_referenced_component_schema_declares_its_fields()
    {
        EditSpec("files.yaml", "    Error:\n      type: object\n", "    Error:\n      type: object\n      x-upstream-deviation: \"Error bodies are modelled from the provider's error page.\"\n");
        var page = Edit(Page("files.md"), "\"Error\": {\"type\": \"object\", \"required\": [\"code\"], \"properties\": {\"code\": {\"type\": \"integer\"}, \"message\": {\"type\": \"string\"}}}", "\"Error\": {\"type\": \"object\", \"required\": [\"code\"], \"properties\": {\"code\": {\"type\": \"integer\"}}}");

        var result = Check("files.md", page);

        Assert.That(result.Declared, Does.Contain(
            "DECLARED  POST /files/upload  response 400 application/json field \"message\": removed upstream (spec only)  (x-upstream-deviation: Error bodies are modelled from the provider's error page.)"));
        Assert.That(result.Drift, Is.Empty);
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Field_added_upstream_is_declared_by_the_nearest_enclosing_object_schema_of_our_spec()
    {
        EditSpec("profiles.yaml", "    Document:\n      type: object\n", "    Document:\n      type: object\n      x-upstream-deviation: \"Only the fields the SDK needs are modelled.\"\n");
        var page = Edit(Page("profiles.md"), "\"name\": \"cv.pdf\",", "\"name\": \"cv.pdf\",\n            \"size\": 2048,");

        var result = Check("profiles.md", page);

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            Baseline.ProfilesDeclared,
            "DECLARED  GET /profile/documents  response 200 application/json field \"data[].size\": added upstream (not in spec)  (x-upstream-deviation: Only the fields the SDK needs are modelled.)",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Operation_declaration_covers_what_is_added_upstream_inside_it_but_not_what_our_spec_has()
    {
        EditSpec("files.yaml", "      operationId: downloadFile\n", "      operationId: downloadFile\n      x-upstream-deviation: \"Only the parameters the SDK sends are modelled.\"\n");
        var page = Edit(
            Page("files.md"),
            "{\"name\": \"kind\", \"in\": \"query\",",
            "{\"name\": \"lang\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},\n          {\"name\": \"kind\", \"in\": \"query\",");
        page = Edit(page, "\"enum\": [\"original\", \"thumbnail\"]", "\"enum\": [\"original\"]");

        var result = Check("files.md", page);

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            "DRIFT     GET /files/download  query parameter \"kind\" enum value \"thumbnail\": removed upstream (spec only)",
            "DECLARED  GET /files/download  query parameter \"lang\": added upstream (not in spec)  (x-upstream-deviation: Only the parameters the SDK sends are modelled.)",
            Baseline.FilesDeclared,
        }));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void Response_body_difference_is_declared_on_the_response()
    {
        EditSpec("files.yaml", "        '404':\n          description: No such file.\n", "        '404':\n          description: No such file.\n          x-upstream-deviation: \"The provider does send its JSON error body with 404.\"\n");
        var page = Edit(
            Page("files.md"),
            "\"404\": {\"description\": \"No such file\", \"content\": {\"application/json\": {\"schema\": {\"type\": \"object\", \"required\": [\"code\"], \"properties\": {\"code\": {\"type\": \"integer\"}, \"message\": {\"type\": \"string\"}}}}}},",
            "\"404\": {\"description\": \"No such file\"},");

        var result = Check("files.md", page);

        Assert.That(result.Declared, Does.Contain(
            "DECLARED  GET /files/download  response 404 body (application/json): removed upstream (spec only)  (x-upstream-deviation: The provider does send its JSON error body with 404.)"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Misspelt_require_is_declared_on_the_request_body()
    {
        EditSpec("files.yaml", "      requestBody:\n        required: true\n", "      requestBody:\n        required: true\n        x-upstream-deviation: \"Upstream misspells required as require.\"\n");
        var page = Edit(Page("files.md"), "\"requestBody\": {\"required\": true", "\"requestBody\": {\"require\": true");

        var result = Check("files.md", page);

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            Baseline.FilesDeclared,
            "DECLARED  POST /files/upload  request body: optional upstream (upstream writes \"require\": true, not \"required\"), required in spec  (x-upstream-deviation: Upstream misspells required as require.)",
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Auth_scheme_removed_upstream_is_declared_on_the_security_scheme()
    {
        EditSpec("profiles.yaml", "security:\n  - apiKey: []\n", "security:\n  - apiKey: []\n  - bearer: []\n");
        EditSpec("profiles.yaml", "  securitySchemes:\n", "  securitySchemes:\n    bearer:\n      type: http\n      scheme: bearer\n      x-upstream-deviation: \"Bearer tokens work too but are documented elsewhere.\"\n");

        var result = Check("profiles.md", Page("profiles.md"));

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            "DECLARED  (document)  auth scheme \"http bearer\": removed upstream (spec only)  (x-upstream-deviation: Bearer tokens work too but are documented elsewhere.)",
            Baseline.ProfilesDeclared,
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Endpoint_added_upstream_on_a_new_path_is_declared_by_info()
    {
        EditSpec("gallery.yaml", "  version: 1.0.0\n", "  version: 1.0.0\n  x-upstream-deviation: \"The SDK covers the picture endpoints only.\"\n");
        var page = Page("gallery.md") + "\n## Albums\n\n```\nGET /albums\n```\n";

        var result = Check("gallery.md", page);

        Assert.That(result.Differences, Is.EqualTo(new[]
        {
            "DECLARED  GET /albums  endpoint: added upstream (not in spec)  (x-upstream-deviation: The SDK covers the picture endpoints only.)",
            Baseline.GalleryDeclared,
        }));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }
}
