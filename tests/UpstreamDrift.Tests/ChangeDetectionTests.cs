using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// Every kind of change, in both directions: "added upstream" (the page has it, our spec does not)
/// and "removed upstream" (only our spec has it). Each test edits one fixture page (or the workspace
/// copy of a fixture spec) and asserts the exact DRIFT lines and the exit code.
/// </summary>
public sealed class ChangeDetectionTests : DriftTestBase
{
    private static void AssertDrift(RunResult result, params string[] expected)
    {
        Assert.That(result.Drift, Is.EqualTo(expected));
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Is.Empty);
    }

    // ----- endpoint -----

    [Test]
    public void Endpoint_added_upstream()
    {
        var page = Page("gallery.md") + """

            ## Rotating a picture

            ```
            POST /pictures/{id}/rotate
            ```

            ### Response

            A successful response contains a code `204 No Content` and is body-less.
            """;

        var result = Check("gallery.md", page);

        AssertDrift(result, "DRIFT     POST /pictures/{id}/rotate  endpoint: added upstream (not in spec)");
        Assert.That(result.Summary, Is.EqualTo("2 differences: 1 drift, 1 declared"));
    }

    [Test]
    public void Endpoint_removed_upstream()
    {
        var page = Cut(Page("gallery.md"), "<a name=\"delete\"></a>");

        AssertDrift(Check("gallery.md", page), "DRIFT     DELETE /pictures/{id}  endpoint: removed upstream (spec only)");
    }

    [Test]
    public void Endpoint_removed_upstream_from_an_OpenApi_page()
    {
        var page = Cut(Page("files.md"), "## POST /files/upload");

        AssertDrift(Check("files.md", page), "DRIFT     POST /files/upload  endpoint: removed upstream (spec only)");
    }

    // ----- path change -----

    [Test]
    public void Path_changed_upstream_the_operation_moved()
    {
        var page = Edit(Page("files.md"), "\"/files/upload\": {", "\"/files/store\": {");

        AssertDrift(Check("files.md", page), "DRIFT     POST /files/upload  path: \"/files/store\" upstream, \"/files/upload\" in spec");
    }

    [Test]
    public void Path_changed_in_our_spec_the_operation_moved()
    {
        EditSpec("files.yaml", "  /files/upload:", "  /files/store:");

        AssertDrift(Check("files.md", Page("files.md")), "DRIFT     POST /files/store  path: \"/files/upload\" upstream, \"/files/store\" in spec");
    }

    [Test]
    public void Path_parameter_renamed_upstream()
    {
        var page = Edit(Page("gallery.md"), "PUT /pictures/{id}", "PUT /pictures/{picture_id}");

        AssertDrift(
            Check("gallery.md", page),
            "DRIFT     PUT /pictures/{id}  path: \"/pictures/{picture_id}\" upstream, \"/pictures/{id}\" in spec",
            "DRIFT     PUT /pictures/{id}  path parameter \"id\": removed upstream (spec only)",
            "DRIFT     PUT /pictures/{id}  path parameter \"picture_id\": added upstream (not in spec)");
    }

    // ----- parameter -----

    [Test]
    public void Parameter_added_upstream()
    {
        var page = Edit(
            Page("profiles.md"),
            "{% endapi-method-query-parameters %}",
            "{% api-method-parameter name=\"lang\" type=\"string\" %}\nLanguage of the listing.\n{% endapi-method-parameter %}\n{% endapi-method-query-parameters %}");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  query parameter \"lang\": added upstream (not in spec)");
    }

    [Test]
    public void Parameter_removed_upstream()
    {
        var page = Cut(Page("profiles.md"), "{% api-method-parameter name=\"limit\"", "{% endapi-method-query-parameters %}");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  query parameter \"limit\": removed upstream (spec only)");
    }

    [Test]
    public void Header_parameter_added_upstream()
    {
        var page = Edit(
            Page("profiles.md"),
            "{% endapi-method-headers %}",
            "{% api-method-parameter name=\"X-Request-Id\" type=\"string\" %}\nCorrelation id of the call.\n{% endapi-method-parameter %}\n{% endapi-method-headers %}");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  header parameter \"X-Request-Id\": added upstream (not in spec)");
    }

    [Test]
    public void Parameter_named_in_prose_added_upstream()
    {
        var page = Edit(Page("gallery.md"), "* `caption` - new caption\n", "* `caption` - new caption\n* `visibility` - who may see the picture\n");

        AssertDrift(Check("gallery.md", page), "DRIFT     PUT /pictures/{id}  parameter \"visibility\": added upstream (not in spec)");
    }

    [Test]
    public void Parameter_type_changed_upstream()
    {
        var page = Edit(Page("profiles.md"), "name=\"limit\" type=\"integer\"", "name=\"limit\" type=\"string\"");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  query parameter \"limit\": type \"string\" upstream, \"integer\" in spec");
    }

    // ----- required flag -----

    [Test]
    public void Required_flag_required_upstream_optional_in_spec()
    {
        var page = Edit(Page("gallery.md"), "caption | no | caption text", "caption | yes | caption text");

        AssertDrift(Check("gallery.md", page), "DRIFT     POST /pictures  request multipart part \"caption\": required upstream, optional in spec");
    }

    [Test]
    public void Required_flag_optional_upstream_required_in_spec()
    {
        var page = Edit(Page("files.md"), "{\"name\": \"fileId\", \"in\": \"query\", \"required\": true", "{\"name\": \"fileId\", \"in\": \"query\", \"required\": false");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  query parameter \"fileId\": optional upstream, required in spec");
    }

    [Test]
    public void Required_flag_of_an_api_method_parameter_dropped_upstream()
    {
        var page = Edit(Page("profiles.md"), "name=\"source\\_id\" type=\"string\" required=true", "name=\"source\\_id\" type=\"string\"");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  query parameter \"source_id\": optional upstream, required in spec");
    }

    [Test]
    public void Required_flag_of_a_response_field_added_upstream()
    {
        var page = Edit(Page("files.md"), "\"Error\": {\"type\": \"object\", \"required\": [\"code\"]", "\"Error\": {\"type\": \"object\", \"required\": [\"code\", \"message\"]");

        AssertDrift(Check("files.md", page), "DRIFT     POST /files/upload  response 400 application/json field \"message\": required upstream, optional in spec");
    }

    [Test]
    public void Required_flag_of_a_multipart_part_added_upstream()
    {
        var page = Edit(Page("files.md"), "\"required\": [\"file\"]", "\"required\": [\"file\", \"label\"]");

        AssertDrift(Check("files.md", page), "DRIFT     POST /files/upload  request multipart part \"label\": required upstream, optional in spec");
    }

    [Test]
    public void Require_misspelt_for_required_is_a_required_flag_difference()
    {
        var page = Edit(Page("files.md"), "\"requestBody\": {\"required\": true", "\"requestBody\": {\"require\": true");

        AssertDrift(
            Check("files.md", page),
            "DRIFT     POST /files/upload  request body: optional upstream (upstream writes \"require\": true, not \"required\"), required in spec");
    }

    // ----- enum value -----

    [Test]
    public void Enum_value_added_upstream()
    {
        var page = Edit(Page("files.md"), "\"enum\": [\"original\", \"thumbnail\"]", "\"enum\": [\"original\", \"thumbnail\", \"preview\"]");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  query parameter \"kind\" enum value \"preview\": added upstream (not in spec)");
    }

    [Test]
    public void Enum_value_removed_upstream()
    {
        var page = Edit(Page("files.md"), "\"enum\": [\"original\", \"thumbnail\"]", "\"enum\": [\"original\"]");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  query parameter \"kind\" enum value \"thumbnail\": removed upstream (spec only)");
    }

    // ----- field -----

    [Test]
    public void Field_added_upstream()
    {
        var page = Edit(Page("profiles.md"), "\"name\": \"cv.pdf\",", "\"name\": \"cv.pdf\",\n            \"size\": 2048,");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  response 200 application/json field \"data[].size\": added upstream (not in spec)");
    }

    [Test]
    public void Field_removed_upstream()
    {
        var page = Edit(Page("profiles.md"), "\"name\": \"cv.pdf\",\n            \"url\": \"https://files.profiles.example.test/cv.pdf\"", "\"name\": \"cv.pdf\"");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  response 200 application/json field \"data[].url\": removed upstream (spec only)");
    }

    [Test]
    public void Field_added_upstream_in_an_embedded_OpenApi_schema()
    {
        var page = Edit(Page("files.md"), "\"size\": {\"type\": \"integer\", \"format\": \"int64\"}", "\"size\": {\"type\": \"integer\"}, \"checksum\": {\"type\": \"string\"}");

        AssertDrift(Check("files.md", page), "DRIFT     POST /files/upload  response 201 application/json field \"checksum\": added upstream (not in spec)");
    }

    [Test]
    public void Field_removed_upstream_from_a_prose_example()
    {
        var page = Edit(Page("gallery.md"), "    ],\n    \"found\": 1\n}", "    ]\n}");

        AssertDrift(Check("gallery.md", page), "DRIFT     GET /pictures  response 200 application/json field \"found\": removed upstream (spec only)");
    }

    [Test]
    public void Field_added_upstream_to_a_field_table_shows_wherever_the_table_applies()
    {
        // The table documents each 'items' element of the list and, through the #picture link, the upload response.
        var page = Edit(Page("gallery.md"), "caption | string | caption\n", "caption | string | caption\nrating | integer | stars\n");

        AssertDrift(
            Check("gallery.md", page),
            "DRIFT     GET /pictures  response 200 application/json field \"items[].rating\": added upstream (not in spec)",
            "DRIFT     POST /pictures  response 201 application/json field \"rating\": added upstream (not in spec)");
    }

    // ----- status code -----

    [Test]
    public void Status_code_added_upstream()
    {
        // The page ends with the error list of DELETE /pictures/{id}.
        var page = Page("gallery.md") + "* `429 Too Many Requests` – slow down\n";

        AssertDrift(Check("gallery.md", page), "DRIFT     DELETE /pictures/{id}  response 429: added upstream (not in spec)");
    }

    [Test]
    public void Status_code_removed_upstream()
    {
        var page = Edit(Page("gallery.md"), "* `400 Bad Request` – wrong parameters\n", string.Empty);

        AssertDrift(Check("gallery.md", page), "DRIFT     POST /pictures  response 400: removed upstream (spec only)");
    }

    [Test]
    public void Status_code_added_upstream_to_an_OpenApi_page()
    {
        var page = Edit(Page("files.md"), "          \"404\": {", "          \"410\": {\"description\": \"Expired\"},\n          \"404\": {");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  response 410: added upstream (not in spec)");
    }

    [Test]
    public void Status_code_removed_upstream_from_an_api_method_page()
    {
        var page = Cut(Page("profiles.md"), "{% api-method-response-example httpCode=401 %}", "{% endapi-method-response %}");

        AssertDrift(Check("profiles.md", page), "DRIFT     GET /profile/documents  response 401: removed upstream (spec only)");
    }

    // ----- media type -----

    [Test]
    public void Media_type_added_upstream()
    {
        var page = Edit(Page("files.md"), "\"image/png\": {}", "\"image/png\": {}, \"image/jpeg\": {}");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  response 200 media type \"image/jpeg\": added upstream (not in spec)");
    }

    [Test]
    public void Media_type_removed_upstream()
    {
        var page = Edit(Page("files.md"), ", \"image/png\": {}", string.Empty);

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  response 200 media type \"image/png\": removed upstream (spec only)");
    }

    [Test]
    public void Request_media_type_changed_upstream()
    {
        var page = Edit(Page("gallery.md"), "Send a `multipart/form-data` request", "Send an `application/x-www-form-urlencoded` request");

        AssertDrift(
            Check("gallery.md", page),
            "DRIFT     POST /pictures  request media type \"application/x-www-form-urlencoded\": added upstream (not in spec)",
            "DRIFT     POST /pictures  request media type \"multipart/form-data\": removed upstream (spec only)");
    }

    [Test]
    public void Response_body_removed_upstream()
    {
        var page = Edit(
            Page("files.md"),
            "\"404\": {\"description\": \"No such file\", \"content\": {\"application/json\": {\"schema\": {\"type\": \"object\", \"required\": [\"code\"], \"properties\": {\"code\": {\"type\": \"integer\"}, \"message\": {\"type\": \"string\"}}}}}},",
            "\"404\": {\"description\": \"No such file\"},");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  response 404 body (application/json): removed upstream (spec only)");
    }

    [Test]
    public void Object_schema_added_upstream_where_our_spec_has_bytes()
    {
        var page = Edit(Page("files.md"), "\"image/png\": {}", "\"image/png\": {\"schema\": {\"type\": \"object\", \"properties\": {\"code\": {\"type\": \"integer\"}}}}");

        AssertDrift(Check("files.md", page), "DRIFT     GET /files/download  response 200 media type \"image/png\" object schema: added upstream (not in spec)");
    }

    [Test]
    public void Request_body_removed_upstream()
    {
        var page = Edit(
            Page("files.md"),
            "\"requestBody\": {\"required\": true, \"content\": {\"multipart/form-data\": {\"schema\": {\"type\": \"object\", \"required\": [\"file\"], \"properties\": {\"file\": {\"type\": \"string\", \"format\": \"binary\"}, \"label\": {\"type\": \"string\"}}}}}},\n",
            string.Empty);

        AssertDrift(Check("files.md", page), "DRIFT     POST /files/upload  request body: removed upstream (spec only)");
    }

    // ----- multipart part name -----

    [Test]
    public void Multipart_part_added_upstream()
    {
        var page = Edit(Page("gallery.md"), "file | yes | the image\n", "file | yes | the image\nalbum | no | album to file the picture in\n");

        AssertDrift(Check("gallery.md", page), "DRIFT     POST /pictures  request multipart part \"album\": added upstream (not in spec)");
    }

    [Test]
    public void Multipart_part_removed_upstream()
    {
        var page = Edit(Page("gallery.md"), "caption | no | caption text\n", string.Empty);

        AssertDrift(Check("gallery.md", page), "DRIFT     POST /pictures  request multipart part \"caption\": removed upstream (spec only)");
    }

    [Test]
    public void Multipart_part_renamed_upstream()
    {
        var page = Edit(Page("files.md"), "\"label\": {\"type\": \"string\"}", "\"title\": {\"type\": \"string\"}");

        AssertDrift(
            Check("files.md", page),
            "DRIFT     POST /files/upload  request multipart part \"label\": removed upstream (spec only)",
            "DRIFT     POST /files/upload  request multipart part \"title\": added upstream (not in spec)");
    }

    // ----- auth scheme -----

    [Test]
    public void Auth_scheme_added_upstream()
    {
        var page = Edit(
            Page("profiles.md"),
            "{% endapi-method-headers %}",
            "{% api-method-parameter name=\"X-USER-TOKEN\" type=\"string\" required=true %}\nAuthentication token of the user.\n{% endapi-method-parameter %}\n{% endapi-method-headers %}");

        AssertDrift(Check("profiles.md", page), "DRIFT     (document)  auth scheme \"apiKey header X-USER-TOKEN\": added upstream (not in spec)");
    }

    [Test]
    public void Auth_scheme_removed_upstream()
    {
        EditSpec("profiles.yaml", "security:\n  - apiKey: []\n", "security:\n  - apiKey: []\n  - bearer: []\n");
        EditSpec("profiles.yaml", "  securitySchemes:\n", "  securitySchemes:\n    bearer:\n      type: http\n      scheme: bearer\n");

        AssertDrift(Check("profiles.md", Page("profiles.md")), "DRIFT     (document)  auth scheme \"http bearer\": removed upstream (spec only)");
    }

    [Test]
    public void Auth_scheme_type_changed_upstream()
    {
        var oauth = "\"oauth2_auth\": {\"type\": \"oauth2\", \"flows\": {\"clientCredentials\": {\"tokenUrl\": \"https://auth.example.test/token\", \"scopes\": {\"files.read\": \"Read files\"}}}}";
        var page = Edit(Page("files.md"), oauth, "\"oauth2_auth\": {\"type\": \"http\", \"scheme\": \"bearer\"}", count: 2);

        AssertDrift(
            Check("files.md", page),
            "DRIFT     (document)  auth scheme \"http bearer\": added upstream (not in spec)",
            "DRIFT     (document)  auth scheme \"oauth2 clientCredentials\": removed upstream (spec only)");
    }

    [Test]
    public void Auth_token_url_changed_upstream()
    {
        var page = Edit(Page("files.md"), "\"tokenUrl\": \"https://auth.example.test/token\"", "\"tokenUrl\": \"https://auth.example.test/oauth/token\"", count: 2);

        AssertDrift(
            Check("files.md", page),
            "DRIFT     (document)  auth scheme \"oauth2 clientCredentials\" token URL: \"https://auth.example.test/oauth/token\" upstream, \"https://auth.example.test/token\" in spec");
    }

    [Test]
    public void Auth_scope_added_and_removed_upstream()
    {
        var page = Edit(Page("files.md"), "\"scopes\": {\"files.read\": \"Read files\"}", "\"scopes\": {\"files.write\": \"Write files\"}", count: 2);

        AssertDrift(
            Check("files.md", page),
            "DRIFT     (document)  auth scheme \"oauth2 clientCredentials\" scope \"files.read\": removed upstream (spec only)",
            "DRIFT     (document)  auth scheme \"oauth2 clientCredentials\" scope \"files.write\": added upstream (not in spec)");
    }

    [Test]
    public void Auth_named_in_prose_is_compared()
    {
        var page = Edit(Page("gallery.md"), "Applicants keep pictures for their profile.", "Applicants keep pictures for their profile. Send `Authorization: Basic <credentials>` with every request.");

        AssertDrift(
            Check("gallery.md", page),
            "DRIFT     (document)  auth scheme \"http basic\": added upstream (not in spec)",
            "DRIFT     (document)  auth scheme \"http bearer\": removed upstream (spec only)");
    }

    // ----- server -----

    [Test]
    public void Server_changed_upstream()
    {
        var page = Edit(Page("profiles.md"), "host=\"https://api.profiles.example.test/v1\"", "host=\"https://api.profiles.example.test/v2\"");

        AssertDrift(
            Check("profiles.md", page),
            "DRIFT     (document)  server \"https://api.profiles.example.test/v1\": removed upstream (spec only)",
            "DRIFT     (document)  server \"https://api.profiles.example.test/v2\": added upstream (not in spec)");
    }
}
