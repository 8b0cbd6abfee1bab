using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace UpstreamDrift;

/// <summary>One error a reference page documents: any of status, type and value may be absent.</summary>
/// <param name="Fields">Field paths of the documented error object (relative to it), from examples and field tables.</param>
internal sealed record DocumentedError(string? Status, string? Type, string? Value, IReadOnlyList<string> Fields);

/// <summary>What an errors reference page documents in the sections a spec listed.</summary>
internal sealed class ErrorReference
{
    public List<DocumentedError> Errors { get; } = [];
}

/// <summary>
/// Reference pages: pages that document no endpoint but something the endpoints use. They are read
/// only when a spec names them (info.x-upstream-documents, role: reference), with the kind it gives.
/// </summary>
internal static partial class ReferencePageParser
{
    /// <summary>
    /// An errors page (hh.ru's errors.md): in each listed section (from its &lt;a name="..."&gt; anchor to
    /// the next anchor) the <c>HTTP code | type | value</c> table rows, the JSON examples (a bare error
    /// object or an <c>{"errors": [...]}</c> body; the status is the one the paragraph just before names),
    /// prose statuses (<c>`503 Service Unavailable`</c>, "API вернёт 500") with the type a sentence gives
    /// (<c>`type` будет содержать `service_unavailable`</c>), and field tables (<c>Имя | Тип | Описание</c>)
    /// that name the error object's fields.
    /// </summary>
    public static ErrorReference ParseErrors(string text, IReadOnlyList<string> sections)
    {
        var anchors = AnchorRegex().Matches(text).ToList();
        var reference = new ErrorReference();
        foreach (var section in sections)
        {
            var index = anchors.FindIndex(a => string.Equals(a.Groups["name"].Value, section, StringComparison.Ordinal));
            if (index < 0)
            {
                throw new PageFormatException($"section \"{section}\" is not on the page (no <a name=\"{section}\"> anchor)");
            }

            var start = anchors[index].Index + anchors[index].Length;
            var end = index + 1 < anchors.Count ? anchors[index + 1].Index : text.Length;
            var before = reference.Errors.Count;
            ReadErrorSection(text[start..end], text.AsSpan(0, start).Count('\n'), section, reference);
            if (reference.Errors.Count == before)
            {
                throw new PageFormatException($"section \"{section}\" documents no error (no HTTP code | type | value table, JSON example or status)");
            }
        }

        return reference;
    }

    private static void ReadErrorSection(string text, int firstLine, string section, ErrorReference reference)
    {
        var document = Markdown.Parse(text, PageReader.Pipeline);
        var sectionFields = new List<string>();
        var sectionErrors = new List<int>();
        string[] previousStatuses = [];
        foreach (var block in document.Descendants<Block>())
        {
            if (block.Parent is not MarkdownDocument and not QuoteBlock and not ListItemBlock)
            {
                continue; // paragraphs inside table cells are read with their table
            }

            switch (block)
            {
                case Table table:
                    ReadErrorTable(table, text, section, reference, sectionErrors, sectionFields);
                    previousStatuses = [];
                    break;
                case FencedCodeBlock fence when JsonExample.LooksLikeJson(PageReader.FenceContent(fence)):
                    var json = JsonExample.Parse(PageReader.FenceContent(fence), $"the JSON example at line {(firstLine + fence.Line + 1).ToString(CultureInfo.InvariantCulture)} (section \"{section}\")");
                    var items = json is JsonObject { } body && body["errors"] is JsonArray array ? [.. array] : new List<JsonNode?> { json };
                    foreach (var item in items.OfType<JsonObject>())
                    {
                        var fields = JsonExample.Fields(item).Keys.ToList();
                        foreach (var status in previousStatuses.DefaultIfEmpty())
                        {
                            sectionErrors.Add(reference.Errors.Count);
                            reference.Errors.Add(new DocumentedError(status, Word(item["type"]), Word(item["value"]), fields));
                        }
                    }

                    previousStatuses = [];
                    break;
                case ParagraphBlock paragraph:
                    var raw = PageReader.Raw(text, paragraph);
                    var statuses = StatusRegex().Matches(raw).Select(m => m.Groups["code"].Value).Distinct(StringComparer.Ordinal).ToArray();
                    var types = ProseTypeRegex().Matches(raw).Select(m => m.Groups["type"].Value).Distinct(StringComparer.Ordinal).ToList();
                    foreach (var status in statuses.Select(s => (string?)s).DefaultIfEmpty())
                    {
                        if (types.Count == 0 && status is not null)
                        {
                            sectionErrors.Add(reference.Errors.Count);
                            reference.Errors.Add(new DocumentedError(status, null, null, []));
                        }

                        foreach (var type in types)
                        {
                            sectionErrors.Add(reference.Errors.Count);
                            reference.Errors.Add(new DocumentedError(status, type, null, []));
                        }
                    }

                    previousStatuses = statuses;
                    break;
                default:
                    break;
            }
        }

        // A field table documents the fields of the section's error objects.
        if (sectionFields.Count > 0)
        {
            var errors = sectionErrors.Where(i => reference.Errors[i].Type is not null).ToList();
            if (errors.Count == 0)
            {
                reference.Errors.Add(new DocumentedError(null, null, null, sectionFields));
            }

            foreach (var i in errors)
            {
                var error = reference.Errors[i];
                reference.Errors[i] = error with { Fields = [.. error.Fields.Union(sectionFields, StringComparer.Ordinal)] };
            }
        }
    }

    private static void ReadErrorTable(Table table, string text, string section, ErrorReference reference, List<int> sectionErrors, List<string> sectionFields)
    {
        var rows = table.OfType<TableRow>().ToList();
        var header = rows.FirstOrDefault(r => r.IsHeader);
        if (header is null)
        {
            return;
        }

        var headings = Cells(header, text).ToDictionary(c => c.Key, c => c.Value.ToLowerInvariant());
        int Column(Func<string, bool> match) => headings.Where(h => match(h.Value)).Select(h => h.Key).DefaultIfEmpty(-1).First();
        var statusColumn = Column(h => h.Contains("http", StringComparison.Ordinal) || h is "code" or "status" or "код");
        var typeColumn = Column(h => h == "type");
        var valueColumn = Column(h => h == "value");
        var nameColumn = Column(h => h is "name" or "имя" or "field" or "поле");

        foreach (var row in rows.Where(r => !r.IsHeader))
        {
            var cells = Cells(row, text);
            string? Cell(int column) => column >= 0 && cells.TryGetValue(column, out var value) ? value : null;
            if (statusColumn >= 0 && typeColumn >= 0)
            {
                var statuses = CodeRegex().Matches(Cell(statusColumn) ?? string.Empty).Select(m => m.Value).ToList();
                var type = Identifier(Cell(typeColumn));
                if (statuses.Count == 0 || type is null)
                {
                    throw new PageFormatException($"section \"{section}\": the error table row \"{PageReader.Raw(text, row).Trim()}\" has no HTTP code or type");
                }

                foreach (var status in statuses)
                {
                    sectionErrors.Add(reference.Errors.Count);
                    reference.Errors.Add(new DocumentedError(status, type, Identifier(Cell(valueColumn)), []));
                }
            }
            else if (nameColumn >= 0 && Identifier(Cell(nameColumn)) is { } field)
            {
                sectionFields.Add(field);
            }
        }
    }

    private static Dictionary<int, string> Cells(TableRow row, string text) =>
        row.OfType<TableCell>().Select((c, i) => (Column: c.ColumnIndex >= 0 ? c.ColumnIndex : i, Text: MarkdownPageParser.CellText(c, text)))
            .GroupBy(c => c.Column)
            .ToDictionary(g => g.Key, g => g.First().Text);

    /// <summary>A literal identifier cell ("bad_user_agent", "`oauth`"); a placeholder in italics (*field_name*) or an empty cell is none.</summary>
    private static string? Identifier(string? cell)
    {
        if (cell is null)
        {
            return null;
        }

        var trimmed = cell.Trim();
        if (trimmed.Length == 0 || (trimmed.StartsWith('*') && trimmed.EndsWith('*')) || (trimmed.StartsWith('_') && trimmed.EndsWith('_') && trimmed.Length > 2))
        {
            return null;
        }

        var value = PageReader.Unescape(trimmed);
        return value.Length == 0 ? null : value;
    }

    private static string? Word(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) && text.Length > 0 && !text.All(c => c == '.') ? text : null;

    // ----- object pages -----

    /// <summary>
    /// An object page (HrFlow's attachment object): the names of its attribute table
    /// (<c>name | description</c>, markdown escapes removed) and the fields of its example (JSON or a
    /// Python dict); an enum stated in a description ("its value can be one from this set (a/b/c)").
    /// </summary>
    public static SortedDictionary<string, Field> ParseObject(string text)
    {
        var document = Markdown.Parse(text, PageReader.Pipeline);
        var fields = new SortedDictionary<string, Field>(StringComparer.Ordinal);
        var found = false;
        foreach (var table in document.Descendants<Table>())
        {
            var rows = table.OfType<TableRow>().ToList();
            var header = rows.FirstOrDefault(r => r.IsHeader);
            if (header is null)
            {
                continue;
            }

            var headings = Cells(header, text).ToDictionary(c => c.Key, c => PageReader.Unescape(c.Value).ToLowerInvariant());
            var nameColumn = headings.Where(h => h.Value is "name" or "attribute" or "field" or "key").Select(h => h.Key).DefaultIfEmpty(-1).First();
            if (nameColumn < 0)
            {
                continue;
            }

            var descriptionColumn = headings.Where(h => h.Value.StartsWith("description", StringComparison.Ordinal)).Select(h => h.Key).DefaultIfEmpty(-1).First();
            found = true;
            foreach (var row in rows.Where(r => !r.IsHeader))
            {
                var cells = Cells(row, text);
                if (!cells.TryGetValue(nameColumn, out var rawName) || PageReader.Unescape(rawName) is not { Length: > 0 } name)
                {
                    continue;
                }

                var field = fields.TryGetValue(name, out var existing) ? existing : fields[name] = new Field(name);
                if (descriptionColumn >= 0 && cells.TryGetValue(descriptionColumn, out var description) &&
                    StatedEnumRegex().Match(PageReader.Unescape(description)) is { Success: true } stated)
                {
                    field.Enum = [.. stated.Groups["values"].Value.Split(['/', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(v => v.Trim('"', '\'', '`', ' ')).Where(v => v.Length > 0)];
                }
            }
        }

        var example = document.Descendants<FencedCodeBlock>().FirstOrDefault(f => JsonExample.LooksLikeJson(PageReader.FenceContent(f)));
        if (example is not null)
        {
            found = true;
            var json = JsonExample.Parse(PageReader.FenceContent(example), $"the example at line {(example.Line + 1).ToString(CultureInfo.InvariantCulture)}");
            foreach (var path in JsonExample.Fields(json).Keys)
            {
                fields.TryAdd(path, new Field(path));
            }
        }

        if (!found || fields.Count == 0)
        {
            throw new PageFormatException("the object reference page has no attribute table (name | description) and no example object");
        }

        return fields;
    }

    [GeneratedRegex(@"<a\s+(?:name|id)\s*=\s*[""'](?<name>[^""']+)[""']\s*>\s*(?:</a>)?", RegexOptions.IgnoreCase)]
    private static partial Regex AnchorRegex();

    // `404 Not Found`, `500`, or a bare 500 in a sentence ("API вернёт 500."); not 5** nor digits inside a word, URL or number.
    [GeneratedRegex(@"(?<![\w./#*-])(?<code>[1-5]\d\d)(?![\w*]|\.\d)")]
    private static partial Regex StatusRegex();

    [GeneratedRegex(@"[1-5]\d\d")]
    private static partial Regex CodeRegex();

    // "`type` будет содержать `service_unavailable`", "`type` `oauth`": the next backticked word after `type`.
    [GeneratedRegex(@"`type`[^`.]*?`(?<type>[a-z][a-z0-9_]*)`")]
    private static partial Regex ProseTypeRegex();

    [GeneratedRegex(@"one (?:from|of) (?:this|the following) set\s*\((?<values>[^)]*)\)", RegexOptions.IgnoreCase)]
    private static partial Regex StatedEnumRegex();
}
