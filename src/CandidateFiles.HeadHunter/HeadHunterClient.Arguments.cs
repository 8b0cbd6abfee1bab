using System;
using System.Globalization;
using System.Net.Http;
using System.Text;

namespace CandidateFiles.HeadHunter;

/// <summary>The arguments of hh.ru's calls, checked on the URL the generated code built, before anything is sent.</summary>
public partial class HeadHunterClient
{
    private const string ArtifactPathPrefix = "artifacts/";

    /// <summary>
    /// Refuses, naming the caller's parameter: an artifact <c>id</c> that is empty, white space or a dot segment
    /// (<c>".."</c> would turn <c>DELETE /artifacts/..</c> into <c>DELETE /</c>), a negative <c>page</c>, and a
    /// <c>perPage</c> below 1.
    /// </summary>
    /// <param name="request">The request being built.</param>
    /// <param name="urlBuilder">The URL as built so far (base URL, path, the generated query).</param>
    private void CheckArguments(HttpRequestMessage request, StringBuilder urlBuilder)
    {
        var url = urlBuilder.ToString();
        var relative = !string.IsNullOrEmpty(BaseUrl) && url.StartsWith(BaseUrl, StringComparison.Ordinal) ? url[BaseUrl.Length..] : url;
        var mark = relative.IndexOf('?', StringComparison.Ordinal);
        var path = mark < 0 ? relative : relative[..mark];
        var query = mark < 0 ? string.Empty : relative[(mark + 1)..];
        if ((request.Method == HttpMethod.Delete || request.Method == HttpMethod.Put) && path.StartsWith(ArtifactPathPrefix, StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path[ArtifactPathPrefix.Length..]);
            if (string.IsNullOrWhiteSpace(id) || id is "." or "..")
            {
                throw InvalidArgument.For("id", "id is empty, white space or a dot segment: pass the id hh.ru gave the artifact (ListPhotosAsync, ListPortfolioAsync, UploadArtifactAsync).");
            }
        }

        if (path is "artifacts/photo" or "artifacts/portfolio")
        {
            if (Number(QueryString.Get(query, "page")) is < 0 and var page)
            {
                throw InvalidArgument.For("page", $"page is {page}: hh.ru counts pages from 0.");
            }

            if (Number(QueryString.Get(query, "per_page")) is < 1 and var perPage)
            {
                throw InvalidArgument.For("perPage", $"perPage is {perPage}: pass at least 1 (or leave it out for hh.ru's default).");
            }
        }
    }

    private static int? Number(string? text)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
}
