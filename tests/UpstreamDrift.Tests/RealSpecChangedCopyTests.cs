using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// A copy of the real upstream documents (../shared/upstream-docs beside the repository), changed here
/// the way a provider changes its API, against the repository's real specs/: every change must come out
/// as exactly its DRIFT lines, with exit 1, and nothing the change touches may be swallowed by an
/// existing declaration (the DECLARED lines stay those of the unchanged copy). Ignored where the
/// snapshots are not present.
/// </summary>
public sealed class RealSpecChangedCopyTests : DriftTestBase
{
    private const string HhOpenApi = "hh-artifacts-openapi.yaml";
    private const string HhErrors = "hh-errors.md";
    private const string HrFlowPage = "hrflow-profile-indexing-attachments.md";

    private static readonly string[] EveryHhOperation =
    [
        "GET /artifacts/photo", "GET /artifacts/photo/conditions", "GET /artifacts/portfolio", "GET /artifacts/portfolio/conditions",
        "PUT /artifacts/{id}", "DELETE /artifacts/{id}", "POST /artifacts",
    ];

    private string repository = string.Empty;

    private string docsCopy = string.Empty;

    /// <summary>
    /// One change of one upstream document, and the DRIFT lines it must produce against our specs. A change that
    /// removes an element our spec has also ends the declared differences inside that element (<paramref name="Gone"/>:
    /// the scope those lines start with); every other declared line must stay.
    /// </summary>
    public sealed record Change(string Name, string Document, Func<string, string> Apply, string[] Drift, string? Gone = null)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Change> Changes()
    {
        yield return new Change(
            "hh.ru OpenAPI: a new host enum value",
            HhOpenApi,
            NewHostValue,
            [.. EveryHhOperation.Select(e => $"DRIFT     {e}  query parameter \"host\" enum value \"hh.example\": added upstream (not in spec)")]);
        yield return new Change(
            "hh.ru OpenAPI: a new required query parameter on the upload",
            HhOpenApi,
            NewRequiredUploadParameter,
            ["DRIFT     POST /artifacts  query parameter \"resume_id\": added upstream (not in spec)"]);
        yield return new Change(
            "hh.ru OpenAPI: a new required header on the listing of photos",
            HhOpenApi,
            NewRequiredPhotoListHeader,
            ["DRIFT     GET /artifacts/photo  header parameter \"X-Request-Sign\": added upstream (not in spec)"]);
        yield return new Change(
            "hh.ru OpenAPI: the upload's multipart part file renamed image",
            HhOpenApi,
            RenamedFilePart,
            [
                "DRIFT     POST /artifacts  request multipart part \"file\": removed upstream (spec only)",
                "DRIFT     POST /artifacts  request multipart part \"image\": added upstream (not in spec)",
            ]);
        yield return new Change(
            "hh.ru OpenAPI: DELETE's 404 removed",
            HhOpenApi,
            text => WithoutStatus(text, "    delete:\n      operationId: delete-artifact", "    put:\n", "404", "      summary: Удаление артефакта\n"),
            ["DRIFT     DELETE /artifacts/{id}  response 404: removed upstream (spec only)"],
            Gone: "DECLARED  DELETE /artifacts/{id}  response 404 ");
        yield return new Change(
            "hh.ru OpenAPI: PUT's 403 removed",
            HhOpenApi,
            text => WithoutStatus(text, "    put:\n", "  /artifacts:\n", "403", "        '404':\n"),
            ["DRIFT     PUT /artifacts/{id}  response 403: removed upstream (spec only)"],
            Gone: "DECLARED  PUT /artifacts/{id}  response 403 ");
        yield return new Change(
            "hh.ru errors: a new value in the oauth table",
            HhErrors,
            text => Edit(text, "403 | oauth | user_auth_expected |", "403 | oauth | token_compromised | токен скомпрометирован\n403 | oauth | user_auth_expected |"),
            ["DRIFT     (errors)  error type \"oauth\" value \"token_compromised\": added upstream (not in spec)"]);
        yield return new Change(
            "hh.ru errors: a new value of a known type and a new type in the user-agent table",
            HhErrors,
            text => Edit(text, "400 | bad_user_agent | blacklisted | значение User-Agent в чёрном списке\n", "400 | bad_user_agent | blacklisted | значение User-Agent в чёрном списке\n400 | bad_user_agent | malformed | x\n400 | brand_new_type | x | x\n"),
            [
                "DRIFT     (errors)  error type \"bad_user_agent\" value \"malformed\": added upstream (not in spec)",
                "DRIFT     (errors)  error type \"brand_new_type\": added upstream (not in spec)",
            ]);
        yield return new Change(
            "hh.ru errors: a new field in the captcha example",
            HhErrors,
            text => Edit(text, "    \"captcha_url\": \"https://hh.ru/account/captcha?state=...\"\n", "    \"captcha_url\": \"https://hh.ru/account/captcha?state=...\",\n    \"captcha_ttl\": 300\n"),
            ["DRIFT     (errors)  error field \"captcha_ttl\": added upstream (not in spec)"]);
        yield return new Change(
            "HrFlow: a new query parameter",
            HrFlowPage,
            text => Edit(text, "{% swagger-parameter in=\"query\" name=\"email\" type=\"string\" %}", "{% swagger-parameter in=\"query\" name=\"board_key\" type=\"string\" required=\"true\" %}\nThe board the profile is in\n{% endswagger-parameter %}\n\n{% swagger-parameter in=\"query\" name=\"email\" type=\"string\" %}"),
            ["DRIFT     GET /profile/indexing/attachments  query parameter \"board_key\": added upstream (not in spec)"]);
    }

    [SetUp]
    public void CopyTheRealDocuments()
    {
        var found = new DirectoryInfo(AppContext.BaseDirectory);
        while (found is not null && !File.Exists(Path.Combine(found.FullName, "Generated.sln")))
        {
            found = found.Parent;
        }

        var docs = found is null ? null : Path.GetFullPath(Path.Combine(found.FullName, "..", "shared", "upstream-docs"));
        if (docs is null || !Directory.Exists(docs))
        {
            Assert.Ignore("../shared/upstream-docs is not present");
            return;
        }

        repository = found!.FullName;
        docsCopy = Path.Combine(Workspace, "upstream-docs");
        Directory.CreateDirectory(docsCopy);
        foreach (var file in Directory.EnumerateFiles(docs))
        {
            File.Copy(file, Path.Combine(docsCopy, Path.GetFileName(file)));
        }
    }

    private void ChangeCopy(string document, Func<string, string> apply)
    {
        var path = Path.Combine(docsCopy, document);
        var original = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var changed = apply(original);
        Assert.That(changed, Is.Not.EqualTo(original), $"the change of {document}");
        File.WriteAllText(path, changed);
    }

    // The real specs/ of the repository (found from the repository folder), the copied folder as the pages.
    private RunResult RunAgainstRealSpecs() => RunIn(repository, docsCopy);

    [Test]
    public void The_unchanged_copy_has_no_undeclared_drift()
    {
        var result = RunAgainstRealSpecs();

        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.Empty);
        Assert.That(result.Declared, Is.Not.Empty);
        Assert.That(result.Summary, Does.EndWith(" drift, " + result.Declared.Count + " declared").And.Contain(": 0 drift,"));
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [TestCaseSource(nameof(Changes))]
    public void Each_change_is_caught_as_exactly_its_drift(Change change)
    {
        var unchanged = RunAgainstRealSpecs();
        ChangeCopy(change.Document, change.Apply);

        var result = RunAgainstRealSpecs();

        Assert.That(result.Error, Is.Empty);
        var stillDeclared = StillDeclared(unchanged.Declared, change);
        Assert.That(result.Drift, Is.EquivalentTo(change.Drift));
        Assert.That(result.Declared, Is.EqualTo(stillDeclared), "no existing declaration covers the change");
        Assert.That(result.Summary, Does.StartWith($"{stillDeclared.Length + change.Drift.Length} differences: {change.Drift.Length} drift, "));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void All_changes_together_are_each_caught()
    {
        var unchanged = RunAgainstRealSpecs();
        foreach (var change in Changes())
        {
            ChangeCopy(change.Document, change.Apply);
        }

        var result = RunAgainstRealSpecs();

        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.EquivalentTo(Changes().SelectMany(c => c.Drift)));
        Assert.That(result.Declared, Is.EqualTo(Changes().Aggregate(unchanged.Declared.ToArray(), StillDeclared)));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    private static string[] StillDeclared(IReadOnlyList<string> declared, Change change)
        => [.. declared.Where(line => change.Gone is null || !line.StartsWith(change.Gone, StringComparison.Ordinal))];

    private static string NewHostValue(string text) =>

        // The parameter is written inline on each of the seven operations.
        Edit(text, "          - headhunter.kg\n", "          - headhunter.kg\n          - hh.example\n", count: 7);

    private static string NewRequiredUploadParameter(string text) =>
        Edit(text, "      operationId: load-artifact\n      parameters:\n", """
                  operationId: load-artifact
                  parameters:
                  - in: query
                    name: resume_id
                    required: true
                    schema:
                      type: string

            """);

    private static string NewRequiredPhotoListHeader(string text) =>
        Edit(text, "      operationId: get-artifact-photos\n      parameters:\n", """
                  operationId: get-artifact-photos
                  parameters:
                  - in: header
                    name: X-Request-Sign
                    required: true
                    schema:
                      type: string

            """);

    private static string RenamedFilePart(string text)
    {
        // The property, the body's required list and the part's encoding.
        text = Edit(text, "        file:\n          description: Файл изображения\n", "        image:\n          description: Файл изображения\n");
        text = Edit(text, "      required:\n      - file\n      - type\n", "      required:\n      - image\n      - type\n");
        return Edit(text, "            encoding:\n              file:\n", "            encoding:\n              image:\n");
    }

    /// <summary>Cuts one status from the responses of the operation that starts at <paramref name="operation"/>.</summary>
    private static string WithoutStatus(string text, string operation, string nextOperation, string status, string after)
    {
        var start = text.IndexOf(operation, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), operation);
        var end = text.IndexOf(nextOperation, start + operation.Length, StringComparison.Ordinal);
        Assert.That(end, Is.GreaterThan(start), nextOperation);
        return text[..start] + Cut(text[start..end], $"        '{status}':\n", after) + text[end..];
    }
}
