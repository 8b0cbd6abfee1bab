using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>Decides whether credentials may be attached to a request URL.</summary>
/// <remarks>
/// Kiota's <see cref="AllowedHostsValidator"/> allows every host when its list is empty; this never does: the
/// list holds at least the endpoint's host. Credentials also require https, except to loopback (tests, the
/// sandbox). On the endpoint's own host only the endpoint's origin is allowed: a redirect to another port or
/// scheme of that host (another service, a debug listener) gets no credentials.
/// </remarks>
internal sealed class CredentialHosts
{
    private readonly AllowedHostsValidator _validator;
    private readonly Uri _origin;

    private CredentialHosts(Uri origin, IEnumerable<string> hosts)
    {
        Hosts = hosts.Where(h => !string.IsNullOrWhiteSpace(h)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (Hosts.Count == 0)
        {
            throw new ArgumentException("At least one host must be allowed to receive credentials.", nameof(hosts));
        }

        _validator = new AllowedHostsValidator(Hosts);
        _origin = origin;
    }

    /// <summary>The allowed hosts, the endpoint's first.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>The check for a provider: its endpoint's origin plus any extra hosts.</summary>
    public static CredentialHosts For(Uri endpoint, IEnumerable<string>? additional)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new CredentialHosts(endpoint, (additional ?? []).Prepend(endpoint.Host));
    }

    /// <summary>True when credentials may be sent to <paramref name="uri"/>: an allowed host over a safe transport.</summary>
    public bool Allows(Uri? uri)
        => uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)
           && (string.Equals(uri.Host, _origin.Host, StringComparison.OrdinalIgnoreCase)
               ? uri.Port == _origin.Port && string.Equals(uri.Scheme, _origin.Scheme, StringComparison.OrdinalIgnoreCase)
               : _validator.IsUrlHostValid(uri));
}
