using System;
using CandidateFiles.HrFlow;
using CandidateFiles.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the HrFlow.ai client (<see cref="IHrFlowClient"/>) with dependency injection, on an
/// <c>IHttpClientFactory</c> client that carries the SDK's whole pipeline (retries, timeouts, logging,
/// redirects, authentication, traces and metrics). Options are checked when the host starts.
/// </summary>
/// <remarks>
/// Without a name, inject <see cref="IHrFlowClient"/>. With a name (several instances side by side, each with
/// its own settings and credentials), inject <c>[FromKeyedServices("name")] IHrFlowClient</c> or call
/// <c>GetRequiredKeyedService&lt;IHrFlowClient&gt;("name")</c>. Keep <c>ApiKey</c> out of appsettings.json: user secrets, environment variables or a vault.
/// </remarks>
public static class HrFlowServiceCollectionExtensions
{
    /// <summary>Registers the default <see cref="IHrFlowClient"/>, its options bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section of <see cref="HrFlowClientOptions"/> (for example <c>configuration.GetSection("CandidateFiles:HrFlow")</c>).</param>
    /// <param name="configure">Sets further options in code, after binding (services at hand), or null.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddHrFlowClient(this IServiceCollection services, IConfiguration configuration, Action<HrFlowClientOptions, IServiceProvider>? configure = null)
        => services.AddHrFlowClient(Options.Options.DefaultName, configuration ?? throw new ArgumentNullException(nameof(configuration)), configure);

    /// <summary>Registers the default <see cref="IHrFlowClient"/>, its options set in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddHrFlowClient(this IServiceCollection services, Action<HrFlowClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddHrFlowClient(Options.Options.DefaultName, null, (options, _) => configure(options));
    }

    /// <summary>
    /// Registers the <see cref="IHrFlowClient"/> named <paramref name="name"/> (a keyed service; <see cref="Options.Options.DefaultName"/>
    /// registers the default one), its options bound from <paramref name="configuration"/> and/or set by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, which is also its service key.</param>
    /// <param name="configuration">The configuration section of this instance's <see cref="HrFlowClientOptions"/>, or null to set everything in code.</param>
    /// <param name="configure">Sets options in code, after binding (services at hand), or null.</param>
    /// <returns>The HTTP client builder.</returns>
    public static IHttpClientBuilder AddHrFlowClient(this IServiceCollection services, string name, IConfiguration? configuration, Action<HrFlowClientOptions, IServiceProvider>? configure = null)
        => ProviderClientRegistration<IHrFlowClient, HrFlowClientOptions>.Add(
            services,
            name,
            configuration,
            configure,
            (_, _, options) => HrFlowClient.CreateProviderHandlers(options, transport: null),
            (options, http) => new HrFlowClient(options, http));
}
