using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using CandidateFiles.Ehrweb;
using CandidateFiles.HeadHunter;
using CandidateFiles.HrFlow;
using CandidateFiles.HrMax;
using CandidateFiles.Tests.Infrastructure;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using NUnit.Framework;

namespace CandidateFiles.Tests.Adversarial;

/// <summary>
/// Issue #14, proven over the specs as they stand when the tests run: every constraint a spec states on an operation's
/// parameter or multipart field (minLength, maxLength, pattern, enum, minimum, maximum, and "no dot segment" for a path
/// parameter) is a guard in the generated method. Each is called with values that break it (empty, white space, one
/// under or over a bound, an undocumented enum value) and must throw an <see cref="ArgumentException"/> naming that
/// parameter with nothing reaching the loopback server, not even a token request; and a value just inside the bound
/// is not refused for that parameter.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SpecGuardTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'];

    private LoopbackServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    public static IEnumerable<TestCaseData> Violations() => Constrained().SelectMany(c => c.Breaking.Select(value =>
        new TestCaseData(c.Spec, c.OperationId, c.Parameter, value.Value)
            .SetName($"{c.Spec} {c.OperationId}: {c.Parameter} {value.Kind} is refused before anything is sent")));

    public static IEnumerable<TestCaseData> Boundaries() => Constrained().Where(c => c.Inside is not null).Select(c =>
        new TestCaseData(c.Spec, c.OperationId, c.Parameter, c.Inside!.Value.Value)
            .SetName($"{c.Spec} {c.OperationId}: {c.Parameter} {c.Inside!.Value.Kind} is not refused for it"));

    [Test]
    public void Every_spec_has_constrained_parameters_and_each_kind_of_constraint_is_exercised()
    {
        var specs = Directory.GetFiles(Path.Combine(RepoRoot.Path, "specs"), "*.yaml").Select(Path.GetFileName).ToArray();
        var constrained = Constrained().ToList();

        Assert.That(Providers.Select(p => p.Spec), Is.EquivalentTo(specs), "every spec has a provider entry here");
        Assert.That(constrained.Select(c => c.Spec).Distinct(), Is.EquivalentTo(specs), "every spec constrains some parameter");
        var kinds = constrained.SelectMany(c => c.Breaking.Select(b => b.Kind.Split(' ')[0])).Distinct().ToList();
        Assert.That(kinds, Is.SupersetOf(new[] { "empty", "whitespace", "undocumented", "below", "above", "longer", "dot" }));
    }

    [TestCaseSource(nameof(Violations))]
    public async Task A_value_breaking_the_spec_is_refused_naming_the_parameter_before_anything_is_sent(string spec, string operationId, string parameter, object? value)
    {
        var provider = Providers.Single(p => p.Spec == spec);
        using var client = provider.Create(_server.BaseAddress);

        var error = await CallAsync(client, operationId, parameter, value);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<ArgumentException>(), error?.ToString() ?? "the call went through");
            Assert.That((error as ArgumentException)?.ParamName, Is.EqualTo(parameter));
            Assert.That(_server.Requests, Is.Empty, "nothing sent, not even a token request");
        });
    }

    [TestCaseSource(nameof(Boundaries))]
    public async Task A_value_on_the_bound_is_not_refused_for_that_parameter(string spec, string operationId, string parameter, object? value)
    {
        var provider = Providers.Single(p => p.Spec == spec);
        using var client = provider.Create(_server.BaseAddress);

        var error = await CallAsync(client, operationId, parameter, value);

        // The server answers 404 to everything here; what matters is that no guard refused this parameter.
        Assert.That((error as ArgumentException)?.ParamName, Is.Not.EqualTo(parameter), error?.ToString());
    }

    private static async Task<Exception?> CallAsync(object client, string operationId, string parameter, object? value)
    {
        var name = char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";
        var method = client.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == name).OrderByDescending(m => m.GetParameters().Length).First();
        var arguments = method.GetParameters().Select(p => p.Name == parameter ? value : Valid(p)).ToArray();
        Assert.That(method.GetParameters().Select(p => p.Name), Does.Contain(parameter), $"{name} has a parameter {parameter}");
        try
        {
            await (Task)method.Invoke(client, arguments)!;
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    /// <summary>A value the spec accepts for every parameter but the one under test; optional ones left out.</summary>
    private static object? Valid(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }

        if (parameter.IsOptional && type != typeof(FileParameter) && !IsEnum(type))
        {
            return null;
        }

        if (type == typeof(string))
        {
            return "x1";
        }

        if (type == typeof(FileParameter))
        {
            return new FileParameter(new MemoryStream(Jpeg), "photo.jpg", "image/jpeg");
        }

        if (type == typeof(FileReference))
        {
            return new FileReference { Uuid = "30381c3458faf2d31c38aed42e7c6e17" };
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.GetProperty("KnownValues", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is IEnumerable known)
        {
            return known.Cast<object>().First();
        }

        return type.IsValueType ? Activator.CreateInstance(type) : null;
    }

    private static bool IsEnum(Type type) => (Nullable.GetUnderlyingType(type) ?? type).GetProperty("KnownValues", BindingFlags.Public | BindingFlags.Static) is not null;

    // ---- the specs ----

    private sealed record Provider(string Spec, Func<Uri, IDisposable> Create, Type Client);

    private static readonly Provider[] Providers =
    [
        new("ehrweb-resume.yaml", server => new EhrwebResumeClient(new EhrwebResumeClientOptions { Endpoint = new Uri(server, "external/"), TokenEndpoint = new Uri(server, "oauth2/token"), GuiNum = "12345678", ClientId = "c", ClientSecret = "s", Retry = { MaxRetries = 0 } }), typeof(EhrwebResumeClient)),
        new("hrmax.yaml", server => new HrMaxClient(new HrMaxClientOptions { Endpoint = server, AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } }), typeof(HrMaxClient)),
        new("hrflow.yaml", server => new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(server, "v1/"), ApiKey = "k", Retry = { MaxRetries = 0 } }), typeof(HrFlowClient)),
        new("headhunter.yaml", server => new HeadHunterClient(new HeadHunterClientOptions { Endpoint = server, UserAgent = "T/1 (t@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } }), typeof(HeadHunterClient)),
    ];

    private sealed record Constraint(string Spec, string OperationId, string Parameter, List<(string Kind, object? Value)> Breaking, (string Kind, object? Value)? Inside);

    /// <summary>Every constrained parameter or multipart field of every operation, with values that break its constraints.</summary>
    private static IEnumerable<Constraint> Constrained()
    {
        foreach (var provider in Providers)
        {
            var settings = new OpenApiReaderSettings();
            settings.AddYamlReader();
            var read = OpenApiDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "specs", provider.Spec)), "yaml", settings);
            var document = read.Document ?? throw new InvalidOperationException(provider.Spec + " does not parse");
            foreach (var (path, item) in document.Paths)
            {
                foreach (var (_, operation) in item.Operations ?? [])
                {
                    var method = provider.Client.GetMethods().Where(m => m.Name == char.ToUpperInvariant(operation.OperationId![0]) + operation.OperationId[1..] + "Async").OrderByDescending(m => m.GetParameters().Length).First();
                    var parameters = (item.Parameters ?? []).Concat(operation.Parameters ?? [])
                        .Where(p => p.In is ParameterLocation.Query or ParameterLocation.Path && p.Schema is not null)
                        .Select(p => (p.Name!, p.Schema!, IsPath: p.In == ParameterLocation.Path));
                    var fields = (operation.RequestBody?.Content ?? new Dictionary<string, IOpenApiMediaType>())
                        .Where(c => c.Key.StartsWith("multipart/", StringComparison.Ordinal))
                        .SelectMany(c => c.Value.Schema?.Properties ?? new Dictionary<string, IOpenApiSchema>())
                        .Select(f => (f.Key, f.Value, IsPath: false));
                    foreach (var (name, schema, isPath) in parameters.Concat(fields))
                    {
                        // Parameters left out of the signatures (build/nswag/client.nswag) come from the options instead.
                        var csharp = method.GetParameters().FirstOrDefault(p => Normalize(p.Name!) == Normalize(name));
                        if (csharp is null)
                        {
                            continue;
                        }

                        var (breaking, inside) = BreakingValues(schema, isPath, csharp.ParameterType);
                        if (breaking.Count > 0)
                        {
                            yield return new Constraint(provider.Spec, operation.OperationId!, csharp.Name!, breaking, inside);
                        }
                    }
                }
            }
        }
    }

    private static (List<(string Kind, object? Value)> Breaking, (string Kind, object? Value)? Inside) BreakingValues(IOpenApiSchema schema, bool isPath, Type type)
    {
        var breaking = new List<(string, object?)>();
        (string, object?)? inside = null;
        if (schema.Enum is { Count: > 0 })
        {
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            breaking.Add(("undocumented value", Activator.CreateInstance(underlying, "x-undocumented")));
            if (underlying == type)
            {
                breaking.Add(("undocumented default", Activator.CreateInstance(underlying)));
            }
        }

        if (schema.MinLength is > 0 and var minLength)
        {
            breaking.Add(("empty", string.Empty));
            if (minLength > 1)
            {
                breaking.Add(($"shorter than {minLength}", new string('x', minLength - 1)));
            }

            inside = ($"of length {minLength}", new string('x', minLength));
        }

        if (schema.MaxLength is { } maxLength)
        {
            breaking.Add(($"longer than {maxLength}", new string('x', maxLength + 1)));
            inside = ($"of length {maxLength}", new string('x', maxLength));
        }

        if (schema.Pattern is { } pattern)
        {
            foreach (var (kind, candidate) in new[] { ("empty", ""), ("whitespace ' '", " "), ("whitespace tab and newline", "\t\n"), ("whitespace no-break space", "\u00a0"), ("punctuation", "!"), ("control character", "\u0001") })
            {
                if (!Regex.IsMatch(candidate, pattern) && !breaking.Any(b => Equals(b.Item2, candidate)))
                {
                    breaking.Add((kind, candidate));
                }
            }
        }

        if (schema.Minimum is { } minimum)
        {
            var bound = decimal.Parse(minimum, CultureInfo.InvariantCulture);
            breaking.Add(($"below minimum {bound}", (int)bound - 1));
            inside = ($"at minimum {bound}", (int)bound);
        }

        if (schema.Maximum is { } maximum)
        {
            var bound = decimal.Parse(maximum, CultureInfo.InvariantCulture);
            breaking.Add(($"above maximum {bound}", (int)bound + 1));
            inside ??= ($"at maximum {bound}", (int)bound);
        }

        if (isPath && type == typeof(string))
        {
            breaking.Add(("dot segment '.'", "."));
            breaking.Add(("dot segment '..'", ".."));
        }

        return (breaking, inside);
    }

    private static string Normalize(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
