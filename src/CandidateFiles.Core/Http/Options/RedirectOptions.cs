namespace CandidateFiles;

/// <summary>
/// Which redirects a client follows. By default only redirects that stay on the endpoint's origin (same scheme,
/// host and port) are followed; any other is refused and surfaces as the provider's exception with the 3xx status.
/// </summary>
public sealed class RedirectOptions
{
    /// <summary>
    /// Hosts (exact names, compared case-insensitively) a redirect may lead to besides the endpoint's origin, over
    /// https (http only when the endpoint is http too). No credential header is sent to them. Link-local, private, loopback and cloud metadata
    /// addresses are refused even when listed (see <c>RedirectFollower</c>).
    /// </summary>
    public ISet<string> AllowedHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Most redirects followed in one attempt (default 5, at most 20; 0 follows none).</summary>
    public int MaxRedirects { get; set; } = 5;

    internal void Validate(Func<string, string, ArgumentException> invalid)
    {
        if (MaxRedirects is < 0 or > 20)
        {
            throw invalid("Redirects.MaxRedirects", $"must be between 0 and 20, not {MaxRedirects}.");
        }

        foreach (var host in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                throw invalid("Redirects.AllowedHosts", $"must hold host names only (no scheme, port or path), not '{host}'.");
            }
        }
    }
}
