using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CandidateFiles.Auth;

/// <summary>Decides whether credentials may be attached to a request URL.</summary>
/// <remarks>
/// Kiota's <see cref="AllowedHostsValidator"/> allows every host when its list is empty; this never
/// is: the list always holds at least the configured endpoint's host. Credentials also require
/// https, except to loopback addresses (tests and the local sandbox).
/// </remarks>
internal sealed class CredentialHosts
{
    private readonly AllowedHostsValidator _validator;
    private Uri? _origin;

    /// <summary>Creates the check.</summary>
    /// <param name="hosts">Allowed host names; at least one.</param>
    public CredentialHosts(IEnumerable<string> hosts)
    {
        var list = (hosts ?? throw new ArgumentNullException(nameof(hosts)))
            .Where(h => !string.IsNullOrWhiteSpace(h)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one host must be allowed to receive credentials.", nameof(hosts));
        }

        _validator = new AllowedHostsValidator(list);
        Hosts = list;
    }

    /// <summary>The allowed hosts.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>True when credentials may be sent to <paramref name="uri"/>.</summary>
    /// <param name="uri">The request URL.</param>
    /// <returns>Whether the host is allowed and the transport is safe.</returns>
    public bool Allows(Uri? uri)
    {
        if (uri is not { IsAbsoluteUri: true } || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            return false;
        }

        // On the endpoint's own host, only the endpoint's origin: a redirect to another port or scheme of the
        // same host (another service, a debug listener) gets no credentials.
        if (_origin is not null && string.Equals(uri.Host, _origin.Host, StringComparison.OrdinalIgnoreCase))
        {
            return uri.Port == _origin.Port && string.Equals(uri.Scheme, _origin.Scheme, StringComparison.OrdinalIgnoreCase);
        }

        return _validator.IsUrlHostValid(uri);
    }

    /// <summary>Builds the check for a provider: its endpoint's origin (scheme, host, port) plus any extra hosts.</summary>
    /// <param name="endpoint">The API base URL.</param>
    /// <param name="additional">Extra allowed hosts.</param>
    /// <returns>The check.</returns>
    public static CredentialHosts For(Uri endpoint, IEnumerable<string> additional)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new CredentialHosts(new[] { endpoint.Host }.Concat(additional ?? Array.Empty<string>())) { _origin = endpoint.IsAbsoluteUri ? endpoint : null };
    }
}
