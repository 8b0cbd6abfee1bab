using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.OpenApi.YamlReader;
using NUnit.Framework;
using SharpYaml.Serialization;

namespace UpstreamDrift.Tests;

/// <summary>
/// Format 4: a whole OpenAPI document as a provider publishes it (pages/store-openapi.yaml, hand-made
/// in the form of hh.ru's official document: allOf error bodies, anyOf error variants, a multipart
/// body with an encoding). Every change is checked in both directions, on the YAML document and on the
/// same document written as JSON.
/// </summary>
public sealed class OpenApiDocumentTests : DriftTestBase
{
    private const string Yaml = "yaml";
    private const string Json = "json";

    /// <summary>The YAML document written as a JSON document, unchanged otherwise.</summary>
    internal static string ToJson(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        return stream.Documents[0].RootNode.ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the (edited) store document as store-openapi.yaml or store-openapi.json and checks it.</summary>
    private RunResult CheckStore(string format, string yaml) =>
        format == Yaml ? Check("store-openapi.yaml", yaml) : Check("store-openapi.json", ToJson(yaml));

    private static void AssertDrift(RunResult result, params string[] expected)
    {
        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.EqualTo(expected));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [TestCase(Yaml, "OpenAPI 3.0.3 document (YAML)")]
    [TestCase(Json, "OpenAPI 3.0.3 document (JSON)")]
    public void The_document_as_published_matches_its_spec(string format, string description)
    {
        var result = CheckStore(format, Page("store-openapi.yaml"));

        AssertLines(
            result,
            $"PAGE      pages/store-openapi.{format}: {description}, 3 endpoints -> store.yaml",
            "SPEC      store.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Endpoint_added_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "  /receipts/{id}:\n", """
              /receipts/summary:
                get:
                  operationId: receipts-summary
                  responses:
                    '200':
                      description: Totals
              /receipts/{id}:

            """);

        AssertDrift(CheckStore(format, page), "DRIFT     GET /receipts/summary  endpoint: added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Endpoint_removed_upstream(string format)
    {
        var page = Cut(Page("store-openapi.yaml"), "  /receipts/{id}:\n", "components:");

        AssertDrift(CheckStore(format, page), "DRIFT     DELETE /receipts/{id}  endpoint: removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Parameter_added_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "      - in: query\n        name: page\n", "      - in: query\n        name: since\n        schema:\n          type: string\n      - in: query\n        name: page\n");

        AssertDrift(CheckStore(format, page), "DRIFT     GET /receipts  query parameter \"since\": added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Parameter_removed_upstream(string format)
    {
        var page = Cut(Page("store-openapi.yaml"), "      - in: query\n        name: page\n", "      responses:");

        AssertDrift(CheckStore(format, page), "DRIFT     GET /receipts  query parameter \"page\": removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Parameter_required_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "        name: page\n        required: false\n", "        name: page\n        required: true\n");

        AssertDrift(CheckStore(format, page), "DRIFT     GET /receipts  query parameter \"page\": required upstream, optional in spec");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Parameter_required_in_our_spec_only(string format)
    {
        EditSpec("store.yaml", "        - name: page\n          in: query\n", "        - name: page\n          in: query\n          required: true\n");

        AssertDrift(CheckStore(format, Page("store-openapi.yaml")), "DRIFT     GET /receipts  query parameter \"page\": optional upstream, required in spec");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Enum_value_added_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "          - eu\n          - us\n          type: string\n      - in: query", "          - eu\n          - us\n          - asia\n          type: string\n      - in: query");

        AssertDrift(CheckStore(format, page), "DRIFT     GET /receipts  query parameter \"region\" enum value \"asia\": added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Enum_value_removed_upstream_in_a_shared_schema(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "      enum:\n      - paper\n      - digital\n", "      enum:\n      - paper\n");

        AssertDrift(
            CheckStore(format, page),
            "DRIFT     GET /receipts  response 200 application/json field \"items[].kind\" enum value \"digital\": removed upstream (spec only)",
            "DRIFT     POST /receipts  request multipart part \"kind\" enum value \"digital\": removed upstream (spec only)",
            "DRIFT     POST /receipts  response 201 application/json field \"kind\" enum value \"digital\": removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Media_type_added_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "          multipart/form-data:\n            encoding:", "          application/x-www-form-urlencoded:\n            schema:\n              $ref: '#/components/schemas/ReceiptsUploadBody'\n          multipart/form-data:\n            encoding:");

        AssertDrift(CheckStore(format, page), "DRIFT     POST /receipts  request media type \"application/x-www-form-urlencoded\": added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Media_type_removed_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "          multipart/form-data:\n            encoding:", "          application/x-www-form-urlencoded:\n            encoding:");

        AssertDrift(
            CheckStore(format, page),
            "DRIFT     POST /receipts  request media type \"application/x-www-form-urlencoded\": added upstream (not in spec)",
            "DRIFT     POST /receipts  request media type \"multipart/form-data\": removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Multipart_part_renamed_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "            encoding:\n              scan:", "            encoding:\n              image:");
        page = Edit(page, "      properties:\n        scan:\n", "      properties:\n        image:\n");
        page = Edit(page, "      required:\n      - scan\n", "      required:\n      - image\n");

        AssertDrift(
            CheckStore(format, page),
            "DRIFT     POST /receipts  request multipart part \"image\": added upstream (not in spec)",
            "DRIFT     POST /receipts  request multipart part \"scan\": removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Multipart_part_optional_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "      required:\n      - scan\n      - kind\n", "      required:\n      - scan\n");

        AssertDrift(CheckStore(format, page), "DRIFT     POST /receipts  request multipart part \"kind\": optional upstream, required in spec");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Response_status_added_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "        '204':\n          description: Deleted\n", "        '204':\n          description: Deleted\n        '409':\n          description: Locked\n");

        AssertDrift(CheckStore(format, page), "DRIFT     DELETE /receipts/{id}  response 409: added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Response_status_removed_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "        '500':\n          description: Unexpected failure\n", string.Empty);

        AssertDrift(CheckStore(format, page), "DRIFT     DELETE /receipts/{id}  response 500: removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Error_field_added_upstream_through_allOf_and_anyOf(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "        captcha_url:\n          type: string\n", "        captcha_url:\n          type: string\n        retry_after:\n          type: integer\n");

        AssertDrift(
            CheckStore(format, page),
            "DRIFT     GET /receipts  response 403 application/json field \"errors[].retry_after\": added upstream (not in spec)",
            "DRIFT     POST /receipts  response 403 application/json field \"errors[].retry_after\": added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Error_type_added_upstream_in_one_anyOf_variant(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "          enum:\n          - oauth\n", "          enum:\n          - oauth\n          - forbidden\n");

        AssertDrift(
            CheckStore(format, page),
            "DRIFT     GET /receipts  response 403 application/json field \"errors[].type\" enum value \"forbidden\": added upstream (not in spec)",
            "DRIFT     POST /receipts  response 403 application/json field \"errors[].type\" enum value \"forbidden\": added upstream (not in spec)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void A_field_is_required_through_anyOf_only_when_every_variant_requires_it(string format)
    {
        var captchaOnly = Edit(Page("store-openapi.yaml"), "        fallback_url:\n          type: string\n      required:\n      - type\n", "        fallback_url:\n          type: string\n      required:\n      - type\n      - value\n");
        var both = Edit(captchaOnly, "          - token_expired\n          type: string\n      required:\n      - type\n", "          - token_expired\n          type: string\n      required:\n      - type\n      - value\n");

        Assert.That(CheckStore(format, captchaOnly).ExitCode, Is.EqualTo(0));
        AssertDrift(
            CheckStore(format, both),
            "DRIFT     GET /receipts  response 403 application/json field \"errors[].value\": required upstream, optional in spec",
            "DRIFT     POST /receipts  response 403 application/json field \"errors[].value\": required upstream, optional in spec");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void Field_removed_upstream(string format)
    {
        var page = Edit(Page("store-openapi.yaml"), "        note:\n          type: string\n      required:\n      - id\n", "      required:\n      - id\n");

        AssertDrift(
            CheckStore(format, page),
            "DRIFT     GET /receipts  response 200 application/json field \"items[].note\": removed upstream (spec only)",
            "DRIFT     POST /receipts  response 201 application/json field \"note\": removed upstream (spec only)");
    }

    [TestCase(Yaml)]
    [TestCase(Json)]
    public void A_declared_difference_does_not_fail_the_run(string format)
    {
        EditSpec("store.yaml", "        - name: page\n          in: query\n", "        - name: page\n          in: query\n          required: true\n          x-upstream-deviation: \"We always page.\"\n");

        var result = CheckStore(format, Page("store-openapi.yaml"));

        Assert.That(result.Declared, Is.EqualTo(result.Differences));
        Assert.That(result.Declared.Single(), Is.EqualTo("DECLARED  GET /receipts  query parameter \"page\": optional upstream, required in spec  (x-upstream-deviation: We always page.)"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Malformed_yaml_document_exits_2()
    {
        var page = Edit(Page("store-openapi.yaml"), "      operationId: list-receipts\n", "      operationId: [list-receipts\n");

        var result = Check("store-openapi.yaml", page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/store-openapi.yaml: the OpenAPI document cannot be read as OpenAPI"));
    }

    [Test]
    public void Malformed_json_document_exits_2()
    {
        var json = ToJson(Page("store-openapi.yaml"));
        var page = json[..json.LastIndexOf('}')];

        var result = Check("store-openapi.json", page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/store-openapi.json: malformed JSON in the OpenAPI document:"));
    }

    [TestCase("store-openapi.yaml", "title: not an API\nitems:\n  - one\n")]
    [TestCase("store-openapi.json", "{\"title\": \"not an API\"}")]
    public void A_yaml_or_json_upstream_file_that_is_no_OpenAPI_document_exits_2(string name, string content)
    {
        var result = Check(name, content);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Is.EqualTo($"error: pages/{name}: not an OpenAPI document: a *.yaml, *.yml or *.json upstream file must hold an OpenAPI document (a top-level \"openapi\" or \"swagger\" key and \"paths\"){Environment.NewLine}"));
    }

    [Test]
    public void A_folder_includes_yaml_and_json_documents()
    {
        WritePage("store-openapi.yaml", Page("store-openapi.yaml"));
        WritePage("store-openapi.json", ToJson(Page("store-openapi.yaml")));
        WritePage("notes.txt.bak", "not a page");

        var result = Run("--specs-dir", "specs", "pages");

        AssertLines(
            result,
            "PAGE      pages/store-openapi.json: OpenAPI 3.0.3 document (JSON), 3 endpoints -> store.yaml",
            "PAGE      pages/store-openapi.yaml: OpenAPI 3.0.3 document (YAML), 3 endpoints -> store.yaml",
            "SPEC      store.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_document_named_in_no_spec_is_recognized_by_its_server_and_paths()
    {
        var result = Check("receipts-v3.yaml", Page("store-openapi.yaml"));

        Assert.That(result.Lines[0], Is.EqualTo("PAGE      pages/receipts-v3.yaml: OpenAPI 3.0.3 document (YAML), 3 endpoints -> store.yaml"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }
}
