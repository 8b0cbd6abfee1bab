using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace UpstreamDrift;

/// <summary>
/// Format 3: Markdown prose (hh.ru). The page is cut into sections at every heading that is not a
/// "Request" / "Response" / "Errors" / "Parameters" sub-heading. A section documents the endpoints
/// of its request blocks (a code block whose lines read "GET /artifacts/photo"); everything else in
/// the section applies to all of them:
/// <list type="bullet">
/// <item>a backticked media type in the request part ("send a request `multipart/form-data`") names the request body;</item>
/// <item>a field table (Name | Type | Description, Name | Required | Description) in the request part gives the
/// body fields (multipart parts) when a media type was named, otherwise parameters; in the response part it
/// gives response fields ("for each 'items' element:" puts them under items[]);</item>
/// <item>"Accepted parameters:" followed by a bullet list of `name` - text gives parameters (or body fields);</item>
/// <item>a backticked status ("`201 Created`") in a sentence is a response; a following JSON example is its
/// application/json body, "body-less" says it has none; a link to an in-page anchor whose table lists fields
/// ("Response fields are the same as for [...](#item)") adds that table's fields;</item>
/// <item>a bullet list of statuses ("* `403 Forbidden` – ...") adds responses whose bodies are not documented.</item>
/// </list>
/// Prose pages document neither the server (unless a request block has a full URL) nor auth (unless the page
/// shows an "Authorization: Bearer" header), so those are not compared.
/// </summary>
internal static partial class MarkdownPageParser
{
    private enum Phase
    {
        Request,
        Response,
    }

    public static bool TryParse(MarkdownDocument document, string text, out ApiContract contract)
    {
        contract = null!;
        var blocks = document.ToList();
        if (!blocks.Any(b => b is FencedCodeBlock fence && RequestLines(fence) is { Count: > 0 }))
        {
            return false;
        }

        var anchors = AnchorTables(blocks, text);
        var page = new ApiContract("Markdown prose page");
        var section = new Section();
        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading)
            {
                var title = PageReader.Unescape(PageReader.Raw(text, heading).TrimStart('#'));
                if (PhaseOf(title) is { } phase)
                {
                    section.Phase = phase;
                    section.LastParagraph = null;
                    continue;
                }

                section.Finish(page);
                section = new Section();
                continue;
            }

            section.Add(block, text, anchors);
        }

        section.Finish(page);

        if (AuthRegex().Match(text) is { Success: true } auth)
        {
            page.AuthSchemes = [new AuthScheme("http " + auth.Groups[1].Value.ToLowerInvariant())];
        }

        if (page.Endpoints.Count == 0)
        {
            throw new PageFormatException("no endpoint found: no request block such as \"GET /path\"");
        }

        contract = page;
        return true;
    }

    private static Phase? PhaseOf(string title)
    {
        var lower = title.Trim().ToLowerInvariant();
        if (lower.StartsWith("request", StringComparison.Ordinal) || lower.StartsWith("parameter", StringComparison.Ordinal))
        {
            return Phase.Request;
        }

        return lower.StartsWith("response", StringComparison.Ordinal) || lower.StartsWith("error", StringComparison.Ordinal)
            ? Phase.Response
            : null;
    }

    /// <summary>The "METHOD /path" lines of a request block, or null when the code block is something else.</summary>
    private static List<(string Method, string Target)>? RequestLines(FencedCodeBlock fence)
    {
        var lines = PageReader.FenceContent(fence).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        var requests = new List<(string, string)>();
        foreach (var line in lines)
        {
            var match = RequestLineRegex().Match(line);
            if (!match.Success)
            {
                return null;
            }

            requests.Add((match.Groups[1].Value, match.Groups[2].Value));
        }

        return requests;
    }

    /// <summary>Tables that follow an in-page anchor (&lt;a name="item"&gt;&lt;/a&gt;), by anchor name.</summary>
    private static Dictionary<string, List<TableRowData>> AnchorTables(List<Block> blocks, string text)
    {
        var tables = new Dictionary<string, List<TableRowData>>(StringComparer.Ordinal);
        string? pending = null;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock:
                    pending = null;
                    break;
                case ParagraphBlock or HtmlBlock when AnchorRegex().Match(PageReader.Raw(text, block)) is { Success: true } anchor:
                    pending = anchor.Groups[1].Value;
                    break;
                case Table table when pending is not null:
                    tables[pending] = ReadTable(table, text);
                    pending = null;
                    break;
                default:
                    break;
            }
        }

        return tables;
    }

    private static List<TableRowData> ReadTable(Table table, string text)
    {
        var rows = table.OfType<TableRow>().ToList();
        var header = rows.FirstOrDefault(r => r.IsHeader);
        if (header is null)
        {
            return [];
        }

        var headings = header.OfType<TableCell>().Select(c => CellText(c, text).ToLowerInvariant()).ToList();
        var nameColumn = headings.FindIndex(h => NameHeadingRegex().IsMatch(h));
        if (nameColumn < 0)
        {
            nameColumn = 0;
        }

        var typeColumn = headings.FindIndex(h => h.Contains("type", StringComparison.Ordinal) || h.Contains("тип", StringComparison.Ordinal));
        var requiredColumn = headings.FindIndex(h => RequiredHeadingRegex().IsMatch(h));

        var result = new List<TableRowData>();
        foreach (var row in rows.Where(r => !r.IsHeader))
        {
            var cells = row.OfType<TableCell>().Select(c => CellText(c, text)).ToList();
            var name = nameColumn < cells.Count ? PageReader.Unescape(cells[nameColumn]) : string.Empty;
            if (name.Length == 0 || name.All(c => c == '.'))
            {
                continue;
            }

            var type = typeColumn >= 0 && typeColumn < cells.Count ? FirstWordRegex().Match(cells[typeColumn].ToLowerInvariant()).Value : null;
            bool? required = requiredColumn >= 0 && requiredColumn < cells.Count ? YesNo(cells[requiredColumn]) : null;
            result.Add(new TableRowData(name, string.IsNullOrEmpty(type) ? null : type, required));
        }

        return result;
    }

    internal static string CellText(TableCell cell, string text) =>
        string.Join(" ", cell.Select(b => PageReader.Raw(text, b))).Trim();

    private static bool? YesNo(string cell)
    {
        var value = PageReader.Unescape(cell).ToLowerInvariant();
        return value switch
        {
            "yes" or "y" or "true" or "required" or "+" or "да" or "обязательный" => true,
            "no" or "n" or "false" or "optional" or "-" or "нет" => false,
            _ => null,
        };
    }

    private sealed record TableRowData(string Name, string? Type, bool? Required);

    /// <summary>What one section of the page says; applied to each of its endpoints at the end.</summary>
    private sealed class Section
    {
        private readonly List<(string Method, string Target)> _requests = [];
        private readonly List<Parameter> _parameters = [];
        private readonly SortedDictionary<string, Response> _responses = new(StringComparer.Ordinal);
        private string? _requestMediaType;
        private SortedDictionary<string, Field>? _requestFields;
        private bool _parameterListFollows;
        private string? _currentStatus;

        public Phase Phase { get; set; } = Phase.Request;

        public string? LastParagraph { get; set; }

        public void Add(Block block, string text, Dictionary<string, List<TableRowData>> anchors)
        {
            var parameterListFollows = _parameterListFollows;
            _parameterListFollows = false;
            switch (block)
            {
                case FencedCodeBlock fence:
                    AddFence(fence);
                    break;
                case ParagraphBlock paragraph:
                    AddParagraph(PageReader.Raw(text, paragraph), anchors);
                    break;
                case ListBlock list:
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        AddListItem(PageReader.Raw(text, item), parameterListFollows);
                    }

                    break;
                case Table table:
                    AddTable(ReadTable(table, text));
                    break;
                default:
                    break;
            }
        }

        private void AddFence(FencedCodeBlock fence)
        {
            if (RequestLines(fence) is { Count: > 0 } requests)
            {
                _requests.AddRange(requests);
                return;
            }

            var content = PageReader.FenceContent(fence);
            var labelledJson = fence.Info?.Trim().StartsWith("json", StringComparison.OrdinalIgnoreCase) == true;
            if (!labelledJson && !JsonExample.LooksLikeJson(content))
            {
                return; // not an example body (a shell snippet, another language)
            }

            var where = $"the example at line {(fence.Line + 1).ToString(CultureInfo.InvariantCulture)}";
            if (!labelledJson && !IsValidJson(content))
            {
                return; // unlabelled and not JSON after all
            }

            var json = JsonExample.Parse(content, where);
            if (Phase == Phase.Request && _currentStatus is null)
            {
                _requestMediaType ??= "application/json";
                JsonExample.Collect(json, string.Empty, _requestFields ??= new(StringComparer.Ordinal));
                return;
            }

            JsonExample.Collect(json, string.Empty, JsonFields(_currentStatus ?? "200"));
        }

        private void AddParagraph(string raw, Dictionary<string, List<TableRowData>> anchors)
        {
            var anchorOnly = AnchorRegex().IsMatch(raw) && HtmlTagRegex().Replace(raw, string.Empty).Trim().Length == 0;
            if (anchorOnly)
            {
                return;
            }

            foreach (Match status in StatusRegex().Matches(raw))
            {
                var response = Status(status.Groups[1].Value);
                if (BodylessRegex().IsMatch(raw))
                {
                    response.Content ??= new SortedDictionary<string, MediaContent>(StringComparer.Ordinal);
                }
            }

            if (Phase == Phase.Request && _currentStatus is null)
            {
                foreach (Match mediaType in MediaTypeRegex().Matches(raw))
                {
                    _requestMediaType = OpenApiContractReader.NormalizeMediaType(mediaType.Groups[1].Value);
                }
            }

            if (_currentStatus is not null || Phase == Phase.Response)
            {
                foreach (Match link in InPageLinkRegex().Matches(raw))
                {
                    if (anchors.TryGetValue(link.Groups[1].Value, out var rows) && rows.Count > 0)
                    {
                        var fields = JsonFields(_currentStatus ?? "200");
                        foreach (var row in rows)
                        {
                            fields.TryAdd(row.Name, new Field(row.Name) { Required = row.Required });
                        }
                    }
                }
            }

            _parameterListFollows = ParametersIntroRegex().IsMatch(raw.Trim());
            LastParagraph = raw;
        }

        private void AddListItem(string raw, bool parameterList)
        {
            if (ListStatusRegex().Match(raw) is { Success: true } status)
            {
                Status(status.Groups[1].Value);
                return;
            }

            if (!parameterList || ListParameterRegex().Match(raw) is not { Success: true } parameter)
            {
                return;
            }

            var name = PageReader.Unescape(parameter.Groups[1].Value);
            var rest = parameter.Groups[2].Value;
            bool? required = RequiredWordRegex().IsMatch(rest) ? true : OptionalWordRegex().IsMatch(rest) ? false : null;
            AddRequestItem(name, null, required);
        }

        private void AddTable(List<TableRowData> rows)
        {
            if (Phase == Phase.Request && _currentStatus is null)
            {
                foreach (var row in rows)
                {
                    AddRequestItem(row.Name, row.Type, row.Required);
                }

                return;
            }

            // "where for each 'items' element:" puts the table's fields under items[].
            var prefix = LastParagraph is not null && EachElementRegex().Match(LastParagraph) is { Success: true } each
                ? each.Groups[1].Value + "[]."
                : string.Empty;
            var fields = JsonFields(_currentStatus ?? "200");
            foreach (var row in rows)
            {
                var path = prefix + row.Name;
                if (!fields.TryAdd(path, new Field(path) { Required = row.Required }) && row.Required is not null)
                {
                    fields[path].Required = row.Required;
                }
            }
        }

        private void AddRequestItem(string name, string? type, bool? required)
        {
            if (_requestMediaType is not null)
            {
                var fields = _requestFields ??= new SortedDictionary<string, Field>(StringComparer.Ordinal);
                fields[name] = new Field(name) { Required = required };
                return;
            }

            _parameters.RemoveAll(p => p.Name == name);
            _parameters.Add(new Parameter(name, null) { Required = required, Type = type });
        }

        private Response Status(string code)
        {
            _currentStatus = code;
            if (!_responses.TryGetValue(code, out var response))
            {
                response = new Response(code);
                _responses[code] = response;
            }

            return response;
        }

        private SortedDictionary<string, Field> JsonFields(string status)
        {
            var response = Status(status);
            response.Content ??= new SortedDictionary<string, MediaContent>(StringComparer.Ordinal);
            if (!response.Content.TryGetValue("application/json", out var media))
            {
                media = new MediaContent("application/json");
                response.Content["application/json"] = media;
            }

            return media.EnsureFields();
        }

        public void Finish(ApiContract page)
        {
            foreach (var (method, target) in _requests)
            {
                var path = target;
                if (UrlRegex().Match(target) is { Success: true } url)
                {
                    (page.Servers ??= new SortedSet<string>(StringComparer.Ordinal)).Add(OpenApiContractReader.NormalizeServer(url.Groups[1].Value));
                    path = url.Groups[2].Value.Length == 0 ? "/" : url.Groups[2].Value;
                }

                var query = path.IndexOf('?', StringComparison.Ordinal);
                var queryNames = query >= 0
                    ? path[(query + 1)..].Split('&').Select(p => p.Split('=')[0]).Where(n => n.Length > 0).ToList()
                    : [];
                if (query >= 0)
                {
                    path = path[..query];
                }

                var endpoint = new Endpoint(method, path);
                foreach (Match match in PathParameterRegex().Matches(path))
                {
                    endpoint.Parameters.Add(new Parameter(match.Groups[1].Value, "path") { Required = true });
                }

                endpoint.Parameters.AddRange(queryNames.Select(n => new Parameter(n, "query")));
                endpoint.Parameters.AddRange(_parameters.Where(p => !endpoint.Parameters.Any(e => e.Name == p.Name)));

                if (_requestMediaType is not null)
                {
                    var media = new MediaContent(_requestMediaType) { Fields = _requestFields };
                    endpoint.Body = new RequestBody { Content = new SortedDictionary<string, MediaContent>(StringComparer.Ordinal) { [_requestMediaType] = media } };
                }

                endpoint.Responses = _responses.Count > 0 ? _responses : null;
                if (!page.Endpoints.Any(e => e.Method == endpoint.Method && e.Path == endpoint.Path))
                {
                    page.Endpoints.Add(endpoint);
                }
            }
        }

        private static bool IsValidJson(string content)
        {
            try
            {
                JsonExample.Parse(content, "an unlabelled code block");
                return true;
            }
            catch (PageFormatException)
            {
                return false;
            }
        }
    }

    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)$")]
    private static partial Regex RequestLineRegex();

    [GeneratedRegex(@"^(https?://[^/?#\s]+)(.*)$")]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"\{([^{}/]+)\}")]
    private static partial Regex PathParameterRegex();

    [GeneratedRegex(@"<a\s+(?:name|id)\s*=\s*[""']([^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex AnchorRegex();

    [GeneratedRegex(@"<[^<>]+>")]
    private static partial Regex HtmlTagRegex();

    [GeneratedRegex(@"`([1-5][0-9]{2})(?:\s[^`]*)?`")]
    private static partial Regex StatusRegex();

    [GeneratedRegex(@"^\s*[*+-]\s+`?([1-5][0-9]{2})\b")]
    private static partial Regex ListStatusRegex();

    [GeneratedRegex(@"^\s*[*+-]\s+`([^`]+)`(.*)$", RegexOptions.Singleline)]
    private static partial Regex ListParameterRegex();

    [GeneratedRegex(@"`((?:application|multipart|text|image)/[a-z0-9.+\-]+)`", RegexOptions.IgnoreCase)]
    private static partial Regex MediaTypeRegex();

    [GeneratedRegex(@"\]\(#([^)\s]+)\)")]
    private static partial Regex InPageLinkRegex();

    [GeneratedRegex(@"parameters\s*:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ParametersIntroRegex();

    [GeneratedRegex(@"body-?less|\bno (?:response )?body\b|without (?:a )?body|empty body", RegexOptions.IgnoreCase)]
    private static partial Regex BodylessRegex();

    [GeneratedRegex(@"\beach\s+['""`‘’“”]?([A-Za-z0-9_.\[\]]+?)['""`‘’“”]?\s+(?:element|item|entry|object)", RegexOptions.IgnoreCase)]
    private static partial Regex EachElementRegex();

    [GeneratedRegex(@"\brequired\b|\bобязательн", RegexOptions.IgnoreCase)]
    private static partial Regex RequiredWordRegex();

    [GeneratedRegex(@"\boptional\b|\bнеобязательн", RegexOptions.IgnoreCase)]
    private static partial Regex OptionalWordRegex();

    [GeneratedRegex(@"^(name|parameter|param|field|key|имя|параметр|поле)", RegexOptions.IgnoreCase)]
    private static partial Regex NameHeadingRegex();

    [GeneratedRegex(@"required|mandatory|обязательн", RegexOptions.IgnoreCase)]
    private static partial Regex RequiredHeadingRegex();

    [GeneratedRegex(@"^[a-zа-я]+")]
    private static partial Regex FirstWordRegex();

    [GeneratedRegex(@"Authorization:\s*(Bearer|Basic)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AuthRegex();
}
