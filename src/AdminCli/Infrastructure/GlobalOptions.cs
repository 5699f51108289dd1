using System.CommandLine;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>Options every command accepts (recursive on the root command).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Address { get; } = new("--address")
    {
        Description = "Server address, e.g. https://mharights.example-trust.nhs.uk [env MHARIGHTS_ADDRESS; default http://127.0.0.1:5000]",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key (visible in the process list: prefer --api-key-file or MHARIGHTS_API_KEY) [env MHARIGHTS_API_KEY]",
        HelpName = "key",
        Recursive = true,
    };

    public Option<string?> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = "File holding the API key [env MHARIGHTS_API_KEY_FILE]",
        HelpName = "file",
        Recursive = true,
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Profile in $XDG_CONFIG_HOME/mharights/config.json (~/.config/...) [env MHARIGHTS_PROFILE]",
        HelpName = "name",
        Recursive = true,
    };

    public Option<string?> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table (people), json (one document; arrays for lists) or csv [env MHARIGHTS_OUTPUT]",
        HelpName = OutputFormats.Choices,
        Recursive = true,
    };

    public Option<bool> NoProgress { get; } = new("--no-progress")
    {
        Description = "Never draw progress bars (they are also off when stdout or stderr is not a terminal, with NO_COLOR, or in CI)",
        Recursive = true,
    };

    public Option<double?> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds each server call may take (default 30)",
        HelpName = "seconds",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Address, ApiKey, ApiKeyFile, Profile, Output, NoProgress, Timeout];

    public GlobalValues Values(ParseResult parseResult) => new(
        parseResult.GetValue(Address),
        parseResult.GetValue(ApiKey),
        parseResult.GetValue(ApiKeyFile),
        parseResult.GetValue(Profile),
        parseResult.GetValue(Output),
        parseResult.GetValue(NoProgress),
        parseResult.GetValue(Timeout));
}
