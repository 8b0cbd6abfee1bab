using System;
using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// Reference pages that document no endpoint: an errors page (pages/store-errors.md, in the form of
/// hh.ru's errors.md) compared for what it documents in the sections the spec lists, and an object page
/// (pages/talent-file-object.md, in the form of HrFlow's attachment object) compared with the named
/// component schema in both directions.
/// </summary>
public sealed class ReferencePageTests : DriftTestBase
{
    private const string StoreErrorsPage = "PAGE      pages/store-errors.md: errors reference page, 4 sections, 9 documented errors -> store.yaml, reference for errors";

    private static void AssertDrift(RunResult result, params string[] expected)
    {
        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.EqualTo(expected));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    // ----- errors -----

    [Test]
    public void Errors_page_documents_nothing_the_spec_lacks()
    {
        AssertLines(
            Check("store-errors.md", Page("store-errors.md")),
            StoreErrorsPage,
            "SPEC      store.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
    }

    [Test]
    public void Errors_page_with_the_document_it_belongs_to()
    {
        var result = Run("--specs-dir", "specs", WritePage("store-errors.md", Page("store-errors.md")), WritePage("store-openapi.yaml", Page("store-openapi.yaml")));

        AssertLines(
            result,
            StoreErrorsPage,
            "PAGE      pages/store-openapi.yaml: OpenAPI 3.0.3 document (YAML), 3 endpoints -> store.yaml",
            "SPEC      store.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Error_type_and_status_added_upstream_in_a_table()
    {
        var page = Edit(Page("store-errors.md"), "403 | oauth | token_expired | the access token expired\n", "403 | oauth | token_expired | the access token expired\n429 | throttled | too_many | slow down\n");

        AssertDrift(
            Check("store-errors.md", page),
            "DRIFT     (errors)  error status 429: added upstream (not in spec)",
            "DRIFT     (errors)  error type \"throttled\": added upstream (not in spec)");
    }

    [Test]
    public void Error_value_added_upstream_for_a_known_type()
    {
        var page = Edit(Page("store-errors.md"), "403 | oauth | token_expired | the access token expired\n", "403 | oauth | token_expired | the access token expired\n403 | oauth | token_revoked | the user revoked the token\n");

        AssertDrift(Check("store-errors.md", page), "DRIFT     (errors)  error type \"oauth\" value \"token_revoked\": added upstream (not in spec)");
    }

    [Test]
    public void Error_value_must_belong_to_an_object_whose_type_it_is()
    {
        // "kind" is a value of bad_argument errors, not of oauth errors.
        var page = Edit(Page("store-errors.md"), "403 | oauth | token_expired |", "403 | oauth | kind |");

        AssertDrift(Check("store-errors.md", page), "DRIFT     (errors)  error type \"oauth\" value \"kind\": added upstream (not in spec)");
    }

    [Test]
    public void Error_in_a_json_example_with_the_status_of_the_sentence_before_it()
    {
        var page = Edit(Page("store-errors.md"), "`400 Bad Request`,", "`422 Unprocessable Entity`,");
        page = Edit(page, "    \"type\": \"bad_argument\",\n    \"value\": \"kind\"", "    \"type\": \"bad_argument\",\n    \"value\": \"region\"");

        AssertDrift(
            Check("store-errors.md", page),
            "DRIFT     (errors)  error status 422: added upstream (not in spec)",
            "DRIFT     (errors)  error type \"bad_argument\" value \"region\": added upstream (not in spec)");
    }

    [Test]
    public void Error_status_and_type_added_upstream_in_prose()
    {
        var page = Edit(Page("store-errors.md"), "In an unexpected situation the API answers 500.", "In an unexpected situation the API answers 500; behind a gateway it may answer 502.\n\nA client that sends too much gets `429 Too Many Requests` and `type` holds `throttled`.");

        AssertDrift(
            Check("store-errors.md", page),
            "DRIFT     (errors)  error status 429: added upstream (not in spec)",
            "DRIFT     (errors)  error status 502: added upstream (not in spec)",
            "DRIFT     (errors)  error type \"throttled\": added upstream (not in spec)");
    }

    [Test]
    public void Error_field_added_upstream_in_an_example_and_in_a_field_table()
    {
        var page = Edit(Page("store-errors.md"), "    \"captcha_url\": \"https://store.example.test/captcha?state=...\"\n", "    \"captcha_url\": \"https://store.example.test/captcha?state=...\",\n    \"retry_after\": 30\n");
        page = Edit(page, "captcha_url | string or null | the page where the captcha is solved\n", "captcha_url | string or null | the page where the captcha is solved\nbackurl | string | where the captcha page returns to\n");

        AssertDrift(
            Check("store-errors.md", page),
            "DRIFT     (errors)  error field \"retry_after\": added upstream (not in spec)",
            "DRIFT     (errors)  error field \"backurl\": added upstream (not in spec)");
    }

    [Test]
    public void Errors_removed_from_the_spec_are_reported_as_added_upstream()
    {
        EditSpec("store.yaml", "          enum: [bad_authorization, token_expired]\n", "          enum: [bad_authorization]\n");
        EditSpec("store.yaml", "        fallback_url:\n          type: string\n          nullable: true\n", string.Empty);
        EditSpec("store.yaml", "        '500':\n          description: Unexpected failure.\n", string.Empty);

        AssertDrift(
            Check("store-errors.md", Page("store-errors.md")),
            "DRIFT     (errors)  error status 500: added upstream (not in spec)",
            "DRIFT     (errors)  error type \"oauth\" value \"token_expired\": added upstream (not in spec)",
            "DRIFT     (errors)  error field \"fallback_url\": added upstream (not in spec)");
    }

    [Test]
    public void Error_status_declared_as_a_range_counts()
    {
        EditSpec("store.yaml", "        '500':\n          description: Unexpected failure.\n", "        5XX:\n          description: Unexpected failure.\n");

        Assert.That(Check("store-errors.md", Page("store-errors.md")).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Values_only_the_spec_has_are_not_held_against_the_non_exhaustive_page()
    {
        EditSpec("store.yaml", "          enum: [bad_authorization, token_expired]\n", "          enum: [bad_authorization, token_expired, token_revoked, application_deleted]\n");
        EditSpec("store.yaml", "          enum: [oauth]\n", "          enum: [oauth, forbidden]\n");

        var result = Check("store-errors.md", Page("store-errors.md"));

        Assert.That(result.Differences, Is.Empty);
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    // A page documenting, on top of the fixture: a new type, a new value of a known type, a new field in
    // an example and a new status. Each is one kind of what an errors reference exists to catch.
    private static string ErrorsPageWithFourAdditions()
    {
        var page = Edit(Page("store-errors.md"), "403 | oauth | token_expired | the access token expired\n", "403 | oauth | token_expired | the access token expired\n403 | oauth | token_revoked | the user revoked the token\n429 | throttled | too_many | slow down\n");
        return Edit(page, "    \"captcha_url\": \"https://store.example.test/captcha?state=...\"\n", "    \"captcha_url\": \"https://store.example.test/captcha?state=...\",\n    \"retry_after\": 30\n");
    }

    private static readonly string[] FourAdditions =
    [
        "DRIFT     (errors)  error status 429: added upstream (not in spec)",
        "DRIFT     (errors)  error type \"oauth\" value \"token_revoked\": added upstream (not in spec)",
        "DRIFT     (errors)  error type \"throttled\": added upstream (not in spec)",
        "DRIFT     (errors)  error field \"retry_after\": added upstream (not in spec)",
    ];

    private void DeclareDeviationsOnEveryErrorSchema()
    {
        EditSpec("store.yaml", "    OauthError:\n      type: object\n", "    OauthError:\n      type: object\n      x-upstream-deviation: \"Expired tokens are refreshed before they are sent.\"\n");
        EditSpec("store.yaml", "    CaptchaError:\n      type: object\n", "    CaptchaError:\n      type: object\n      x-upstream-deviation: \"The captcha is solved in a browser.\"\n");
        EditSpec("store.yaml", "          type: string\n          enum: [bad_argument]\n", "          type: string\n          x-upstream-deviation: \"Only bad_argument is modelled.\"\n          enum: [bad_argument]\n");
        EditSpec("store.yaml", "  x-upstream-documents:\n", "  x-upstream-deviation: \"The spec covers receipts only.\"\n  x-upstream-documents:\n");
    }

    private void DeclareOnTheErrorsEntry(params (string Key, string Reason)[] deviations)
    {
        var lines = string.Concat(deviations.Select(d => $"        '{d.Key}': \"{d.Reason}\"\n"));
        EditSpec("store.yaml", "      sections: [request-errors, system-errors, authorization, captcha]\n", "      sections: [request-errors, system-errors, authorization, captcha]\n      deviations:\n" + lines);
    }

    [Test]
    public void Errors_added_upstream_are_drift_although_every_error_schema_and_info_carry_deviations()
    {
        DeclareDeviationsOnEveryErrorSchema();

        var result = Check("store-errors.md", ErrorsPageWithFourAdditions());

        AssertDrift(result, FourAdditions);
        Assert.That(result.Declared, Is.Empty);
    }

    [Test]
    public void A_keyed_deviation_on_the_errors_entry_declares_exactly_its_difference()
    {
        DeclareDeviationsOnEveryErrorSchema();
        DeclareOnTheErrorsEntry(("error type \"oauth\" value \"token_revoked\"", "A revoked token is handled like an expired one."));

        var result = Check("store-errors.md", ErrorsPageWithFourAdditions());

        AssertDrift(result, [.. FourAdditions.Where(l => !l.Contains("token_revoked", StringComparison.Ordinal))]);
        Assert.That(result.Declared, Has.Count.EqualTo(1));
        Assert.That(result.Declared[0], Is.EqualTo("DECLARED  (errors)  error type \"oauth\" value \"token_revoked\": added upstream (not in spec)  (store-errors.md deviations: A revoked token is handled like an expired one.)"));
        Assert.That(result.Summary, Is.EqualTo("4 differences: 3 drift, 1 declared"));
    }

    [Test]
    public void Keyed_deviations_declare_each_kind_of_errors_item()
    {
        DeclareOnTheErrorsEntry(
            ("error status 429", "Throttling is retried by the client."),
            ("error type \"throttled\"", "Throttling is retried by the client."),
            ("error type \"oauth\" value \"token_revoked\"", "A revoked token is handled like an expired one."),
            ("error field \"retry_after\"", "The client reads Retry-After instead."));

        var result = Check("store-errors.md", ErrorsPageWithFourAdditions());

        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.Empty);
        Assert.That(result.Declared, Has.Count.EqualTo(4));
        Assert.That(result.Summary, Is.EqualTo("4 differences: 0 drift, 4 declared"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_deviation_key_must_be_the_item_text_exactly()
    {
        // Another value of the same type, and the item without its quotes: neither is the difference.
        DeclareOnTheErrorsEntry(("error type \"oauth\" value \"token_expired\"", "Refreshed before sending."), ("error type oauth value token_revoked", "Handled like an expired token."));
        var page = Edit(Page("store-errors.md"), "403 | oauth | token_expired | the access token expired\n", "403 | oauth | token_expired | the access token expired\n403 | oauth | token_revoked | the user revoked the token\n");

        AssertDrift(
            Check("store-errors.md", page),
            "DRIFT     (errors)  error type \"oauth\" value \"token_revoked\": added upstream (not in spec)",
            "DRIFT     (errors)  deviations key 'error type \"oauth\" value \"token_expired\"': declared in x-upstream-documents deviations, but no such difference (stale: remove the key)",
            "DRIFT     (errors)  deviations key 'error type oauth value token_revoked': declared in x-upstream-documents deviations, but no such difference (stale: remove the key)");
    }

    [Test]
    public void A_deviation_key_goes_stale_when_the_spec_gains_what_it_declared()
    {
        DeclareOnTheErrorsEntry(("error type \"oauth\" value \"token_revoked\"", "A revoked token is handled like an expired one."));
        var page = Edit(Page("store-errors.md"), "403 | oauth | token_expired | the access token expired\n", "403 | oauth | token_expired | the access token expired\n403 | oauth | token_revoked | the user revoked the token\n");
        var declared = Check("store-errors.md", page);
        EditSpec("store.yaml", "          enum: [bad_authorization, token_expired]\n", "          enum: [bad_authorization, token_expired, token_revoked]\n");

        var stale = Check("store-errors.md", page);

        Assert.That(declared.ExitCode, Is.EqualTo(0));
        AssertDrift(stale, "DRIFT     (errors)  deviations key 'error type \"oauth\" value \"token_revoked\"': declared in x-upstream-documents deviations, but no such difference (stale: remove the key)");
        Assert.That(stale.Summary, Is.EqualTo("1 difference: 1 drift, 0 declared"));
    }

    [Test]
    public void A_deviation_key_goes_stale_when_the_page_drops_what_it_declared()
    {
        DeclareOnTheErrorsEntry(("error status 409", "Orders are not locked by this client."));
        EditSpec("store.yaml", "sections: [request-errors, system-errors, authorization, captcha]", "sections: [request-errors, system-errors, authorization, orders, captcha]");
        var page = Page("store-errors.md");
        var declared = Check("store-errors.md", page);

        var stale = Check("store-errors.md", Edit(page, "409 | orders | locked |", "423 | orders | locked |"));

        Assert.That(declared.Drift, Has.Count.EqualTo(1));
        Assert.That(declared.Drift[0], Is.EqualTo("DRIFT     (errors)  error type \"orders\": added upstream (not in spec)"));
        Assert.That(declared.Declared, Has.Count.EqualTo(1));
        AssertDrift(
            stale,
            "DRIFT     (errors)  error status 423: added upstream (not in spec)",
            "DRIFT     (errors)  error type \"orders\": added upstream (not in spec)",
            "DRIFT     (errors)  deviations key 'error status 409': declared in x-upstream-documents deviations, but no such difference (stale: remove the key)");
    }

    [TestCase("store-openapi.yaml\n      role: current\n", "store-openapi.yaml\n      role: current\n      deviations:\n        'error status 429': \"x\"\n", "error: spec store.yaml: info.x-upstream-documents[0]: deviations belong to a reference entry only")]
    [TestCase("captcha]\n", "captcha]\n      deviations:\n        'error status 429': \"\"\n", "error: spec store.yaml: info.x-upstream-documents[3]: deviations \"error status 429\" must have a reason (a non-empty string)")]
    [TestCase("captcha]\n", "captcha]\n      deviations: [\"error status 429\"]\n", "error: spec store.yaml: info.x-upstream-documents[3]: deviations must be a non-empty map of difference")]
    [TestCase("captcha]\n", "captcha]\n      deviations:\n        ' error status 429': \"x\"\n", "error: spec store.yaml: info.x-upstream-documents[3]: deviations key \" error status 429\" must be a difference's item text")]
    public void Malformed_deviations_make_the_spec_unreadable(string find, string replacement, string error)
    {
        EditSpec("store.yaml", find, replacement);

        var result = Check("store-errors.md", Page("store-errors.md"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith(error));
    }

    [Test]
    public void Sections_the_spec_does_not_list_are_not_compared_until_listed()
    {
        var unlisted = Check("store-errors.md", Page("store-errors.md"));
        EditSpec("store.yaml", "sections: [request-errors, system-errors, authorization, captcha]", "sections: [request-errors, system-errors, authorization, orders, captcha]");
        var listed = Check("store-errors.md", Page("store-errors.md"));

        Assert.That(unlisted.ExitCode, Is.EqualTo(0));
        AssertDrift(
            listed,
            "DRIFT     (errors)  error status 409: added upstream (not in spec)",
            "DRIFT     (errors)  error type \"orders\": added upstream (not in spec)");
    }

    [Test]
    public void A_listed_section_missing_from_the_page_exits_2()
    {
        var page = Edit(Page("store-errors.md"), "<a name=\"captcha\"></a>", "<a name=\"captcha-required\"></a>");

        var result = Check("store-errors.md", page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/store-errors.md: section \"captcha\" is not on the page (no <a name=\"captcha\"> anchor)"));
    }

    [Test]
    public void A_listed_section_that_documents_no_error_exits_2()
    {
        var page = Cut(Page("store-errors.md"), "HTTP code | type | value | description\n----------|------|-------|------------\n403 | oauth", "<a name=\"orders\">");

        var result = Check("store-errors.md", page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/store-errors.md: section \"authorization\" documents no error"));
    }

    [Test]
    public void A_malformed_error_example_exits_2()
    {
        var page = Edit(Page("store-errors.md"), "    \"type\": \"not_found\"\n}", "    \"type\": \"not_found\"\n");

        var result = Check("store-errors.md", page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/store-errors.md: malformed JSON in the JSON example at line 18 (section \"request-errors\"):"));
    }

    [Test]
    public void An_errors_page_named_in_no_list_is_of_no_known_format()
    {
        var result = Check("errors.md", Page("store-errors.md"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/errors.md: unknown format"));
    }

    // ----- object -----

    [Test]
    public void Object_page_matches_its_schema()
    {
        AssertLines(
            Check("talent-file-object.md", Page("talent-file-object.md")),
            "PAGE      pages/talent-file-object.md: object reference page, 6 fields -> talent.yaml, reference for schema CandidateFile",
            "SPEC      talent.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
    }

    [Test]
    public void Attribute_added_upstream_in_the_table_with_markdown_escapes()
    {
        var page = Edit(Page("talent-file-object.md"), "| url        |", "| created\\_at | When the file was stored |\n| url        |");

        AssertDrift(Check("talent-file-object.md", page), "DRIFT     schema CandidateFile  field \"created_at\": added upstream (not in spec)");
    }

    [Test]
    public void Attribute_added_upstream_in_the_example_only()
    {
        var page = Edit(Page("talent-file-object.md"), "      'url': None\n", "      'url': None,\n      'checksum': 'abc'\n");

        AssertDrift(Check("talent-file-object.md", page), "DRIFT     schema CandidateFile  field \"checksum\": added upstream (not in spec)");
    }

    [Test]
    public void Attribute_removed_upstream()
    {
        var page = Edit(Page("talent-file-object.md"), "      'archived': False,\n", string.Empty);
        page = Cut(page, "| archived ", "| url ");

        AssertDrift(Check("talent-file-object.md", page), "DRIFT     schema CandidateFile  field \"archived\": removed upstream (spec only)");
    }

    [Test]
    public void Enum_value_stated_in_a_description_added_and_removed_upstream()
    {
        var page = Edit(Page("talent-file-object.md"), "(resume/cover/other)", "(resume/cover/portfolio)");

        AssertDrift(
            Check("talent-file-object.md", page),
            "DRIFT     schema CandidateFile  field \"kind\" enum value \"other\": removed upstream (spec only)",
            "DRIFT     schema CandidateFile  field \"kind\" enum value \"portfolio\": added upstream (not in spec)");
    }

    [Test]
    public void Enum_stated_upstream_for_a_free_string_in_the_spec()
    {
        EditSpec("talent.yaml", "          type: string\n          enum: [resume, cover, other]\n", "          type: string\n");

        AssertDrift(
            Check("talent-file-object.md", Page("talent-file-object.md")),
            "DRIFT     schema CandidateFile  field \"kind\" enum value \"cover\": added upstream (not in spec)",
            "DRIFT     schema CandidateFile  field \"kind\" enum value \"other\": added upstream (not in spec)",
            "DRIFT     schema CandidateFile  field \"kind\" enum value \"resume\": added upstream (not in spec)");
    }

    [Test]
    public void Field_only_in_the_spec_is_declared_on_its_property()
    {
        EditSpec("talent.yaml", "        url:\n          type: string\n          nullable: true\n", "        url:\n          type: string\n          nullable: true\n        board_key:\n          type: string\n          x-upstream-deviation: \"Added by the client so that a file knows its board.\"\n");

        var result = Check("talent-file-object.md", Page("talent-file-object.md"));

        Assert.That(result.Differences, Is.EqualTo(result.Declared));
        Assert.That(result.Declared[0], Is.EqualTo("DECLARED  schema CandidateFile  field \"board_key\": removed upstream (spec only)  (x-upstream-deviation: Added by the client so that a file knows its board.)"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Attribute_added_upstream_is_drift_although_the_object_schema_carries_a_deviation()
    {
        EditSpec("talent.yaml", "    CandidateFile:\n      type: object\n", "    CandidateFile:\n      type: object\n      x-upstream-deviation: \"Sizes are whole bytes.\"\n");
        var page = Edit(Page("talent-file-object.md"), "      'url': None\n", "      'url': None,\n      'checksum': 'abc'\n");

        AssertDrift(Check("talent-file-object.md", page), "DRIFT     schema CandidateFile  field \"checksum\": added upstream (not in spec)");
    }

    [Test]
    public void Attribute_added_upstream_is_declared_by_a_key_of_the_object_entry_and_the_key_goes_stale_with_it()
    {
        EditSpec("talent.yaml", "      schema: CandidateFile\n", "      schema: CandidateFile\n      deviations:\n        'field \"checksum\"': \"The client verifies files by size.\"\n");
        var page = Edit(Page("talent-file-object.md"), "      'url': None\n", "      'url': None,\n      'checksum': 'abc'\n");

        var declared = Check("talent-file-object.md", page);
        var stale = Check("talent-file-object.md", Page("talent-file-object.md"));

        Assert.That(declared.Differences, Has.Count.EqualTo(1));
        Assert.That(declared.Differences[0], Is.EqualTo("DECLARED  schema CandidateFile  field \"checksum\": added upstream (not in spec)  (talent-file-object.md deviations: The client verifies files by size.)"));
        Assert.That(declared.ExitCode, Is.EqualTo(0));
        AssertDrift(stale, "DRIFT     schema CandidateFile  deviations key 'field \"checksum\"': declared in x-upstream-documents deviations, but no such difference (stale: remove the key)");
    }

    [Test]
    public void Object_page_without_table_or_example_exits_2()
    {
        var result = Check("talent-file-object.md", "# Candidate file\n\nA file attached to a candidate.\n");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent-file-object.md: the object reference page has no attribute table (name | description) and no example object"));
    }

    [Test]
    public void Object_page_with_a_malformed_example_exits_2()
    {
        var page = Edit(Page("talent-file-object.md"), "'kind': 'resume',", "'kind': 'resume,");

        var result = Check("talent-file-object.md", page);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.StartWith("error: pages/talent-file-object.md: malformed JSON in the example at line 11: unterminated string starting at line 3 of the example"));
    }
}
