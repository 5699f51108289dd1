using System.Text.Json;
using System.Text.Json.Serialization;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// The optional config file, <c>$XDG_CONFIG_HOME/mharights/config.json</c> (else <c>~/.config/mharights/config.json</c>,
/// or <c>MHARIGHTS_CONFIG</c>): named profiles so an office can switch between live and training servers.
/// </summary>
internal sealed class CliConfigFile
{
    [JsonPropertyName("currentProfile")]
    public string? CurrentProfile { get; set; }

    [JsonPropertyName("profiles")]
    public Dictionary<string, CliProfile> Profiles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the file is looked for, given the environment.</summary>
    public static string? DefaultPath(CliEnvironment environment)
    {
        if (environment.Get("MHARIGHTS_CONFIG") is { } explicitPath)
        {
            return explicitPath;
        }

        if (environment.Get("XDG_CONFIG_HOME") is { } xdg)
        {
            return Path.Combine(xdg, "mharights", "config.json");
        }

        var home = environment.Get("HOME") ?? environment.Get("USERPROFILE");
        return home is null ? null : Path.Combine(home, ".config", "mharights", "config.json");
    }

    /// <summary>Reads the file; null when it does not exist. A file that exists but is not valid JSON is a usage error.</summary>
    public static CliConfigFile? Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.CliConfigFile) ?? new CliConfigFile();
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"the config file {path} is not valid JSON: {ex.Message}");
        }
    }
}

/// <summary>One named profile: a server and how to authenticate to it.</summary>
internal sealed class CliProfile
{
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>The API key itself. Prefer <see cref="ApiKeyFile"/>: a file can be readable by its owner only.</summary>
    [JsonPropertyName("apiKey")]
    public string? ApiKey { get; set; }

    [JsonPropertyName("apiKeyFile")]
    public string? ApiKeyFile { get; set; }

    /// <summary>Default output format (table, json or csv).</summary>
    [JsonPropertyName("output")]
    public string? Output { get; set; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(CliConfigFile))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
