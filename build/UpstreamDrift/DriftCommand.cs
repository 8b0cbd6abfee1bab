using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace UpstreamDrift;

/// <summary>
/// The tool's entry point: <c>Run(args, stdout, stderr)</c> returns the exit code
/// (0 no undeclared drift, 1 drift, 2 a page or spec could not be read or understood).
/// </summary>
public static class DriftCommand
{
    public const int NoDrift = 0;
    public const int Drift = 1;
    public const int Unreadable = 2;

    public const string Usage = """
        Usage: dotnet run --project build/UpstreamDrift -- [--spec <spec.yaml>] [--specs-dir <dir>] <page-or-folder>...

        Compares upstream documentation pages with our OpenAPI specs and prints every difference in the
        documented contract, one line each, then a summary line.

        Options:
          --spec <file>       Compare every page with this spec instead of recognizing the spec from the page.
          --specs-dir <dir>   Where to look for specs (*.yaml, *.yml, *.json) when recognizing. Default: specs/
                              of the repository (the folder holding Generated.sln, found by walking up from
                              the current directory), else ./specs.
          -h, --help          Show this help.

        A folder stands for the *.md, *.markdown, *.txt, *.yaml, *.yml and *.json files directly in it
        (README.* excluded). Pages that belong to the same spec are compared together, as one upstream
        contract. A page named in a spec's info.x-upstream-documents belongs to that spec, in the role given
        there: current (compared), superseded (must parse, never compared) or reference (defines: errors,
        with the sections that apply, or defines: object, with the component schema it describes).
        Other pages are matched to a spec by their server and paths.

        Page formats:
          1. GitBook page embedding one OpenAPI 3.0/3.1 JSON document per endpoint in ```json fences.
          2. GitBook {% api-method %} or {% swagger %} markup: parameters with name/type/required (swagger:
             in=header|query|path|body|formData), response examples by httpCode/status (JSON or a Python dict).
          3. Markdown prose: request blocks ("GET /path" in a code block), field tables, JSON examples,
             "`201 Created`" sentences, "* `403 Forbidden` - ..." error lists, "Accepted parameters:" lists.
          4. A whole OpenAPI document, YAML or JSON (allOf/anyOf/oneOf flattened).
          Reference pages: errors (HTTP code | type | value tables, JSON examples, statuses in prose) and
          object (attribute table, example, enums stated in descriptions).

        Compared: servers, auth schemes (type, apiKey header/query name, http scheme, oauth2 flow, token URL,
        scopes), endpoints (method and path; a moved operation is reported as a path change), parameters
        (name, location, required, type, enum values), request body (required, media types, fields and
        multipart parts with their required flags), status codes, response media types and fields.
        Only what the page documents is compared; representation (descriptions, examples, operationId,
        tags, component names, $ref vs inline, contentMediaType vs format: binary) is never reported.

        Declared differences: each difference is about one element of our spec: a server, a security
        scheme, an operation (the endpoint, its path), a parameter (with its schema), a request body, a
        response (its status code, or its whole body), a media type (also when only one side gives it an
        object schema) or a field (the property, or the object schema that lists it). It is DECLARED, not
        DRIFT, when that element carries x-upstream-deviation: "<reason>". When our spec lacks the element
        (added upstream), the nearest enclosing element our spec has decides instead:
          field -> object schema; media type -> response / request body;
          parameter, request body, response -> operation; endpoint -> path item, else info;
          server, auth scheme -> info.
        Through a $ref, the referenced component's extension counts.
        Reference pages: what an errors page documents and our spec lacks, and a field an object page adds,
        are declared only by the reference entry's deviations, keyed by the item text exactly as printed
        ('error type "oauth" value "x"': "<reason>"); a key that matches no difference is reported as
        stale drift (exit 1).

        Exit codes: 0 no undeclared drift, 1 undeclared drift, 2 a page or spec could not be read or
        understood (missing file, unknown format, no endpoint, malformed embedded JSON, page matching no spec).
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Environment.CurrentDirectory);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(currentDirectory);

        string? specPath = null;
        string? specsDirectory = null;
        var inputs = new List<string>();
        var optionsEnded = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!optionsEnded && arg == "--")
            {
                optionsEnded = true;
            }
            else if (!optionsEnded && arg is "-h" or "--help")
            {
                stdout.WriteLine(Usage);
                return NoDrift;
            }
            else if (!optionsEnded && arg is "--spec" or "--specs-dir")
            {
                if (i + 1 >= args.Length)
                {
                    return UsageError(stderr, $"{arg} needs a value");
                }

                if (arg == "--spec")
                {
                    if (specPath is not null)
                    {
                        return UsageError(stderr, "--spec can be given only once");
                    }

                    specPath = Path.Combine(currentDirectory, args[++i]);
                }
                else
                {
                    specsDirectory = Path.Combine(currentDirectory, args[++i]);
                }
            }
            else if (!optionsEnded && arg.StartsWith('-') && arg.Length > 1)
            {
                return UsageError(stderr, $"unknown option {arg}");
            }
            else
            {
                inputs.Add(arg);
            }
        }

        if (inputs.Count == 0)
        {
            return UsageError(stderr, "no page or folder given");
        }

        // Our specs.
        List<SpecFile> specs;
        try
        {
            if (specPath is not null)
            {
                specs = [SpecFile.Load(specPath)];
            }
            else
            {
                var directory = specsDirectory ?? SpecCatalog.FindSpecsDirectory(currentDirectory);
                if (directory is null || !Directory.Exists(directory))
                {
                    stderr.WriteLine($"error: no specs directory: {directory ?? "no Generated.sln above the current directory and no ./specs"}; use --specs-dir or --spec");
                    return Unreadable;
                }

                specs = SpecCatalog.LoadDirectory(directory);
            }
        }
        catch (PageFormatException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Unreadable;
        }

        // The pages.
        var failures = 0;
        var pages = new List<string>();
        foreach (var input in inputs)
        {
            var full = Path.Combine(currentDirectory, input);
            if (Directory.Exists(full))
            {
                var found = Directory.EnumerateFiles(full)
                    .Where(IsPageFile)
                    .Select(f => Path.Join(input, Path.GetFileName(f)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    stderr.WriteLine($"error: {input}: the folder holds no page (*.md, *.markdown, *.txt, *.yaml, *.yml, *.json)");
                    failures++;
                }

                pages.AddRange(found);
            }
            else
            {
                pages.Add(input);
            }
        }

        var groups = new List<SpecRun>();
        SpecRun GroupOf(SpecFile spec)
        {
            var group = groups.FirstOrDefault(g => g.Spec == spec);
            if (group is null)
            {
                group = new SpecRun(spec);
                groups.Add(group);
            }

            return group;
        }

        foreach (var page in pages)
        {
            var full = Path.Combine(currentDirectory, page);
            try
            {
                if (!File.Exists(full))
                {
                    throw new PageFormatException("no such file or folder");
                }

                // A page named in a spec's x-upstream-documents belongs to that spec, with the role the
                // spec gives it; any other page is a current page whose spec is recognized.
                var listings = specPath is not null
                    ? [(Spec: specs[0], Entry: specs[0].Entry(page))]
                    : specs.Select(s => (Spec: s, Entry: s.Entry(page))).Where(l => l.Entry is not null).ToList();
                ApiContract? contract = null;
                if (listings.Count == 0)
                {
                    contract = PageReader.Read(full);
                    listings.Add((SpecCatalog.Recognize(contract, specs), null));
                }

                var lines = new List<string>();
                var runs = new List<Action>();
                foreach (var (spec, entry) in listings)
                {
                    switch (entry?.Role ?? DocumentRole.Current)
                    {
                        case DocumentRole.Current:
                        case DocumentRole.Superseded:
                            // Parsed once even when several specs name it; a superseded page must still parse.
                            contract ??= PageReader.Read(full);
                            var read = contract;
                            var superseded = entry?.Role == DocumentRole.Superseded;
                            lines.Add($"{"PAGE",-10}{page}: {read.Description}, {Plural(read.Endpoints.Count, "endpoint")} -> {spec.Name}{(superseded ? ", superseded (not compared)" : string.Empty)}");
                            if (!superseded)
                            {
                                runs.Add(() => GroupOf(spec).Pages.Add(read));
                            }

                            break;
                        case DocumentRole.Reference when entry!.Defines == ReferenceKind.Errors:
                            var errors = ReferencePageParser.ParseErrors(PageReader.ReadFile(full), entry.Sections);
                            lines.Add($"{"PAGE",-10}{page}: errors reference page, {Plural(entry.Sections.Count, "section")}, {Plural(errors.Errors.Count, "documented error")} -> {spec.Name}, reference for errors");
                            runs.Add(() => GroupOf(spec).References.Add(() => ReferenceComparer.CompareErrors(errors, spec.Contract, entry)));
                            break;
                        case DocumentRole.Reference:
                            var fields = ReferencePageParser.ParseObject(PageReader.ReadFile(full));
                            var schemaName = entry.Schema!;
                            lines.Add($"{"PAGE",-10}{page}: object reference page, {Plural(fields.Count, "field")} -> {spec.Name}, reference for schema {schemaName}");
                            runs.Add(() => GroupOf(spec).References.Add(() => ReferenceComparer.CompareObject(
                                fields, OpenApiContractReader.ReadComponentSchema(spec.Document!, schemaName, withDeclarations: true)!, entry)));
                            break;
                    }
                }

                // Nothing of a page counts until all of it has been read.
                lines.ForEach(stdout.WriteLine);
                runs.ForEach(r => r());
            }
            catch (PageFormatException e)
            {
                stderr.WriteLine($"error: {page}: {e.Message}");
                failures++;
            }
        }

        var drift = 0;
        var declared = 0;
        foreach (var group in groups)
        {
            var differences = new List<Difference>();
            if (group.Pages.Count > 0)
            {
                var upstream = new ApiContract("upstream");
                foreach (var contract in group.Pages)
                {
                    ContractComparer.AlignServerPaths(contract, group.Spec.Contract);
                    PageReader.Merge(upstream, contract);
                }

                differences.AddRange(ContractComparer.Compare(upstream, group.Spec.Contract));
            }

            foreach (var reference in group.References)
            {
                differences.AddRange(reference());
            }

            stdout.WriteLine($"{"SPEC",-10}{group.Spec.Name}: {Plural(differences.Count, "difference")}");
            foreach (var difference in differences)
            {
                stdout.WriteLine(difference.ToString());
                if (difference.IsDeclared)
                {
                    declared++;
                }
                else
                {
                    drift++;
                }
            }
        }

        var summary = $"{Plural(drift + declared, "difference")}: {drift.ToString(CultureInfo.InvariantCulture)} drift, {declared.ToString(CultureInfo.InvariantCulture)} declared";
        if (failures > 0)
        {
            summary += $"; {Plural(failures, "page")} could not be read";
        }

        stdout.WriteLine(summary);
        return failures > 0 ? Unreadable : drift > 0 ? Drift : NoDrift;
    }

    private static bool IsPageFile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith("README", StringComparison.OrdinalIgnoreCase) || name.StartsWith('.'))
        {
            return false;
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        return extension is ".md" or ".markdown" or ".txt" || PageReader.IsDocumentFile(name);
    }

    /// <summary>What is compared with one spec: its current pages (merged) and its reference pages.</summary>
    private sealed class SpecRun(SpecFile spec)
    {
        public SpecFile Spec { get; } = spec;

        public List<ApiContract> Pages { get; } = [];

        public List<Func<List<Difference>>> References { get; } = [];
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"error: {message}");
        stderr.WriteLine("Usage: dotnet run --project build/UpstreamDrift -- [--spec <spec.yaml>] [--specs-dir <dir>] <page-or-folder>...  (--help for more)");
        return Unreadable;
    }

    private static string Plural(int count, string noun) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? string.Empty : "s")}";
}
