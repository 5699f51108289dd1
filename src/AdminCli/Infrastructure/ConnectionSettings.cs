namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Where a setting came from, shown by <c>mharights config show</c> so people can see why the CLI talks to the
/// server it does.
/// </summary>
internal enum SettingSource
{
    Default,
    Flag,
    Environment,
    Profile,
}

/// <summary>
/// The server address, credential and output format for this run, resolved flag &gt; environment variable &gt;
/// profile in the config file &gt; built-in default (kubectl / gh precedence).
/// </summary>
internal sealed record ConnectionSettings(
    Uri Address,
    SettingSource AddressSource,
    string? ApiKey,
    SettingSource ApiKeySource,
    string? ApiKeyOrigin,
    string? ProfileName,
    string? ConfigPath,
    OutputFormat Output,
    SettingSource OutputSource)
{
    /// <summary>The server's own default listen address (appsettings.json Server:Url).</summary>
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:5000");

    public static ConnectionSettings Resolve(GlobalValues flags, CliEnvironment environment)
    {
        var configPath = CliConfigFile.DefaultPath(environment);
        var config = CliConfigFile.Load(configPath);
        var profileName = flags.Profile ?? environment.Get("MHARIGHTS_PROFILE") ?? config?.CurrentProfile;
        CliProfile? profile = null;
        if (profileName is not null)
        {
            if (config is null)
            {
                throw CliException.Usage($"profile '{profileName}' was asked for but there is no config file ({configPath ?? "no HOME"})");
            }

            if (!config.Profiles.TryGetValue(profileName, out profile))
            {
                var known = config.Profiles.Count == 0 ? "none" : string.Join(", ", config.Profiles.Keys.Order(StringComparer.Ordinal));
                throw CliException.Usage($"no profile '{profileName}' in {configPath} (profiles: {known})");
            }
        }

        var (addressText, addressSource) = First(
            (flags.Address, SettingSource.Flag),
            (environment.Get("MHARIGHTS_ADDRESS"), SettingSource.Environment),
            (profile?.Address, SettingSource.Profile));
        var address = addressText is null ? DefaultAddress : ParseAddress(addressText);

        // Within one level the key itself wins over a key file, so a one-off --api-key overrides a profile's file.
        string? key = null;
        string? origin = null;
        var keySource = SettingSource.Default;
        if (flags.ApiKey is not null)
        {
            (key, origin, keySource) = (flags.ApiKey, "--api-key", SettingSource.Flag);
        }
        else if (flags.ApiKeyFile is not null)
        {
            (key, origin, keySource) = (ReadKeyFile(flags.ApiKeyFile, "--api-key-file"), flags.ApiKeyFile, SettingSource.Flag);
        }
        else if (environment.Get("MHARIGHTS_API_KEY") is { } envKey)
        {
            (key, origin, keySource) = (envKey.Trim(), "MHARIGHTS_API_KEY", SettingSource.Environment);
        }
        else if (environment.Get("MHARIGHTS_API_KEY_FILE") is { } envFile)
        {
            (key, origin, keySource) = (ReadKeyFile(envFile, "MHARIGHTS_API_KEY_FILE"), envFile, SettingSource.Environment);
        }
        else if (profile?.ApiKey is { Length: > 0 } profileKey)
        {
            (key, origin, keySource) = (profileKey.Trim(), $"profile {profileName}", SettingSource.Profile);
        }
        else if (profile?.ApiKeyFile is { Length: > 0 } profileFile)
        {
            var path = ExpandHome(profileFile, environment);
            (key, origin, keySource) = (ReadKeyFile(path, $"profile {profileName} apiKeyFile"), path, SettingSource.Profile);
        }

        var (outputText, outputSource) = First(
            (flags.Output, SettingSource.Flag),
            (environment.Get("MHARIGHTS_OUTPUT"), SettingSource.Environment),
            (profile?.Output, SettingSource.Profile));
        var output = outputText is null ? OutputFormat.Table : OutputFormats.Parse(outputText);

        return new ConnectionSettings(address, addressText is null ? SettingSource.Default : addressSource, key, keySource, origin, profileName, configPath, output, outputText is null ? SettingSource.Default : outputSource);
    }

    /// <summary>
    /// Accepts a full URL, or host:port (http for this machine, https otherwise, because the server refuses
    /// cleartext on other addresses anyway).
    /// </summary>
    public static Uri ParseAddress(string text)
    {
        var value = text.Trim();
        if (!value.Contains("://", StringComparison.Ordinal))
        {
            var host = value.Split(':')[0];
            var loopback = host is "localhost" or "127.0.0.1" or "[::1]";
            value = (loopback ? "http://" : "https://") + value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"'{text}' is not a server address; expected for example https://mharights.example-trust.nhs.uk");
        }

        return uri;
    }

    private static (string? Value, SettingSource Source) First(params (string? Value, SettingSource Source)[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate.Value))
            {
                return candidate;
            }
        }

        return (null, SettingSource.Default);
    }

    private static string ReadKeyFile(string path, string from)
    {
        try
        {
            var key = File.ReadAllText(path).Trim();
            return key.Length == 0 ? throw CliException.Usage($"the API key file {path} ({from}) is empty") : key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the API key file {path} ({from}): {ex.Message}");
        }
    }

    private static string ExpandHome(string path, CliEnvironment environment) =>
        path.StartsWith("~/", StringComparison.Ordinal) && environment.Get("HOME") is { } home ? Path.Combine(home, path[2..]) : path;
}

/// <summary>The raw values of the global flags, before resolution.</summary>
internal sealed record GlobalValues(string? Address, string? ApiKey, string? ApiKeyFile, string? Profile, string? Output, bool NoProgress, double? TimeoutSeconds);
