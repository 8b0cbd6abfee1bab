using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace UpstreamDrift;

/// <summary>One of our specs, read with Microsoft.OpenApi (YAML or JSON).</summary>
internal sealed class SpecFile
{
    public SpecFile(string path, ApiContract contract, OpenApiDocument? document = null, IReadOnlyList<UpstreamDocument>? documents = null)
    {
        Path = path;
        Contract = contract;
        Document = document;
        Documents = documents;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public ApiContract Contract { get; }

    /// <summary>The spec as read, for the component schemas that object reference pages name.</summary>
    public OpenApiDocument? Document { get; }

    /// <summary>The upstream documents the spec names (info.x-upstream-documents); null when it names none.</summary>
    public IReadOnlyList<UpstreamDocument>? Documents { get; }

    /// <summary>This spec's entry for an upstream file, by its file name.</summary>
    public UpstreamDocument? Entry(string pagePath) =>
        Documents?.FirstOrDefault(d => string.Equals(d.Document, System.IO.Path.GetFileName(pagePath), StringComparison.Ordinal));

    public static SpecFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PageFormatException($"cannot read spec {path}: {e.Message}", e);
        }

        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml";
        ReadResult result;
        try
        {
            result = OpenApiDocument.Parse(text, format, settings);
        }
        catch (Exception e) when (e is OpenApiException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new PageFormatException($"spec {path} cannot be read: {e.Message}", e);
        }

        if (result.Document is null || result.Diagnostic?.Errors.Count > 0)
        {
            var error = result.Diagnostic?.Errors.FirstOrDefault();
            throw new PageFormatException($"spec {path} is not valid OpenAPI: {error?.Pointer} {error?.Message}".TrimEnd());
        }

        var name = System.IO.Path.GetFileName(path);
        return new SpecFile(
            path,
            OpenApiContractReader.Read(result.Document, "spec", withDeclarations: true),
            result.Document,
            UpstreamDocument.ReadAll(result.Document, name));
    }
}

/// <summary>Finds our specs and recognizes which one an upstream page belongs to.</summary>
internal static class SpecCatalog
{
    /// <summary>
    /// The repository's specs/ folder: walk up from <paramref name="currentDirectory"/> to the folder
    /// holding Generated.sln; failing that, specs/ under the current directory.
    /// </summary>
    public static string? FindSpecsDirectory(string currentDirectory)
    {
        for (var directory = new DirectoryInfo(currentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generated.sln")))
            {
                var specs = Path.Combine(directory.FullName, "specs");
                if (Directory.Exists(specs))
                {
                    return specs;
                }
            }
        }

        var local = Path.Combine(currentDirectory, "specs");
        return Directory.Exists(local) ? local : null;
    }

    public static List<SpecFile> LoadDirectory(string directory) =>
        [.. Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(SpecFile.Load)];

    /// <summary>
    /// Scores each spec by what it shares with the page: the same server URL (1000) or host (500),
    /// plus 2 for each endpoint with the same method and path and 1 for the same path (or path shape)
    /// with another method. The best score wins; no score or a tie is an error.
    /// </summary>
    public static SpecFile Recognize(ApiContract page, IReadOnlyList<SpecFile> specs)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(specs);
        var scored = specs.Select(s => (Spec: s, Score: Score(page, s.Contract))).OrderByDescending(s => s.Score).ToList();
        if (scored.Count == 0 || scored[0].Score == 0)
        {
            throw new PageFormatException(
                $"the page matches no spec: no server host or endpoint path in common with {(specs.Count == 0 ? "any spec (none found)" : string.Join(", ", specs.Select(s => s.Name)))}");
        }

        if (scored.Count > 1 && scored[1].Score == scored[0].Score)
        {
            throw new PageFormatException(
                $"the page matches {scored[0].Spec.Name} and {scored[1].Spec.Name} equally well; choose one with --spec");
        }

        return scored[0].Spec;
    }

    private static int Score(ApiContract page, ApiContract spec)
    {
        var score = 0;
        var pageServers = page.Servers ?? [];
        var specServers = spec.Servers ?? [];
        if (pageServers.Any(p => specServers.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            score += 1000;
        }
        else if (pageServers.Select(Host).Where(h => h is not null).Intersect(specServers.Select(Host), StringComparer.OrdinalIgnoreCase).Any())
        {
            score += 500;
        }

        foreach (var endpoint in page.Endpoints)
        {
            if (spec.Endpoints.Any(e => e.Method == endpoint.Method && e.Path == endpoint.Path))
            {
                score += 2;
            }
            else if (spec.Endpoints.Any(e => Shape(e.Path) == Shape(endpoint.Path)))
            {
                score += 1;
            }
        }

        return score;
    }

    private static string? Host(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;

    private static string Shape(string path) => Regex.Replace(path, @"\{[^{}/]*\}", "{}").TrimEnd('/');
}
