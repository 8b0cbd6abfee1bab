using System;
using CandidateFiles.HeadHunter;
using CandidateFiles.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the hh.ru client (<see cref="IHeadHunterClient"/>) with dependency injection, on an
/// <c>IHttpClientFactory</c> client that carries the SDK's whole pipeline (retries, timeouts, logging,
/// redirects, authentication, traces and metrics). Options are checked when the host starts.
/// </summary>
/// <remarks>
/// Without a name, inject <see cref="IHeadHunterClient"/>. With a name (several instances side by side, each with
/// its own settings and credentials), inject <c>[FromKeyedServices("name")] IHeadHunterClient</c> or call
/// <c>GetRequiredKeyedService&lt;IHeadHunterClient&gt;("name")</c>. Set <see cref="CandidateFiles.Auth.BearerTokenOptions.AccessTokenCallback"/> in <c>configure</c> (it cannot come from configuration).
/// </remarks>
public static class HeadHunterServiceCollectionExtensions
{
    /// <summary>Registers the default <see cref="IHeadHunterClient"/>, its options bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section of <see cref="HeadHunterClientOptions"/> (for example <c>configuration.GetSection("CandidateFiles:HeadHunter")</c>).</param>
    /// <param name="configure">Sets further options in code, after binding (services at hand), or null.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddHeadHunterClient(this IServiceCollection services, IConfiguration configuration, Action<HeadHunterClientOptions, IServiceProvider>? configure = null)
        => services.AddHeadHunterClient(Options.Options.DefaultName, configuration ?? throw new ArgumentNullException(nameof(configuration)), configure);

    /// <summary>Registers the default <see cref="IHeadHunterClient"/>, its options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddHeadHunterClient(this IServiceCollection services, Action<HeadHunterClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddHeadHunterClient(Options.Options.DefaultName, null, (options, _) => configure(options));
    }

    /// <summary>
    /// Registers the <see cref="IHeadHunterClient"/> named <paramref name="name"/> (a keyed service; <see cref="Options.Options.DefaultName"/>
    /// registers the default one), its options bound from <paramref name="configuration"/> and/or set by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, which is also its service key.</param>
    /// <param name="configuration">The configuration section of this instance's <see cref="HeadHunterClientOptions"/>, or null to set everything in code.</param>
    /// <param name="configure">Sets options in code, after binding (services at hand), or null.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddHeadHunterClient(this IServiceCollection services, string name, IConfiguration? configuration, Action<HeadHunterClientOptions, IServiceProvider>? configure = null)
        => ProviderClientRegistration<IHeadHunterClient, HeadHunterClientOptions>.Add(
            services,
            name,
            configuration,
            configure,
            (_, _, options) => HeadHunterClient.CreateProviderHandlers(options, transport: null),
            (options, http) => new HeadHunterClient(options, http));
}
