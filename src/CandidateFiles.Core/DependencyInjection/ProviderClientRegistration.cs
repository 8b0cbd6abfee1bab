using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CandidateFiles.DependencyInjection;

/// <summary>
/// Registers a provider client with dependency injection; each provider package's
/// <c>Add&lt;Provider&gt;Client</c> extension calls this, and applications call those.
/// </summary>
/// <remarks>
/// <para>What one registration does, for the client named <c>name</c>:</para>
/// <list type="bullet">
/// <item>Options: <c>TOptions</c> named <c>name</c>, bound from the configuration section and/or set by the
///   delegate, checked by the options class's own <see cref="ProviderClientOptions.Validate"/> when the host
///   starts (<c>ValidateOnStart</c>), with a message naming the client, the configuration key and the setting.
///   <see cref="ProviderClientOptions.LoggerFactory"/> and <see cref="ProviderClientOptions.TimeProvider"/>
///   come from the container unless set.</item>
/// <item>An <c>IHttpClientFactory</c> client whose handler chain is the SDK's pipeline
///   (<see cref="ProviderHttpPipeline.CreateDelegatingHandlers"/>: telemetry, user agent, retries and
///   timeouts, logging, redirects, authentication) over <see cref="ProviderHttpPipeline.CreateTransport"/>,
///   which does not follow redirects itself; <c>HttpClient.Timeout</c> is off (the pipeline's timeouts
///   govern) and the factory's own request logging is removed (the pipeline logs, with query values
///   redacted, under <c>CandidateFiles.&lt;Provider&gt;</c>).</item>
/// <item>The client: for the default name (<see cref="Options.DefaultName"/>) a typed client, injected as
///   <c>TClient</c>; for any other name a keyed service (key = the name), injected with
///   <c>[FromKeyedServices("name")]</c> or resolved with <c>GetRequiredKeyedService&lt;TClient&gt;("name")</c>.
///   Both are transient, like every typed client.</item>
/// </list>
/// <para>Registering the same name again adds configuration only; the handlers are added once.</para>
/// </remarks>
internal static class ProviderClientRegistration
{
    /// <summary>Registers the client named <paramref name="name"/>. See the class remarks.</summary>
    /// <typeparam name="TClient">The client's interface, for example <c>I&lt;Provider&gt;Client</c>.</typeparam>
    /// <typeparam name="TOptions">The client's options class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name; <see cref="Options.DefaultName"/> (empty) for the default instance.</param>
    /// <param name="configuration">A configuration section to bind the options from, or null.</param>
    /// <param name="configure">Sets options in code (after binding), with access to services; or null.</param>
    /// <param name="createProviderHandlers">
    /// The provider's own handlers (authentication) for the instance's options; called whenever the
    /// factory builds a new handler chain (every two minutes by default).
    /// </param>
    /// <param name="createClient">Creates the client from its options and the factory's <see cref="HttpClient"/>.</param>
    /// <returns>The HTTP client builder, to add handlers or change the handler lifetime.</returns>
    public static IHttpClientBuilder Add<TClient, TOptions>(
        IServiceCollection services,
        string name,
        IConfiguration? configuration,
        Action<TOptions, IServiceProvider>? configure,
        Func<IServiceProvider, string, TOptions, IEnumerable<DelegatingHandler>> createProviderHandlers,
        Func<TOptions, HttpClient, TClient> createClient)
        where TClient : class
        where TOptions : ProviderClientOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(createProviderHandlers);
        ArgumentNullException.ThrowIfNull(createClient);

        var options = services.AddOptions<TOptions>(name);
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure<IServiceProvider>(configure);
        }

        var httpClientName = HttpClientName(typeof(TOptions), name);
        var builder = services.AddHttpClient(httpClientName);
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(Registration<TOptions>) && d.IsKeyedService && Equals(d.ServiceKey, name));
        if (existing?.KeyedImplementationInstance is Registration<TOptions> registered)
        {
            registered.Add(configuration);
            return builder;
        }

        var registration = new Registration<TOptions>(name);
        registration.Add(configuration);
        services.AddKeyedSingleton(name, registration);
        services.AddSingleton<IValidateOptions<TOptions>>(registration);
        options.PostConfigure<IServiceProvider>(static (o, provider) =>
        {
            o.LoggerFactory ??= provider.GetService<ILoggerFactory>();
            o.TimeProvider ??= provider.GetService<TimeProvider>();
        });
        options.ValidateOnStart();

        builder
            .ConfigurePrimaryHttpMessageHandler(ProviderHttpPipeline.CreateTransport)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigureAdditionalHttpMessageHandlers((handlers, provider) =>
            {
                // Retry and timeout handlers an app adds to every client (ConfigureHttpClientDefaults, e.g. Aspire's
                // AddStandardResilienceHandler) would sit inside this pipeline, repeat POSTs it never repeats and cut
                // calls by their own limits: the SDK's clients keep only its own.
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (IsForeignResilienceHandler(handlers[i]))
                    {
                        handlers.RemoveAt(i);
                    }
                }

                var current = provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
                var pipeline = ProviderHttpPipeline.CreateDelegatingHandlers(current, createProviderHandlers(provider, name, current));
                for (var i = 0; i < pipeline.Count; i++)
                {
                    // Outermost, before any handler added elsewhere for this client.
                    handlers.Insert(i, pipeline[i]);
                }
            });

        if (name == Options.DefaultName)
        {
            builder.AddTypedClient((http, provider) => createClient(provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name), http));
        }
        else
        {
            services.AddKeyedTransient(name, (provider, _) => createClient(
                provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name),
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName)));
        }

        return builder;
    }

    /// <summary>
    /// Microsoft.Extensions.Http.Resilience's handlers (standard resilience, hedging, custom pipelines) and
    /// Microsoft.Extensions.Http.Polly's policy handler, recognised by type name (the SDK references neither).
    /// </summary>
    private static bool IsForeignResilienceHandler(DelegatingHandler handler)
    {
        var type = handler.GetType();
        return type.Namespace?.StartsWith("Microsoft.Extensions.Http.Resilience", StringComparison.Ordinal) == true
            || type.FullName == "Microsoft.Extensions.Http.PolicyHttpMessageHandler";
    }

    /// <summary>The <c>IHttpClientFactory</c> client name used for a provider instance.</summary>
    /// <param name="optionsType">The options class.</param>
    /// <param name="name">The instance name.</param>
    /// <returns>The HTTP client name, for example <c>CandidateFiles.&lt;Provider&gt;Client</c>, or <c>CandidateFiles.&lt;Provider&gt;Client:companyA</c> for a named client.</returns>
    public static string HttpClientName(Type optionsType, string name)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        ArgumentNullException.ThrowIfNull(name);
        var client = "CandidateFiles." + optionsType.Name.Replace("Options", string.Empty, StringComparison.Ordinal);
        return name.Length == 0 ? client : client + ":" + name;
    }

    /// <summary>One registered instance: its name, where its configuration came from, and its validation.</summary>
    private sealed class Registration<TOptions> : IValidateOptions<TOptions>
        where TOptions : ProviderClientOptions
    {
        private readonly string _name;
        private readonly List<string> _sections = new();

        public Registration(string name) => _name = name;

        public void Add(IConfiguration? configuration)
        {
            if (configuration is IConfigurationSection section)
            {
                lock (_sections)
                {
                    _sections.Add(section.Path);
                }
            }
        }

        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (!string.Equals(name ?? Options.DefaultName, _name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException ex)
            {
                string[] sections;
                lock (_sections)
                {
                    sections = _sections.ToArray();
                }

                var client = _name.Length == 0 ? $"The {typeof(TOptions).Name}" : $"The {typeof(TOptions).Name} named '{_name}'";
                var keys = ex.ParamName is { Length: > 0 } setting && sections.Length > 0
                    ? $" (configuration key {string.Join(" or ", sections.Select(s => $"'{s}:{setting}'"))})"
                    : string.Empty;
                return ValidateOptionsResult.Fail($"{client} is invalid{keys}: {ex.Message}");
            }
        }
    }
}
