using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using CandidateFiles.Tests.Infrastructure;
using NUnit.Framework;

namespace CandidateFiles.Tests.Generation;

/// <summary>
/// Our copies of NSwag's templates (Client.Class.liquid, Client.Method.Documentation.liquid) must stay NSwag's
/// template plus the documented edits, so an NSwag upgrade that changes a template cannot silently run with a
/// stale copy.
/// </summary>
[TestFixture]
public sealed class TemplateOverrideTests
{
    private const string TemplateResourcePrefix = "NSwag.CodeGeneration.CSharp.Templates.";

    /// <summary>The edits build/nswag/templates/Client.Class.liquid makes, as its leading comment lists them.</summary>
    private static readonly (string Upstream, string Ours)[] Edits =
    [
        (
            """                request_.Method = new System.Net.Http.HttpMethod("{{ operation.HttpMethodUpper | upcase }}");""",
            """                request_.Method = System.Net.Http.HttpMethod.Parse("{{ operation.HttpMethodUpper | upcase }}");"""),
        (
            """                request_.Headers.Accept.Add(System.Net.Http.Headers.MediaTypeWithQualityHeaderValue.Parse("{{ operation.Produces }}"));""",
            """                request_.Headers.TryAddWithoutValidation("Accept", "{{ operation.Produces }}");"""),
        (
            """
                                var headers_ = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.IEnumerable<string>>();
                                foreach (var item_ in response_.Headers)
                                    headers_[item_.Key] = item_.Value;
                                if (response_.Content != null && response_.Content.Headers != null)
                                {
                                    foreach (var item_ in response_.Content.Headers)
                                        headers_[item_.Key] = item_.Value;
                                }

            """,
            """
                                var headers_ = new CandidateFiles.ResponseHeaderDictionary(response_);

            """),
        (
            """                        content_.Add(content_{{ parameter.VariableName }}_, "{{ parameter.Name }}", item_.FileName ?? "{{ parameter.Name }}");""",
            """                        CandidateFiles.FormDataParts.AddFile(content_, content_{{ parameter.VariableName }}_, "{{ parameter.Name }}", item_.FileName ?? "{{ parameter.Name }}");"""),
        (
            """                    content_.Add(content_{{ parameter.VariableName }}_, "{{ parameter.Name }}", {{ parameter.VariableName }}.FileName ?? "{{ parameter.Name }}");""",
            """                    CandidateFiles.FormDataParts.AddFile(content_, content_{{ parameter.VariableName }}_, "{{ parameter.Name }}", {{ parameter.VariableName }}.FileName ?? "{{ parameter.Name }}");"""),
        (
            """                        content_.Add(new System.Net.Http.StringContent(ConvertToString(item_, System.Globalization.CultureInfo.InvariantCulture)), "{{ parameter.Name }}");""",
            """                        CandidateFiles.FormDataParts.AddField(content_, new System.Net.Http.StringContent(ConvertToString(item_, System.Globalization.CultureInfo.InvariantCulture)), "{{ parameter.Name }}");"""),
        (
            """                    content_.Add(new System.Net.Http.{% if UseSystemTextJson %}ByteArrayContent(json_{% else %}StringContent(json_, System.Text.Encoding.UTF8, "application/json"{% endif %}), "{{ parameter.Name }}");""",
            """                    CandidateFiles.FormDataParts.AddField(content_, new System.Net.Http.{% if UseSystemTextJson %}ByteArrayContent(json_{% else %}StringContent(json_, System.Text.Encoding.UTF8, "application/json"{% endif %}), "{{ parameter.Name }}");"""),
        (
            """                    content_.Add(new System.Net.Http.StringContent(ConvertToString({{ parameter.VariableName }}, System.Globalization.CultureInfo.InvariantCulture)), "{{ parameter.Name }}");""",
            """                    CandidateFiles.FormDataParts.AddField(content_, new System.Net.Http.StringContent(ConvertToString({{ parameter.VariableName }}, System.Globalization.CultureInfo.InvariantCulture)), "{{ parameter.Name }}");"""),
        (
            // Issue #12: a 2xx the spec does not list is read as the documented success.
            """
                                else
            {%     endfor -%}
            {%     if operation.HasDefaultResponse -%}
            """,
            """
                                else
            {%     endfor -%}
            {%     if operation.HasSuccessResponse -%}
                                if (status_ >= 200 && status_ < 300)
                                {
            {%         assign response = operation.SuccessResponse -%}
                                    {% template Client.Class.ProcessResponse %}
                                }
                                else
            {%     endif -%}
            {%     if operation.HasDefaultResponse -%}
            """),
        (
            // Issue #12: an operation with no declared success accepts any 2xx, not only 200 and 204.
            """                    if (status_ == 200 || status_ == 204)""",
            """                    if (status_ >= 200 && status_ < 300)"""),
        (
            // Issue #14: the server comes from the options; BaseUrl is not settable from outside.
            """
                    get { return _baseUrl; }
                    set
            """,
            """
                    get { return _baseUrl; }
                    private set
            """),
        (
            // Issue #14: NSwag's plumbing type is not public API (a protected type of a public class is).
            """    protected struct ObjectResponseResult<T>""",
            """    private struct ObjectResponseResult<T>"""),
        (
            // Issue #14: arguments are checked from the parameters, before the request exists.
            """
            {%     if InjectHttpClient -%}
                    var client_ = _httpClient;
            """,
            """
            {% template Client.Class.ArgumentGuards %}
            {%     if InjectHttpClient -%}
                    var client_ = _httpClient;
            """),
        (
            // Issue #14: only documented successes get a branch; every other status was already thrown as the provider's exception.
            """
            {%     for response in operation.Responses -%}
                                if (status_ == {{ response.StatusCode }}{% if response.CheckChunkedStatusCode %} || status_ == 206{% endif %})
                                {
                                    {% template Client.Class.ProcessResponse %}
                                }
                                else
            {%     endfor -%}
            {%     if operation.HasSuccessResponse -%}
            """,
            """
            {%     for response in operation.Responses -%}
            {%         if response.IsSuccess -%}
                                if (status_ == {{ response.StatusCode }}{% if response.CheckChunkedStatusCode %} || status_ == 206{% endif %})
                                {
                                    {% template Client.Class.ProcessResponse %}
                                }
                                else
            {%         endif -%}
            {%     endfor -%}
            {%     if operation.HasSuccessResponse -%}
            """),
        (
            // Issue #14: the request carries its operation's name from the start (PrepareRequestAsync reads it).
            """
                        using (var request_ = new System.Net.Http.HttpRequestMessage())
            {%     endif -%}
                        {
            """,
            """
                        using (var request_ = new System.Net.Http.HttpRequestMessage())
            {%     endif -%}
                        {
                            request_.Options.Set(CandidateFiles.ProviderHttpPipeline.OperationKey, "{{ operation.ActualOperationName }}");
            """),
    ];

    /// <summary>The edit build/nswag/templates/Client.Method.Documentation.liquid makes, as its leading comment says.</summary>
    private static readonly (string Upstream, string Ours)[] DocumentationEdits =
    [
        (
            """
            {% if operation.IsDeprecated -%}
            [System.Obsolete]
            {% endif -%}
            """,
            """
            {% if operation.IsDeprecated -%}
            {%   assign obsoleteMessage = operation.ExtensionData["x-obsolete-message"] -%}
            [System.Obsolete{% if obsoleteMessage %}({{ obsoleteMessage | literal }}){% endif %}]
            {% endif -%}
            """),
    ];

    [Test]
    public void The_Client_Class_override_is_the_template_of_the_NSwag_in_use_with_exactly_the_documented_edits()
        => AssertOverride("Client.Class.liquid", Edits);

    [Test]
    public void The_Client_Method_Documentation_override_is_the_template_of_the_NSwag_in_use_with_exactly_the_documented_edit()
        => AssertOverride("Client.Method.Documentation.liquid", DocumentationEdits);

    [Test]
    public void Every_obsolete_generated_member_says_why_and_what_replaces_it()
    {
        var bare = Directory.GetFiles(Path.Combine(RepoRoot.Path, "generated"), "*.g.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadAllLines(file).Where(line => line.Trim() == "[System.Obsolete]").Select(_ => file))
            .ToArray();
        var withMessage = Directory.GetFiles(Path.Combine(RepoRoot.Path, "generated"), "*.g.cs", SearchOption.AllDirectories)
            .Sum(file => File.ReadAllLines(file).Count(line => line.TrimStart().StartsWith("[System.Obsolete(\"", StringComparison.Ordinal)));

        Assert.That(bare, Is.Empty, "a deprecated operation without x-obsolete-message in its spec");
        Assert.That(withMessage, Is.GreaterThanOrEqualTo(2), "HrFlow's deprecated operation, on the interface and the class");
    }

    private static void AssertOverride(string template, (string Upstream, string Ours)[] edits)
    {
        var upstream = ReadUpstreamTemplate(TemplateResourcePrefix + template).ReplaceLineEndings("\n");
        var ours = File.ReadAllText(Path.Combine(RepoRoot.Path, "build", "nswag", "templates", template)).ReplaceLineEndings("\n");
        const string CommentEnd = "{% endcomment %}";
        Assert.That(ours, Does.StartWith("{% comment %}"), "the override starts with the comment that explains it");
        var body = ours[(ours.IndexOf(CommentEnd, StringComparison.Ordinal) + CommentEnd.Length)..];

        var expected = upstream;
        foreach (var (from, to) in edits)
        {
            var original = from.ReplaceLineEndings("\n");
            Assert.That(Occurrences(expected, original), Is.EqualTo(1), "NSwag's template changed where we edit it; re-extract it and re-apply the edits:\n" + original);
            expected = expected.Replace(original, to.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }

        Assert.That(body, Is.EqualTo(expected), "build/nswag/templates/" + template + " is no longer NSwag's template plus the documented edits: re-extract it from " + NSwagAssemblyPath() + " and re-apply them");
    }

    /// <summary>
    /// Enum.liquid (issue #12) renders string enums as extensible structs and everything else with NJsonSchema's
    /// own template: that fallback must stay NJsonSchema's, word for word, and the description header too.
    /// </summary>
    [Test]
    public void The_Enum_override_falls_back_to_the_template_of_the_NJsonSchema_in_use()
    {
        var njsonSchema = Path.Combine(Path.GetDirectoryName(NSwagAssemblyPath())!, "NJsonSchema.CodeGeneration.CSharp.dll");
        var upstream = ReadEmbeddedTemplate(njsonSchema, "NJsonSchema.CodeGeneration.CSharp.Templates.Enum.liquid").ReplaceLineEndings("\n").TrimEnd();
        var ours = File.ReadAllText(Path.Combine(RepoRoot.Path, "build", "nswag", "templates", "Enum.liquid")).ReplaceLineEndings("\n");
        const string Annotation = "[System.CodeDom.Compiler.GeneratedCode(\"NJsonSchema\", \"{{ ToolchainVersion }}\")]";
        var split = upstream.IndexOf(Annotation, StringComparison.Ordinal);
        Assert.That(split, Is.GreaterThan(0), "NJsonSchema's Enum.liquid changed shape; re-extract it from " + njsonSchema);

        var header = upstream[..split];
        var body = upstream[split..];
        Assert.That(ours, Does.Contain("{% endcomment %}" + header + "{%- if IsStringEnum and IsEnumAsBitFlags == false and UseSystemTextJson == false -%}"), "the description header is NJsonSchema's");
        Assert.That(ours, Does.Contain("{%- else -%}\n" + body + "\n{%- endif -%}"), "the non-string fallback is NJsonSchema's template, unchanged");
    }

    [Test]
    public void Every_generated_client_reads_response_headers_lazily()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot.Path, "generated"), "*.g.cs", SearchOption.AllDirectories))
        {
            var code = File.ReadAllText(file);
            Assert.That(code, Does.Contain("new CandidateFiles.ResponseHeaderDictionary(response_)"), file);
            Assert.That(code, Does.Not.Contain("foreach (var item_ in response_.Headers)"), file);
        }
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string NSwagAssemblyPath()
        => typeof(TemplateOverrideTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NSwagCodeGenerationAssembly").Value!;

    /// <summary>Reads the embedded template from the assembly's metadata, without loading the assembly.</summary>
    private static string ReadUpstreamTemplate(string templateResource) => ReadEmbeddedTemplate(NSwagAssemblyPath(), templateResource);

    private static string ReadEmbeddedTemplate(string path, string templateResource)
    {
        Assert.That(File.Exists(path), Is.True, "NSwag's code generator not found at " + path + " (restore the solution first)");
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (metadata.GetString(resource.Name) != templateResource)
            {
                continue;
            }

            var resources = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress).GetReader();
            resources.Offset = (int)resource.Offset;
            var length = resources.ReadInt32();
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(resources.ReadBytes(length)).TrimStart('\uFEFF');
        }

        throw new AssertionException(templateResource + " is not in " + path);
    }
}
