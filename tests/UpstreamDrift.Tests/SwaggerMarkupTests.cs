using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// GitBook's swagger markup (pages/talent.md, pages/talent-upload.md: HrFlow's current form of the
/// api-method markup), read by the same parser: every kind of change in both directions, the base path
/// that the page writes into its paths, Python-dict examples, and malformed markup (exit 2).
/// </summary>
public sealed class SwaggerMarkupTests : DriftTestBase
{
    private static void AssertDrift(RunResult result, params string[] expected)
    {
        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.EqualTo(expected));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    private RunResult CheckBoth(string? list = null, string? upload = null) =>
        Run("--specs-dir", "specs", WritePage("talent.md", list ?? Page("talent.md")), WritePage("talent-upload.md", upload ?? Page("talent-upload.md")));

    [Test]
    public void Both_pages_match_their_spec_with_the_base_path_moved_onto_the_server()
    {
        AssertLines(
            CheckBoth(),
            "PAGE      pages/talent.md: GitBook swagger page, 1 endpoint -> talent.yaml",
            "PAGE      pages/talent-upload.md: GitBook swagger page, 1 endpoint -> talent.yaml",
            "SPEC      talent.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
    }

    [Test]
    public void Endpoint_added_upstream()
    {
        var page = Page("talent.md") + """

            {% swagger baseUrl="https://api.talent.example.test" path="/v2/candidates/files/{name}" method="delete" summary="Detach" %}
            {% swagger-response status="204" description="Detached." %}
            {% endswagger-response %}
            {% endswagger %}
            """;

        AssertDrift(CheckBoth(list: page), "DRIFT     DELETE /candidates/files/{name}  endpoint: added upstream (not in spec)");
    }

    [Test]
    public void Endpoint_removed_upstream()
    {
        var result = Check("talent.md", Page("talent.md"));

        AssertDrift(result, "DRIFT     POST /candidates/files  endpoint: removed upstream (spec only)");
    }

    [Test]
    public void Parameter_added_upstream()
    {
        var page = Edit(Page("talent.md"), "{% swagger-response status=\"200\"", """
            {% swagger-parameter in="query" name="email" type="string" %}
            The candidate's email.
            {% endswagger-parameter %}

            {% swagger-response status="200"
            """);

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  query parameter \"email\": added upstream (not in spec)");
    }

    [Test]
    public void Parameter_removed_upstream()
    {
        var page = Cut(Page("talent.md"), "{% swagger-parameter in=\"query\" name=\"reference\"", "{% swagger-response status=\"200\"");

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  query parameter \"reference\": removed upstream (spec only)");
    }

    [Test]
    public void Required_flag_dropped_upstream()
    {
        var page = Edit(Page("talent.md"), "name=\"board\\_key\" type=\"string\" required=\"true\"", "name=\"board\\_key\" type=\"string\"");

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  query parameter \"board_key\": optional upstream, required in spec");
    }

    [Test]
    public void Required_flag_added_upstream()
    {
        var page = Edit(Page("talent.md"), "name=\"key\" type=\"string\"", "name=\"key\" type=\"string\" required=true");

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  query parameter \"key\": required upstream, optional in spec");
    }

    [Test]
    public void Multipart_part_added_upstream()
    {
        var upload = Edit(Page("talent-upload.md"), "{% swagger-response status=\"201\"", """
            {% swagger-parameter in="formData" name="tags" type="string" %}
            Tags.
            {% endswagger-parameter %}

            {% swagger-response status="201"
            """);

        AssertDrift(CheckBoth(upload: upload), "DRIFT     POST /candidates/files  request multipart part \"tags\": added upstream (not in spec)");
    }

    [Test]
    public void Multipart_part_removed_upstream_and_part_required_upstream()
    {
        var upload = Cut(Page("talent-upload.md"), "{% swagger-parameter in=\"formData\" name=\"label\"", "{% swagger-response status=\"201\"");
        upload = Edit(upload, "name=\"board\\_key\" type=\"string\" required=\"true\"", "name=\"board\\_key\" type=\"string\"");

        AssertDrift(
            CheckBoth(upload: upload),
            "DRIFT     POST /candidates/files  request multipart part \"board_key\": optional upstream, required in spec",
            "DRIFT     POST /candidates/files  request multipart part \"label\": removed upstream (spec only)");
    }

    [Test]
    public void Json_body_media_type_added_upstream()
    {
        var upload = Edit(Page("talent-upload.md"), "{% swagger-response status=\"201\"", """
            {% swagger-parameter in="body" name="metadata" type="object" %}
            Metadata.
            {% endswagger-parameter %}

            {% swagger-response status="201"
            """);

        AssertDrift(CheckBoth(upload: upload), "DRIFT     POST /candidates/files  request media type \"application/json\": added upstream (not in spec)");
    }

    [Test]
    public void Media_type_removed_upstream()
    {
        EditSpec("talent.yaml", "        '400':\n          description: Unknown board.\n          content:\n", "        '400':\n          description: Unknown board.\n          content:\n            text/plain:\n              schema:\n                type: string\n");

        AssertDrift(CheckBoth(), "DRIFT     GET /candidates/files  response 400 media type \"text/plain\": removed upstream (spec only)");
    }

    [Test]
    public void Response_status_added_upstream()
    {
        var page = Edit(Page("talent.md"), "{% endswagger %}", """
            {% swagger-response status="401" description="Invalid key." %}
            ```scheme
            {"code": 401, "message": "Unauthorized"}
            ```
            {% endswagger-response %}
            {% endswagger %}
            """);

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  response 401: added upstream (not in spec)");
    }

    [Test]
    public void Response_status_removed_upstream()
    {
        var page = Cut(Page("talent.md"), "{% swagger-response status=\"400\"", "{% endswagger %}");

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  response 400: removed upstream (spec only)");
    }

    [Test]
    public void Field_added_upstream_in_a_python_dict_example()
    {
        var page = Edit(Page("talent.md"), "           'url': None}],", "           'url': None,\n           'created_at': '2024-01-01T00:00:00+0000'}],");

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  response 200 application/json field \"data[].created_at\": added upstream (not in spec)");
    }

    [Test]
    public void Field_removed_upstream_from_a_python_dict_example()
    {
        var page = Edit(Page("talent.md"), "           'archived': False,\n", string.Empty);

        AssertDrift(CheckBoth(list: page), "DRIFT     GET /candidates/files  response 200 application/json field \"data[].archived\": removed upstream (spec only)");
    }

    [Test]
    public void Auth_header_is_an_auth_scheme_and_a_new_credential_header_is_reported_as_one()
    {
        var page = Edit(Page("talent.md"), "{% swagger-parameter in=\"query\" name=\"board\\_key\"", """
            {% swagger-parameter in="header" name="X-API-SECRET" type="string" %}
            The secret that goes with the key.
            {% endswagger-parameter %}

            {% swagger-parameter in="query" name="board\_key"
            """);

        AssertDrift(CheckBoth(list: page), "DRIFT     (document)  auth scheme \"apiKey header X-API-SECRET\": added upstream (not in spec)");
    }

    [Test]
    public void Server_changed_upstream()
    {
        var page = Edit(Page("talent.md"), "baseUrl=\"https://api.talent.example.test\"", "baseUrl=\"https://eu.talent.example.test\"");
        var upload = Edit(Page("talent-upload.md"), "baseUrl=\"https://api.talent.example.test\"", "baseUrl=\"https://eu.talent.example.test\"");

        var result = CheckBoth(page, upload);

        Assert.That(result.Drift, Does.Contain("DRIFT     (document)  server \"https://eu.talent.example.test\": added upstream (not in spec)"));
        Assert.That(result.Drift, Does.Contain("DRIFT     (document)  server \"https://api.talent.example.test/v2\": removed upstream (spec only)"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void An_apostrophe_in_a_comment_of_a_json_example_opens_no_string()
    {
        var page = Edit(Page("talent.md"), "    \"code\": 400,\n", "    // the board's key was not found\n    \"code\": 400, /* it's always 400 */\n");

        Assert.That(CheckBoth(list: page).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Malformed_python_dict_example_exits_2()
    {
        var page = Edit(Page("talent.md"), "'message': 'Candidate files'}", "'message': 'Candidate files}");

        var result = CheckBoth(list: page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent.md: malformed JSON in the response example 200 that ends at line 43: unterminated string starting at line 8 of the example"));
    }

    [Test]
    public void Example_that_is_not_json_even_after_conversion_exits_2()
    {
        var page = Edit(Page("talent.md"), "'archived': False,", "'archived': False False,");

        var result = CheckBoth(list: page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent.md: malformed JSON in the response example 200 that ends at line 43:"));
    }

    [Test]
    public void Unclosed_swagger_markup_exits_2()
    {
        var page = Edit(Page("talent.md"), "{% endswagger %}", string.Empty);

        var result = CheckBoth(list: page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent.md: {% swagger %} at line 11 is never closed with {% endswagger %}"));
    }

    [Test]
    public void Parameter_with_an_unknown_location_exits_2()
    {
        var page = Edit(Page("talent.md"), "in=\"query\" name=\"key\"", "in=\"cookies\" name=\"key\"");

        var result = CheckBoth(list: page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent.md: swagger-parameter at line 24 has an unknown location in=\"cookies\" (header, query, path, cookie, body or formData)"));
    }

    [Test]
    public void Response_without_status_exits_2()
    {
        var page = Edit(Page("talent.md"), "{% swagger-response status=\"400\"", "{% swagger-response code=\"400\"");

        var result = CheckBoth(list: page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent.md: swagger-response at line 45 has no status"));
    }
}
