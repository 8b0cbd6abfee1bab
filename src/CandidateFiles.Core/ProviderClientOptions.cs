using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CandidateFiles;

/// <summary>Settings every provider client shares. Each provider package derives its own options class.</summary>
public abstract class ProviderClientOptions
{
    /// <summary>
    /// Base URL of the provider API. Null uses the production server from the provider's spec.
    /// Point it at a sandbox or a test server to call something else.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Most bytes of an error response body the client reads to build its exception (default 64 KiB),
    /// so a huge error page cannot exhaust memory.
    /// </summary>
    public int MaxErrorBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Most bytes of a success body the client reads into memory (default 16 MiB): a JSON result, or any body the
    /// generated code reads whole. A larger one is the provider's exception (a 2xx whose body could not be used),
    /// thrown on the first byte over the cap, so a server sending hundreds of MiB costs about twice this at most.
    /// File downloads are streams and are not limited by it. Between 64 KiB and 1 GiB.
    /// </summary>
    public int MaxBufferedBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Extra hosts credentials may be sent to, besides the host of <see cref="Endpoint"/> (or the
    /// spec's server) and the provider's own token host. Credentials never go anywhere else.
    /// </summary>
    public IList<string> AdditionalAllowedHosts { get; } = new List<string>();

    /// <summary>Retries: counts and delays.</summary>
    public RetryOptions Retry { get; } = new();

    /// <summary>Time limits: per attempt and overall.</summary>
    public TimeoutOptions Timeouts { get; } = new();

    /// <summary>Which redirects are followed: by default only those on the endpoint's own origin.</summary>
    public RedirectOptions Redirects { get; } = new();

    /// <summary>
    /// Where the client logs each attempt (method, redacted path, status, attempt, duration) under the
    /// category <c>CandidateFiles.&lt;Provider&gt;</c>. Null logs nothing.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Query parameters whose values are logged as they are (as Azure's <c>DiagnosticsOptions.LoggedQueryParameters</c>);
    /// every other query value is logged as "***" and, when an answer echoes it, redacted from exceptions like a
    /// credential. Each provider's options start with the parameters of its API that carry no identity or secret
    /// (a page, a type, a site); add a name to see its values, remove one to hide them. Names are case-insensitive.
    /// </summary>
    public ISet<string> LoggedQueryParameters { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Clock and timers (for tests); null uses the system's.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Short name of the client in telemetry and its logger category's last part (the options class name without "ClientOptions").</summary>
    internal string ClientName => GetType().Name.Replace("ClientOptions", string.Empty, StringComparison.Ordinal);

    /// <summary>Name of the provider package's ActivitySource and Meter (its assembly name, <c>CandidateFiles.&lt;Provider&gt;</c>).</summary>
    internal string TelemetryName => GetType().Assembly.GetName().Name ?? "CandidateFiles";

    /// <summary>Display name of the provider, used in messages.</summary>
    protected internal abstract string ProviderName { get; }

    /// <summary>Checks the settings; called once when a client is constructed, and when the host starts for registered clients.</summary>
    /// <exception cref="ArgumentException">A setting is wrong; the message names it and how to fix it, <see cref="ArgumentException.ParamName"/> is its property name.</exception>
    public virtual void Validate()
    {
        if (Endpoint is not null && !Endpoint.IsAbsoluteUri)
        {
            throw Invalid(nameof(Endpoint), $"must be an absolute URL such as https://host/, not '{Endpoint}'.");
        }

        if (MaxErrorBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw Invalid(nameof(MaxErrorBodyBytes), $"must be between 1024 and 16777216 bytes, not {MaxErrorBodyBytes}.");
        }

        if (MaxBufferedBodyBytes is < 64 * 1024 or > 1024 * 1024 * 1024)
        {
            throw Invalid(nameof(MaxBufferedBodyBytes), $"must be between 65536 and 1073741824 bytes, not {MaxBufferedBodyBytes}.");
        }

        if (Endpoint is { IsAbsoluteUri: true } endpoint && endpoint.Scheme != Uri.UriSchemeHttps && !endpoint.IsLoopback)
        {
            throw Invalid(nameof(Endpoint), $"must use https (http is allowed only for loopback test servers), not '{endpoint.GetLeftPart(UriPartial.Authority)}'.");
        }

        Retry.Validate(Invalid);
        Timeouts.Validate(Invalid);
        Redirects.Validate(Invalid);
    }

    // The logger for this provider's HTTP traffic (a no-op one when LoggerFactory is null).
    internal ILogger CreateLogger() => (LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CandidateFiles." + ClientName);

    /// <summary>The secret values these options hold (API keys, client secrets, static tokens), for redaction.</summary>
    /// <returns>The secrets; empty when none.</returns>
    protected internal virtual IEnumerable<string> GetSecrets() => Array.Empty<string>();

    /// <summary>
    /// Request headers that carry this provider's credentials, besides HTTP's own (Authorization,
    /// Proxy-Authorization, Cookie, always included): removed when a redirect leaves the host, never copied
    /// from a response into an exception, and redacted wherever an answer echoes their values.
    /// </summary>
    protected internal virtual IEnumerable<string> CredentialHeaderNames => Array.Empty<string>();

    /// <summary>Builds the exception <see cref="Validate"/> throws for one setting.</summary>
    /// <param name="setting">The setting's property name.</param>
    /// <param name="problem">What is wrong and how to fix it, as the end of a sentence.</param>
    /// <returns>The exception to throw.</returns>
    protected ArgumentException Invalid(string setting, string problem)
        => new($"{GetType().Name}.{setting} {problem}", setting);
}
