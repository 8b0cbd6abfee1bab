using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CandidateFiles.DependencyInjection;

/// <summary>
/// The one registration path of every provider's <c>Add&lt;Provider&gt;Client</c>. For the client named
/// <c>name</c>: <typeparamref name="TOptions"/> named <c>name</c> (bound, then configured in code, checked by
/// <see cref="ProviderClientOptions.Validate"/> when the host starts, logger factory and time provider from the
/// container unless set); an <c>IHttpClientFactory</c> client carrying the SDK's pipeline over a transport that
/// does not follow redirects itself, with <c>HttpClient.Timeout</c> off (the pipeline's limits govern) and the
/// factory's own logging removed (the pipeline logs with query values redacted); and the client, transient: a
/// typed client for the default name, a keyed service (key = the name) for any other. Registering the same name
/// again adds configuration only.
/// </summary>
/// <typeparam name="TClient">The client's interface.</typeparam>
/// <typeparam name="TOptions">The client's options class.</typeparam>
internal static class ProviderClientRegistration<TClient, TOptions>
    where TClient : class
    where TOptions : ProviderClientOptions
{
    // createProviderHandlers: the provider's own handlers (authentication) for an instance's options, called
    // whenever the factory builds a handler chain (every two minutes by default).
    public static IHttpClientBuilder Add(
        IServiceCollection services,
        string name,
        IConfiguration? configuration,
        Action<TOptions, IServiceProvider>? configure,
        Func<IServiceProvider, string, TOptions, IEnumerable<DelegatingHandler>> createProviderHandlers,
        Func<TOptions, HttpClient, TClient> createClient)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        var options = services.AddOptions<TOptions>(name);
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        var clientName = "CandidateFiles." + typeof(TOptions).Name.Replace("Options", string.Empty, StringComparison.Ordinal) + (name.Length == 0 ? string.Empty : ":" + name);
        var builder = services.AddHttpClient(clientName);
        if (services.FirstOrDefault(d => d.ServiceType == typeof(Registration) && d.IsKeyedService && Equals(d.ServiceKey, name))?.KeyedImplementationInstance is Registration registered)
        {
            registered.Add(configuration);
            return builder;
        }

        var registration = new Registration(name);
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
                foreach (var foreign in handlers.Where(IsForeignResilienceHandler).ToList())
                {
                    handlers.Remove(foreign);
                }

                var current = provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
                var pipeline = ProviderHttpPipeline.CreateDelegatingHandlers(current, createProviderHandlers(provider, name, current));
                for (var i = 0; i < pipeline.Count; i++)
                {
                    handlers.Insert(i, pipeline[i]); // outermost, before any handler added elsewhere for this client
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
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName)));
        }

        return builder;
    }

    // Microsoft.Extensions.Http.Resilience's handlers and Microsoft.Extensions.Http.Polly's, by type name (the SDK references neither).
    private static bool IsForeignResilienceHandler(DelegatingHandler handler)
        => handler.GetType() is var type
            && (type.Namespace?.StartsWith("Microsoft.Extensions.Http.Resilience", StringComparison.Ordinal) == true
                || type.FullName == "Microsoft.Extensions.Http.PolicyHttpMessageHandler");

    // One registered instance: its name, the configuration sections it was bound from, and its validation,
    // whose message names the client, the configuration key and the setting.
    private sealed class Registration(string name) : IValidateOptions<TOptions>
    {
        private readonly List<string> _sections = [];

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

        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (!string.Equals(optionsName ?? Options.DefaultName, name, StringComparison.Ordinal))
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
                    sections = [.. _sections];
                }

                var client = name.Length == 0 ? $"The {typeof(TOptions).Name}" : $"The {typeof(TOptions).Name} named '{name}'";
                var keys = ex.ParamName is { Length: > 0 } setting && sections.Length > 0
                    ? $" (configuration key {string.Join(" or ", sections.Select(s => $"'{s}:{setting}'"))})"
                    : string.Empty;
                return ValidateOptionsResult.Fail($"{client} is invalid{keys}: {ex.Message}");
            }
        }
    }
}
