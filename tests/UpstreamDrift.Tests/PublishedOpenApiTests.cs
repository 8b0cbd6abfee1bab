using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace UpstreamDrift.Tests;

/// <summary>
/// hh.ru's published OpenAPI document (../shared/upstream-docs/hh-artifacts-openapi.yaml beside the
/// repository), changed here the way a provider changes its API, against a spec that matches the
/// original (the original document itself, which is valid OpenAPI): every change must be caught.
/// Ignored where the snapshot is not present.
/// </summary>
public sealed class PublishedOpenApiTests : DriftTestBase
{
    private const string DocumentName = "hh-artifacts-openapi.yaml";

    private static readonly string[] EveryOperation =
    [
        "GET /artifacts/photo", "GET /artifacts/photo/conditions", "GET /artifacts/portfolio", "GET /artifacts/portfolio/conditions",
        "PUT /artifacts/{id}", "DELETE /artifacts/{id}", "POST /artifacts",
    ];

    private static string Original()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Generated.sln")))
        {
            repository = repository.Parent;
        }

        var path = repository is null ? null : Path.Combine(repository.FullName, "..", "shared", "upstream-docs", DocumentName);
        if (path is null || !File.Exists(path))
        {
            Assert.Ignore($"../shared/upstream-docs/{DocumentName} is not present");
        }

        return File.ReadAllText(path!).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private void UseOriginalAsTheOnlySpec(string original)
    {
        foreach (var spec in Directory.EnumerateFiles(SpecsDirectory))
        {
            File.Delete(spec);
        }

        File.WriteAllText(Path.Combine(SpecsDirectory, "hh.yaml"), original);
    }

    [Test]
    public void The_original_document_has_no_difference_with_a_spec_that_matches_it()
    {
        var original = Original();
        UseOriginalAsTheOnlySpec(original);

        var result = Check(DocumentName, original);

        AssertLines(
            result,
            $"PAGE      pages/{DocumentName}: OpenAPI 3.0.3 document (YAML), 7 endpoints -> hh.yaml",
            "SPEC      hh.yaml: 0 differences",
            "0 differences: 0 drift, 0 declared");
        Assert.That(result.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void A_new_host_value_a_new_required_parameter_a_renamed_part_and_a_removed_status_are_each_caught()
    {
        var original = Original();
        UseOriginalAsTheOnlySpec(original);

        // 1. A new site in the host enum, on every operation (the parameter is written inline on each).
        var changed = Edit(original, "          - headhunter.kg\n", "          - headhunter.kg\n          - hh.example\n", count: 7);

        // 2. A new required query parameter on the upload.
        changed = Edit(changed, "      operationId: load-artifact\n      parameters:\n", """
                  operationId: load-artifact
                  parameters:
                  - in: query
                    name: resume_id
                    required: true
                    schema:
                      type: string

            """);

        // 3. The multipart part "file" renamed to "image" (property, required list and encoding).
        changed = Edit(changed, "        file:\n          description: Файл изображения\n", "        image:\n          description: Файл изображения\n");
        changed = Edit(changed, "      required:\n      - file\n      - type\n", "      required:\n      - image\n      - type\n");
        changed = Edit(changed, "            encoding:\n              file:\n", "            encoding:\n              image:\n");

        // 4. The 403 of DELETE /artifacts/{id} removed.
        var delete = changed.IndexOf("    delete:\n      operationId: delete-artifact", StringComparison.Ordinal);
        var put = changed.IndexOf("    put:\n", delete, StringComparison.Ordinal);
        var section = changed[delete..put];
        var withoutForbidden = Cut(section, "        '403':\n", "        '404':\n");
        changed = changed[..delete] + withoutForbidden + changed[put..];

        var result = Check(DocumentName, changed);

        var hostLines = EveryOperation.Select(endpoint => $"DRIFT     {endpoint}  query parameter \"host\" enum value \"hh.example\": added upstream (not in spec)");
        var expected = hostLines.Concat(
        [
            "DRIFT     POST /artifacts  query parameter \"resume_id\": added upstream (not in spec)",
            "DRIFT     POST /artifacts  request multipart part \"file\": removed upstream (spec only)",
            "DRIFT     POST /artifacts  request multipart part \"image\": added upstream (not in spec)",
            "DRIFT     DELETE /artifacts/{id}  response 403: removed upstream (spec only)",
        ]);
        Assert.That(result.Error, Is.Empty);
        Assert.That(result.Drift, Is.EquivalentTo(expected));
        Assert.That(result.Summary, Is.EqualTo("11 differences: 11 drift, 0 declared"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }
}
