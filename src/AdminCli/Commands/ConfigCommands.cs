using System.CommandLine;
using System.Text.Json.Nodes;
using MhaRights.AdminCli.Infrastructure;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights config show</c>: which server and credential this shell would use, and why.</summary>
internal static class ConfigCommands
{
    public static Command Build(CliContext context) => CommandKit.Group(context, "config", "Where the CLI's settings come from", Show(context));

    private static Command Show(CliContext context) => CommandKit.Leaf(
        context,
        "show",
        "Show the resolved server address, credential source, profile and output format (never the key itself)",
        ["mharights config show", "mharights --profile training config show -o json"],
        [],
        (parseResult, _) =>
        {
            var settings = context.Settings(parseResult);
            var output = context.Output(parseResult);
            var credential = settings.ApiKey is null ? "none" : $"API key from {settings.ApiKeyOrigin}";
            if (output.Format == OutputFormat.Json)
            {
                output.WriteJson(new JsonObject
                {
                    ["address"] = settings.Address.ToString(),
                    ["addressSource"] = settings.AddressSource.ToString().ToLowerInvariant(),
                    ["credential"] = credential,
                    ["credentialSource"] = settings.ApiKeySource.ToString().ToLowerInvariant(),
                    ["profile"] = settings.ProfileName,
                    ["configFile"] = settings.ConfigPath,
                    ["output"] = settings.Output.ToString().ToLowerInvariant(),
                });
            }
            else
            {
                output.WriteItem(
                    settings,
                    [
                        new("Address", s => $"{s.Address} ({s.AddressSource.ToString().ToLowerInvariant()})"),
                        new("Credential", _ => $"{credential} ({settings.ApiKeySource.ToString().ToLowerInvariant()})"),
                        new("Profile", s => s.ProfileName ?? "(none)"),
                        new("Config file", s => s.ConfigPath is null ? "(no HOME)" : s.ConfigPath + (File.Exists(s.ConfigPath) ? string.Empty : " (absent)")),
                        new("Output", s => s.Output.ToString().ToLowerInvariant()),
                    ],
                    _ => null);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
}
