using System;
using CandidateFiles.Ehrweb;
using CandidateFiles.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the 104 Ehrweb Resume client (<see cref="IEhrwebResumeClient"/>) with dependency injection, on an
/// <c>IHttpClientFactory</c> client that carries the SDK's whole pipeline (retries, timeouts, logging,
/// redirects, authentication, traces and metrics). Options are checked when the host starts.
/// </summary>
/// <remarks>
/// Without a name, inject <see cref="IEhrwebResumeClient"/>. With a name (several instances side by side, each with
/// its own settings and credentials), inject <c>[FromKeyedServices("name")] IEhrwebResumeClient</c> or call
/// <c>GetRequiredKeyedService&lt;IEhrwebResumeClient&gt;("name")</c>. Each named instance has its own OAuth token cache, shared by every client and handler chain of that instance.
/// </remarks>
public static class EhrwebServiceCollectionExtensions
{
    /// <summary>Registers the default <see cref="IEhrwebResumeClient"/>, its options bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section of <see cref="EhrwebResumeClientOptions"/> (for example <c>configuration.GetSection("CandidateFiles:Ehrweb")</c>).</param>
    /// <param name="configure">Sets further options in code, after binding (services at hand), or null.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddEhrwebResumeClient(this IServiceCollection services, IConfiguration configuration, Action<EhrwebResumeClientOptions, IServiceProvider>? configure = null)
        => services.AddEhrwebResumeClient(Options.Options.DefaultName, configuration ?? throw new ArgumentNullException(nameof(configuration)), configure);

    /// <summary>Registers the default <see cref="IEhrwebResumeClient"/>, its options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddEhrwebResumeClient(this IServiceCollection services, Action<EhrwebResumeClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddEhrwebResumeClient(Options.Options.DefaultName, null, (options, _) => configure(options));
    }

    /// <summary>
    /// Registers the <see cref="IEhrwebResumeClient"/> named <paramref name="name"/> (a keyed service; <see cref="Options.Options.DefaultName"/>
    /// registers the default one), its options bound from <paramref name="configuration"/> and/or set by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, which is also its service key.</param>
    /// <param name="configuration">The configuration section of this instance's <see cref="EhrwebResumeClientOptions"/>, or null to set everything in code.</param>
    /// <param name="configure">Sets options in code, after binding (services at hand), or null.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddEhrwebResumeClient(this IServiceCollection services, string name, IConfiguration? configuration, Action<EhrwebResumeClientOptions, IServiceProvider>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<EhrwebTokenSources>();
        return ProviderClientRegistration<IEhrwebResumeClient, EhrwebResumeClientOptions>.Add(
            services,
            name,
            configuration,
            configure,
            (provider, name, options) => EhrwebResumeClient.CreateProviderHandlers(options, hosts => (provider.GetRequiredService<EhrwebTokenSources>().Get(name, options, hosts), null)),
            (options, http) => new EhrwebResumeClient(options, http));
    }
}
