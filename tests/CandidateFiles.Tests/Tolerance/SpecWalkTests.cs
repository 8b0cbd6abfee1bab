using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
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

namespace CandidateFiles.Tests.Tolerance;

/// <summary>
/// Issue #12, proven over every spec as it stands when the tests run (so it follows spec changes): the specs in
/// specs/*.yaml are read with Microsoft.OpenApi, and for every operation's success body a valid response is built
/// from its schema. Then, through the real generated client over loopback:
/// <list type="bullet">
/// <item>every enum-typed value in it gets a value the spec does not list: the call succeeds and the value comes back as sent;</item>
/// <item>every object in it gets an unknown field holding a date-like string: the call succeeds and <c>AdditionalProperties</c> holds that exact string;</item>
/// <item>the operation is answered with each 2xx it does not declare: the call succeeds and the status is visible.</item>
/// </list>
/// </summary>
[TestFixture]
public sealed class SpecWalkTests
{
    private const string UnseenPrefix = "x-unseen-";
    private const string UnknownField = "x_unknown_at";
    private const string DateLike = "2024-03-01T10:00:00+03:00";
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'];

    private LoopbackServer _server = null!;

    [SetUp]
    public async Task Start() => _server = await LoopbackServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    public static IEnumerable<TestCaseData> EnumCases() => Walk().SelectMany(op => op.EnumPaths.Select((path, i) =>
        new TestCaseData(op.Provider.Spec, op.OperationId, path.ToArray(), UnseenPrefix + i)
            .SetName($"{op.Provider.Spec} {op.OperationId}: an unseen enum value at {Describe(path)} is kept as sent")));

    public static IEnumerable<TestCaseData> ObjectCases() => Walk().SelectMany(op => op.ObjectPaths.Select(path =>
        new TestCaseData(op.Provider.Spec, op.OperationId, path.ToArray())
            .SetName($"{op.Provider.Spec} {op.OperationId}: an unknown date-like field in {Describe(path)} keeps its text")));

    public static IEnumerable<TestCaseData> StatusCases() => Walk().SelectMany(op => UndeclaredSuccesses(op).Select(status =>
        new TestCaseData(op.Provider.Spec, op.OperationId, status)
            .SetName($"{op.Provider.Spec} {op.OperationId}: an undeclared {status} with a valid body is a success")));

    [Test]
    public void The_walk_covers_every_spec_and_finds_cases_of_each_kind()
    {
        var specs = Directory.GetFiles(Path.Combine(RepoRoot.Path, "specs"), "*.yaml").Select(Path.GetFileName).ToArray();
        Assert.That(Providers.Select(p => p.Spec), Is.EquivalentTo(specs), "every spec has a provider entry here");
        Assert.That(EnumCases().Count(), Is.GreaterThan(0));
        Assert.That(ObjectCases().Count(), Is.GreaterThan(0));
        Assert.That(StatusCases().Count(), Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(EnumCases))]
    public async Task An_unseen_enum_value_is_kept(string spec, string operationId, object[] path, string unseen)
    {
        var operation = Find(spec, operationId);
        var body = operation.Body!.DeepClone();
        Set(body, path, JsonValue.Create(unseen));

        var result = await CallAsync(operation, operation.DeclaredSuccess, body.ToJsonString());

        var value = Navigate(result, path);
        Assert.That(value, Is.Not.Null);
        Assert.That(value!.ToString(), Is.EqualTo(unseen), "the value comes back as sent");
        Assert.That(value.GetType().GetProperty("IsKnown")?.GetValue(value), Is.EqualTo(false), "and reads as not a documented value");
    }

    [TestCaseSource(nameof(ObjectCases))]
    public async Task An_unknown_date_like_field_keeps_its_text(string spec, string operationId, object[] path)
    {
        var operation = Find(spec, operationId);
        var body = operation.Body!.DeepClone();
        ((JsonObject)Get(body, path)!)[UnknownField] = DateLike;

        var result = await CallAsync(operation, operation.DeclaredSuccess, body.ToJsonString());

        var target = Navigate(result, path);
        Assert.That(target, Is.Not.Null);
        var extra = target!.GetType().GetProperty("AdditionalProperties")?.GetValue(target) as IDictionary<string, object>;
        Assert.That(extra, Is.Not.Null, target.GetType().Name + " keeps unknown fields");
        Assert.That(extra![UnknownField], Is.EqualTo(DateLike), "the text as sent: no date guessing, offset kept");
    }

    [TestCaseSource(nameof(StatusCases))]
    public async Task An_undeclared_success_status_is_a_success(string spec, string operationId, int status)
    {
        var operation = Find(spec, operationId);
        var body = status is 204 or 205 ? null : operation.Body?.ToJsonString() ?? (operation.ReturnsFile ? null : "{}");

        using var capture = ProviderResponseCapture.Start();
        var result = await CallAsync(operation, status, body);

        if (result is FileResponse file)
        {
            Assert.That(file.StatusCode, Is.EqualTo(status));
            Assert.That(await new StreamReader(file.Stream).ReadToEndAsync(), Is.EqualTo("file body"));
        }

        Assert.That(capture.StatusCode, Is.EqualTo(status), "the status stays visible to the caller");
    }

    private static IEnumerable<int> UndeclaredSuccesses(Operation operation)
    {
        var candidates = new List<int> { 200, 201, 202, 203 };
        if (operation.Body is null && !operation.ReturnsFile)
        {
            candidates.Add(204);
        }

        return candidates.Where(status => !operation.DeclaredStatuses.Contains(status));
    }

    private async Task<object?> CallAsync(Operation operation, int status, string? body)
    {
        var path = "/" + operation.Provider.Prefix + string.Join('/', operation.Path.Trim('/').Split('/').Select(part => !part.StartsWith('{') ? part
            : operation.ParameterValues.TryGetValue(Normalize(part.Trim('{', '}')), out var value) ? Uri.EscapeDataString(value) : "x"));
        _server.OnJson("/oauth2/token", 200, """{"access_token":"t","expires_in":3600}""");
        _server.On(path, (context, _) => operation.ReturnsFile
            ? LoopbackServer.WriteAsync(context, status, "application/octet-stream", status is 204 or 205 ? [] : Encoding.UTF8.GetBytes("file body"))
            : LoopbackServer.WriteAsync(context, status, body is null ? null : "application/json", body is null ? [] : Encoding.UTF8.GetBytes(body)));

        using var client = operation.Provider.Create(_server.BaseAddress);
        var method = client.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == Pascal(operation.OperationId) + "Async" && m.GetParameters().LastOrDefault()?.ParameterType == typeof(CancellationToken))
            .OrderByDescending(m => m.GetParameters().Length)
            .FirstOrDefault() ?? throw new AssertionException($"{client.GetType().Name} has no method for operation {operation.OperationId}");
        // Required parameters always get a value; optional ones are left out, then given one at a time, because
        // hand-written checks may demand exactly one of several (HrFlow's key / reference / email). A check that
        // refuses the arguments does so before sending (ArgumentException), so the next set is tried.
        var parameters = method.GetParameters();
        object? Value(ParameterInfo p) => p.ParameterType == typeof(string) && operation.ParameterValues.TryGetValue(Normalize(p.Name!), out var documented) ? documented : Argument(p.ParameterType);
        var optional = parameters.Where(p => p.IsOptional && p.ParameterType != typeof(CancellationToken)).ToList();
        var sets = new List<object?[]> { parameters.Select(p => p.IsOptional && p.ParameterType != typeof(CancellationToken) ? p.DefaultValue : Value(p)).ToArray() };
        sets.AddRange(optional.Select(chosen => parameters.Select(p => p == chosen || !p.IsOptional || p.ParameterType == typeof(CancellationToken) ? Value(p) : p.DefaultValue).ToArray()));
        sets.Add(parameters.Select(Value).ToArray());

        ArgumentException? refused = null;
        foreach (var arguments in sets)
        {
            try
            {
                var task = (Task)method.Invoke(client, arguments)!;
                await task;
                var result = task.GetType().GetProperty("Result")?.GetValue(task);
                return result?.GetType().Name == "VoidTaskResult" ? null : result;
            }
            catch (ArgumentException exception)
            {
                refused = exception;
            }
        }

        throw refused!;
    }

    private static object? Argument(Type type)
    {
        if (type == typeof(CancellationToken))
        {
            return CancellationToken.None;
        }

        if (type == typeof(string))
        {
            return "x";
        }

        if (type == typeof(FileParameter))
        {
            return new FileParameter(new MemoryStream(Jpeg), "photo.jpg", "image/jpeg");
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.GetProperty("KnownValues", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is IEnumerable known)
        {
            return known.Cast<object>().First();
        }

        if (underlying != type || !type.IsValueType && type != typeof(object) && type.GetConstructor(Type.EmptyTypes) is null)
        {
            return null;
        }

        if (type.IsValueType)
        {
            return Activator.CreateInstance(type);
        }

        // A request body model: every settable string "x", nested models filled the same way.
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite && p.Name != "AdditionalProperties"))
        {
            if (property.PropertyType == typeof(string) || property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("CandidateFiles", StringComparison.Ordinal) == true)
            {
                property.SetValue(instance, Argument(property.PropertyType));
            }
        }

        return instance;
    }

    private static object? Navigate(object? value, IEnumerable<object> path)
    {
        foreach (var step in path)
        {
            if (value is null)
            {
                return null;
            }

            value = step switch
            {
                int index => ((IList)value)[index],
                string name => value.GetType().GetProperties()
                    .FirstOrDefault(p => p.GetCustomAttribute<Newtonsoft.Json.JsonPropertyAttribute>()?.PropertyName == name)?.GetValue(value),
                _ => throw new InvalidOperationException(),
            };
        }

        return value;
    }

    private static JsonNode? Get(JsonNode node, IEnumerable<object> path)
    {
        JsonNode? current = node;
        foreach (var step in path)
        {
            current = step is int index ? current![index] : current![(string)step];
        }

        return current;
    }

    private static void Set(JsonNode node, object[] path, JsonNode value)
    {
        var parent = Get(node, path[..^1])!;
        if (path[^1] is int index)
        {
            parent[index] = value;
        }
        else
        {
            parent[(string)path[^1]] = value;
        }
    }

    private static string Describe(IEnumerable<object> path)
    {
        var text = string.Concat(path.Select(step => step is int ? "[]" : "." + step));
        return text.Length == 0 ? "the body" : text.TrimStart('.');
    }

    private static string Normalize(string name) => new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static string Pascal(string operationId) => char.ToUpperInvariant(operationId[0]) + operationId[1..];

    // ---- the specs ----

    private sealed record Provider(string Spec, string Prefix, Func<Uri, IDisposable> Create);

    private static readonly Provider[] Providers =
    [
        new("ehrweb-resume.yaml", "external/", server => new EhrwebResumeClient(new EhrwebResumeClientOptions { Endpoint = new Uri(server, "external/"), TokenEndpoint = new Uri(server, "oauth2/token"), GuiNum = "12345678", ClientId = "c", ClientSecret = "s", Retry = { MaxRetries = 0 } })),
        new("hrmax.yaml", string.Empty, server => new HrMaxClient(new HrMaxClientOptions { Endpoint = server, AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } })),
        new("hrflow.yaml", "v1/", server => new HrFlowClient(new HrFlowClientOptions { Endpoint = new Uri(server, "v1/"), ApiKey = "k", Retry = { MaxRetries = 0 } })),
        new("headhunter.yaml", string.Empty, server => new HeadHunterClient(new HeadHunterClientOptions { Endpoint = server, UserAgent = "T/1 (t@example.com)", AccessTokenCallback = (_, _) => new ValueTask<string>("t"), Retry = { MaxRetries = 0 } })),
    ];

    /// <param name="ParameterValues">A valid value per string parameter (query, path, header, form field), by normalized name, from the spec's example, enum or format: hand-written checks refuse what the spec would.</param>
    private sealed record Operation(Provider Provider, string OperationId, string Path, int DeclaredSuccess, HashSet<int> DeclaredStatuses, JsonNode? Body, bool ReturnsFile, List<List<object>> EnumPaths, List<List<object>> ObjectPaths, Dictionary<string, string> ParameterValues);

    private static Operation Find(string spec, string operationId) => Walk().Single(o => o.Provider.Spec == spec && o.OperationId == operationId);

    private static IEnumerable<Operation> Walk()
    {
        foreach (var provider in Providers)
        {
            var file = Path.Combine(RepoRoot.Path, "specs", provider.Spec);
            if (!File.Exists(file))
            {
                continue;
            }

            var settings = new OpenApiReaderSettings();
            settings.AddYamlReader();
            var read = OpenApiDocument.Parse(File.ReadAllText(file), "yaml", settings);
            var document = read.Document ?? throw new InvalidOperationException(provider.Spec + " does not parse: " + read.Diagnostic?.Errors.FirstOrDefault()?.Message);
            foreach (var (path, item) in document.Paths)
            {
                if (item.Operations is null)
                {
                    continue;
                }

                foreach (var (_, operation) in item.Operations)
                {
                    if (operation.OperationId is null || operation.Responses is null)
                    {
                        continue;
                    }

                    var statuses = operation.Responses.Keys.Select(k => int.TryParse(k, out var s) ? s : 0).Where(s => s > 0).ToHashSet();
                    var success = statuses.Where(s => s is >= 200 and < 300).Order().ToList();
                    if (success.Count == 0)
                    {
                        continue;
                    }

                    var response = operation.Responses[success[0].ToString(System.Globalization.CultureInfo.InvariantCulture)];
                    var media = response.Content?.FirstOrDefault();
                    var isJson = media is { } m && m.Key.Contains("json", StringComparison.OrdinalIgnoreCase);
                    var enums = new List<List<object>>();
                    var objects = new List<List<object>>();
                    var body = isJson && media!.Value.Value.Schema is { } schema ? Build(schema, [], enums, objects, 0) : null;
                    var parameterValues = new Dictionary<string, string>();
                    var parameters = (item.Parameters ?? []).Concat(operation.Parameters ?? []);
                    var formFields = operation.RequestBody?.Content?.Values.SelectMany(c => c.Schema?.Properties ?? new Dictionary<string, IOpenApiSchema>()) ?? [];
                    foreach (var (name, parameterSchema) in parameters.Where(p => p.Name is not null && p.Schema is not null).Select(p => (p.Name!, p.Schema!)).Concat(formFields.Select(f => (f.Key, f.Value))))
                    {
                        if (Build(parameterSchema, [], [], [], 0) is JsonValue scalar && scalar.GetValueKind() == System.Text.Json.JsonValueKind.String)
                        {
                            parameterValues.TryAdd(Normalize(name), scalar.GetValue<string>());
                        }
                    }

                    yield return new Operation(provider, operation.OperationId, path, success[0], statuses, body, media is not null && !isJson, enums, objects, parameterValues);
                }
            }
        }
    }

    /// <summary>A valid value for <paramref name="schema"/>, noting where enums and objects sit.</summary>
    private static JsonNode? Build(IOpenApiSchema schema, List<object> at, List<List<object>> enums, List<List<object>> objects, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        if (schema.Enum is { Count: > 0 } values && values.FirstOrDefault(v => v is not null) is { } first)
        {
            if (first.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                enums.Add([.. at]);
            }

            return first.DeepClone();
        }

        var parts = (schema.AllOf ?? []).Concat((schema.OneOf ?? []).Take(1)).Concat((schema.AnyOf ?? []).Take(1)).ToList();
        var type = schema.Type ?? parts.Select(p => p.Type).FirstOrDefault(t => t is not null);
        if (parts.Count == 1 && schema.Properties is not { Count: > 0 } && (schema.Type is null || parts[0].Enum is { Count: > 0 }))
        {
            return Build(parts[0], at, enums, objects, depth + 1);
        }

        if (type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is { } items)
        {
            return new JsonArray(Build(items, [.. at, 0], enums, objects, depth + 1));
        }

        if (type?.HasFlag(JsonSchemaType.Object) == true || schema.Properties is { Count: > 0 } || parts.Any(p => p.Properties is { Count: > 0 }))
        {
            objects.Add([.. at]);
            var result = new JsonObject();
            foreach (var (name, property) in parts.Append(schema).SelectMany(p => p.Properties ?? new Dictionary<string, IOpenApiSchema>()))
            {
                if (!result.ContainsKey(name))
                {
                    result[name] = Build(property, [.. at, name], enums, objects, depth + 1);
                }
            }

            return result;
        }

        if (schema.Examples?.FirstOrDefault(e => e is not null) is { } example)
        {
            return example.DeepClone();
        }

        if (type?.HasFlag(JsonSchemaType.Integer) == true)
        {
            return 1;
        }

        if (type?.HasFlag(JsonSchemaType.Number) == true)
        {
            return 1.5;
        }

        if (type?.HasFlag(JsonSchemaType.Boolean) == true)
        {
            return true;
        }

        return schema.Format switch
        {
            "email" => "user@example.com",
            "date-time" => "2024-03-01T10:00:00+03:00",
            "date" => "2024-03-01",
            "uri" or "url" => "https://example.test/x",
            "uuid" => "0f8fad5b-d9cb-469f-a165-70867728950e",
            "byte" => "eA==",
            _ => "x",
        };
    }
}
