using System.Net;

namespace CandidateFiles;

/// <summary>
/// Follows redirects that keep to the rules of <see cref="RedirectOptions"/> and hands every other 3xx back
/// untouched (with <see cref="RefusalKey"/> saying why), so it becomes the provider's exception. Synchronous
/// bookkeeping between the sends of <see cref="CallHandler"/>'s attempt, not a handler of its own.
/// </summary>
/// <remarks>
/// <para>Replaces Kiota's <c>RedirectHandler</c> (2.1.6), which read every 3xx body whole, copied the request body
/// for each hop, followed any host scrubbing three headers, and threw on a scheme change, a consumed stream or a
/// relative <c>Location</c>.</para>
/// <para>Per hop: <c>Location</c> resolved per RFC 3986; http and https only; the endpoint's origin (scheme, host,
/// port) with credentials; another origin only when allowed, never a downgrade, with generic headers only, and
/// never to a loopback, link-local, private or metadata address (checked on the URL: resolving here would not bind
/// the connection to the checked address). 301/302 turn a POST into a GET and 303 anything but HEAD, as browsers
/// do; 307/308 resend the body only when it can be sent again without a copy. A 3xx body is not read: disposing
/// the response lets the transport drain at most <c>MaxResponseDrainSize</c>. After the hops the request is
/// restored (<see cref="Trail.Restore"/>), so a retry starts at the origin.</para>
/// </remarks>
internal sealed class RedirectFollower(RedirectOptions options)
{
    /// <summary>Request option set when a 3xx is handed back: why it was not followed (no URL query in it).</summary>
    internal static readonly HttpRequestOptionsKey<string> RefusalKey = new("CandidateFiles.RedirectRefused");

    private static readonly string[] MetadataHosts = ["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.oraclecloud.com"];

    /// <summary>Request headers kept on a redirect to another origin; every other one is removed.</summary>
    private static readonly HashSet<string> PortableHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Encoding", "Accept-Language", "User-Agent", "Range", "If-Range", "If-None-Match", "If-Modified-Since", "Expect",
    };

    /// <summary>
    /// Readies <paramref name="request"/> for the hop <paramref name="response"/> asks for (disposing the response)
    /// and returns true; false when it is no redirect, or one refused (then <see cref="RefusalKey"/> says why).
    /// <paramref name="trail"/> records what the hops changed, made at the first redirect.
    /// </summary>
    public bool TryFollow(HttpRequestMessage request, HttpResponseMessage response, ref Trail? trail)
    {
        if (!IsRedirect(response.StatusCode) || request.RequestUri is not { IsAbsoluteUri: true })
        {
            return false;
        }

        if (request.Options.TryGetValue(ProviderHttpPipeline.FollowRedirectsKey, out var follow) && !follow)
        {
            request.Options.Set(RefusalKey, "this request is never redirected (its body carries a credential)");
            return false;
        }

        trail ??= new Trail(request);
        var refusal = Refusal(response, request, trail.Origin, trail.Hops, out var next);
        if (refusal is not null)
        {
            request.Options.Set(RefusalKey, refusal);
            return false;
        }

        var status = (int)response.StatusCode;
        response.Dispose();
        if ((status is 301 or 302 && request.Method == HttpMethod.Post) || (status == 303 && request.Method != HttpMethod.Head))
        {
            request.Method = HttpMethod.Get;
            request.Content = null;
        }

        if (!SameOrigin(next!, trail.Origin))
        {
            // Credentials, and provider headers that describe the caller, stay with the endpoint.
            foreach (var (name, values) in request.Headers.NonValidated.Where(header => !PortableHeaders.Contains(header.Key)).ToList())
            {
                trail.Removed.Add((name, values.ToArray()));
                request.Headers.Remove(name);
            }
        }

        request.RequestUri = next;
        trail.Hops++;
        return true;
    }

    /// <summary>True for loopback, link-local, private (RFC 1918), shared (RFC 6598), unspecified and unique-local IP literals, and metadata host names.</summary>
    internal static bool IsBlockedAddress(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.');
        if (Array.Exists(MetadataHosts, name => host.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return false;
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var b = address.GetAddressBytes();

        // IPv6: fe80::/10 link-local, fec0::/10 site-local, fc00::/7 unique-local (AWS's fd00:ec2::254 metadata among them).
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || (b.Length == 16
            ? address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (b[0] & 0xFE) == 0xFC
            : b[0] is 0 or 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127));
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri a, Uri b)
        => string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;

    /// <summary>Why the redirect in <paramref name="response"/> is not followed, or null (with <paramref name="next"/> set) when it is.</summary>
    private string? Refusal(HttpResponseMessage response, HttpRequestMessage request, Uri origin, int hops, out Uri? next)
    {
        next = null;
        var location = response.Headers.Location;
        if (location is null || location.OriginalString.Length == 0)
        {
            return "it has no Location";
        }

        if (hops >= options.MaxRedirects)
        {
            return $"more than {options.MaxRedirects} redirects (Redirects.MaxRedirects)";
        }

        // RFC 3986 section 5: a relative reference is resolved against the URL that was redirected.
        if (!(location.IsAbsoluteUri ? Uri.TryCreate(location.OriginalString, UriKind.Absolute, out next) : Uri.TryCreate(request.RequestUri, location.OriginalString, out next)) || next is null)
        {
            return "its Location is not a usable URL";
        }

        if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
        {
            return $"it leads to a {next.Scheme}: URL (only http and https are followed)";
        }

        if ((int)response.StatusCode is 307 or 308 && !ReplayableContent.CanReplay(request.Content))
        {
            return $"a {(int)response.StatusCode} resends the request body, and this one cannot be sent again (a stream that cannot seek); give a seekable stream to let it be replayed";
        }

        if (SameOrigin(next, origin))
        {
            return null;
        }

        var target = $"{next.Scheme}://{next.IdnHost}:{next.Port}";
        if (IsBlockedAddress(next))
        {
            return $"it leads to {target}, a loopback, link-local, private or metadata address";
        }

        if ((next.Scheme != Uri.UriSchemeHttps && next.Scheme != origin.Scheme) || !options.AllowedHosts.Contains(next.IdnHost))
        {
            return $"it leads off the endpoint's origin to {target} (allow an https host in Redirects.AllowedHosts to follow it, without credentials)";
        }

        return null;
    }

    /// <summary>What the hops of one attempt changed on its request.</summary>
    internal sealed class Trail(HttpRequestMessage request)
    {
        private readonly HttpMethod _method = request.Method;
        private readonly HttpContent? _content = request.Content;

        public Uri Origin { get; } = request.RequestUri!;

        public int Hops { get; set; }

        public List<(string Name, string[] Values)> Removed { get; } = [];

        /// <summary>Puts the request back as it was sent to the origin, so a retry starts there with the headers set for it.</summary>
        public void Restore()
        {
            request.RequestUri = Origin;
            request.Method = _method;
            request.Content = _content;
            foreach (var (name, values) in Removed)
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, values);
            }
        }
    }
}
