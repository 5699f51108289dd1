using Grpc.Net.ClientFactory;
using MhaRights.Client;
using MhaRights.Client.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// In this namespace so that services.AddMhaRightsClient(...) is found without an extra using, as AddGrpcClient is.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="MhaRightsClient"/> with dependency injection, on top of Grpc.Net.ClientFactory.</summary>
public static class AddMhaRightsClientExtensions
{
    /// <summary>
    /// Registers <see cref="MhaRightsClient"/> for injection. The gRPC client factory manages the HTTP handler (pooling
    /// and rotation); the client adds credentials, deadlines, retries with request ids and error translation.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see cref="MhaRightsClientOptions.Address"/> is required.</param>
    /// <returns>The HTTP client builder, to add handlers or interceptors (for example <c>.AddInterceptor(...)</c>).</returns>
    /// <remarks>
    /// Like every client of the gRPC client factory, <see cref="MhaRightsClient"/> is registered as transient: resolving
    /// it is cheap, because the factory pools the HTTP handler, so inject it where it is needed rather than caching it.
    /// </remarks>
    /// <example>
    /// <code>
    /// services.AddMhaRightsClient(options =>
    /// {
    ///     options.Address = new Uri("https://mharights.example-trust.nhs.uk");
    ///     options.Credential = MhaRightsCredential.FromApiKey(configuration["MhaRights:ApiKey"]!);
    /// });
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddMhaRightsClient(this IServiceCollection services, Action<MhaRightsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddMhaRightsClient((_, options) => configure(options));
    }

    /// <summary>
    /// Registers <see cref="MhaRightsClient"/> for injection with options read from configuration (see
    /// <see cref="MhaRightsClientOptions.FromConfiguration(IConfiguration)"/> for the keys). When the configuration is
    /// reloaded, clients resolved afterwards use the new credential, deadline and retry settings (a rotated API
    /// key needs no restart); the address and message size are read once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the settings, e.g. <c>configuration.GetSection("MhaRights")</c>.</param>
    /// <param name="configure">Sets what configuration cannot hold (a handler, a token provider...), after the section is read.</param>
    /// <returns>The HTTP client builder, to add handlers or interceptors.</returns>
    /// <example>
    /// <code>
    /// // appsettings.json: "MhaRights": { "Address": "https://mharights.example-trust.nhs.uk", "ApiKeyFile": "/run/secrets/mharights", "DefaultDeadline": "00:00:10" }
    /// services.AddMhaRightsClient(configuration.GetSection("MhaRights"));
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddMhaRightsClient(this IServiceCollection services, IConfiguration configuration, Action<MhaRightsClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Invalidates the cached options on reload, so the next resolved client reads the section again.
        services.AddSingleton<IOptionsChangeTokenSource<MhaRightsClientOptions>>(
            new ConfigurationChangeTokenSource<MhaRightsClientOptions>(nameof(MhaRightsClient), configuration));
        return services.AddMhaRightsClient((_, options) =>
        {
            ConfigurationBinding.Bind(configuration, options);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Registers <see cref="MhaRightsClient"/> for injection, with options that need other services (configuration,
    /// a token cache...).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options from the service provider; <see cref="MhaRightsClientOptions.Address"/> is required.</param>
    /// <returns>The HTTP client builder, to add handlers or interceptors.</returns>
    public static IHttpClientBuilder AddMhaRightsClient(this IServiceCollection services, Action<IServiceProvider, MhaRightsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        const string name = nameof(MhaRightsClient);
        services.AddOptions<MhaRightsClientOptions>(name).Configure<IServiceProvider>((options, provider) => configure(provider, options));

        static MhaRightsClientOptions Options(IServiceProvider provider) =>
            provider.GetRequiredService<IOptionsMonitor<MhaRightsClientOptions>>().Get(name);

        return services
            .AddGrpcClient<MhaRightsClient>(name, (provider, factory) =>
            {
                var options = Options(provider);
                factory.Address = options.Address ?? throw new InvalidOperationException("MhaRightsClientOptions.Address is required.");
            })
            .ConfigureChannel((provider, channel) =>
            {
                var options = Options(provider);
                channel.LoggerFactory = options.LoggerFactory ?? provider.GetService<ILoggerFactory>();
                channel.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            })
            .ConfigurePrimaryHttpMessageHandler(provider => Options(provider).HttpHandler is { } handler
                // The factory disposes the handlers it rotates out; a handler the caller supplied stays theirs.
                ? new BorrowedHandler(handler)
                : new SocketsHttpHandler
                {
                    PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                    EnableMultipleHttp2Connections = true,
                })
            .ConfigureGrpcClientCreator((provider, invoker) =>
                new MhaRightsClient(invoker, Options(provider), provider.GetService<ILoggerFactory>()));
    }
}
