using Microsoft.Extensions.Configuration;

namespace MhaRights.Client.Internal;

/// <summary>
/// Reads <see cref="MhaRightsClientOptions"/> from a configuration section, key by key: the credential is built from
/// <c>ApiKey</c>, <c>ApiKeyFile</c> or <c>BearerToken</c>, which a generic binder could not do, and objects such as
/// the HTTP handler are never created from configuration.
/// </summary>
internal static class ConfigurationBinding
{
    public static void Bind(IConfiguration configuration, MhaRightsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        if (Value(configuration, "Address") is { } address)
        {
            options.Address = Uri.TryCreate(address, UriKind.Absolute, out var uri)
                ? uri
                : throw Invalid(configuration, "Address", "an absolute http:// or https:// address");
        }

        var credentials = new[] { "ApiKey", "ApiKeyFile", "BearerToken" }.Where(k => Value(configuration, k) is not null).ToList();
        if (credentials.Count > 1)
        {
            throw new InvalidOperationException($"Configuration section '{configuration.Path()}' sets {string.Join(" and ", credentials)}: set only one credential.");
        }

        if (Value(configuration, "ApiKey") is { } apiKey)
        {
            options.Credential = MhaRightsCredential.FromApiKey(apiKey);
        }
        else if (Value(configuration, "ApiKeyFile") is { } apiKeyFile)
        {
            // A mounted secret or a key file written by the server's bootstrap, never the key itself in settings.
            options.Credential = MhaRightsCredential.FromApiKey(File.ReadAllText(apiKeyFile).Trim());
        }
        else if (Value(configuration, "BearerToken") is { } token)
        {
            options.Credential = MhaRightsCredential.FromBearerToken(token);
        }

        if (Value(configuration, "DefaultDeadline") is { } deadline)
        {
            options.DefaultDeadline = string.Equals(deadline, "none", StringComparison.OrdinalIgnoreCase)
                ? null
                : Parse<TimeSpan>(configuration, "DefaultDeadline", "a time span such as 00:00:30, or none");
        }

        if (Value(configuration, "MaxReceiveMessageSize") is not null)
        {
            options.MaxReceiveMessageSize = Parse<int>(configuration, "MaxReceiveMessageSize", "a number of bytes");
        }

        if (Value(configuration, "AllowUnencryptedCredentials") is not null)
        {
            options.AllowUnencryptedCredentials = Parse<bool>(configuration, "AllowUnencryptedCredentials", "true or false");
        }

        var retry = configuration.GetSection("Retry");
        if (Value(retry, "MaxRetries") is not null)
        {
            options.Retry.MaxRetries = Parse<int>(retry, "MaxRetries", "a whole number");
        }

        if (Value(retry, "Delay") is not null)
        {
            options.Retry.Delay = Parse<TimeSpan>(retry, "Delay", "a time span such as 00:00:00.8");
        }

        if (Value(retry, "MaxDelay") is not null)
        {
            options.Retry.MaxDelay = Parse<TimeSpan>(retry, "MaxDelay", "a time span such as 00:01:00");
        }

        if (Value(retry, "RetryReadsOnDeadlineExceeded") is not null)
        {
            options.Retry.RetryReadsOnDeadlineExceeded = Parse<bool>(retry, "RetryReadsOnDeadlineExceeded", "true or false");
        }
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static T Parse<T>(IConfiguration configuration, string key, string expected)
    {
        try
        {
            return configuration.GetValue<T>(key)!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid(configuration, key, expected);
        }
    }

    private static InvalidOperationException Invalid(IConfiguration configuration, string key, string expected)
    {
        // The value itself is not repeated: a misplaced secret must not end up in a log.
        var path = configuration.Path();
        return new InvalidOperationException($"Configuration value '{(path.Length == 0 ? key : path + ":" + key)}' must be {expected}.");
    }

    private static string Path(this IConfiguration configuration) => configuration is IConfigurationSection section ? section.Path : string.Empty;
}
