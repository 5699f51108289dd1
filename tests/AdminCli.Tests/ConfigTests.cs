using MhaRights.AdminCli.Infrastructure;
using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>Settings precedence: flag &gt; environment variable &gt; profile &gt; default.</summary>
public sealed class ConfigTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CliHarness Cli => fixture.Cli;

    [Fact]
    public async Task ConfigShow_NothingConfigured_DefaultsAndNoCredential()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = Cli.Home };

        var result = await Cli.RunWithAsync(env, TerminalCapabilities.None, "config", "show", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("http://127.0.0.1:5000/", result.Json().Str("address"));
        Assert.Equal("default", result.Json().Str("addressSource"));
        Assert.Equal("none", result.Json().Str("credential"));
    }

    [Fact]
    public async Task Profile_KeyFileAndAddress_UsedWhenNoFlagOrEnvironment()
    {
        var home = Directory.CreateTempSubdirectory("mharights-profile-").FullName;
        var keyFile = Path.Combine(home, "office.key");
        File.WriteAllText(keyFile, TestApp.KeyFor(Roles.MhaOffice) + "\n");
        Directory.CreateDirectory(Path.Combine(home, "xdg", "mharights"));
        File.WriteAllText(Path.Combine(home, "xdg", "mharights", "config.json"), $$"""
            {
              // comments are allowed
              "currentProfile": "live",
              "profiles": {
                "live": { "address": "http://localhost", "apiKeyFile": "{{keyFile}}", "output": "json" },
                "training": { "address": "http://127.0.0.1:7777", "apiKey": "wrong" }
              }
            }
            """);
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["XDG_CONFIG_HOME"] = Path.Combine(home, "xdg"), ["MHARIGHTS_MAX_RETRIES"] = "0" };

        var viaProfile = await Cli.RunWithAsync(env, TerminalCapabilities.None, "rights", "due");
        var show = await Cli.RunWithAsync(env, TerminalCapabilities.None, "--profile", "training", "config", "show", "-o", "json");
        var flagWins = await Cli.RunWithAsync(env, TerminalCapabilities.None, "--profile", "training", "--address", "http://localhost", "--api-key-file", keyFile, "rights", "due", "-o", "csv");
        env["MHARIGHTS_PROFILE"] = "missing";
        var missing = await Cli.RunWithAsync(env, TerminalCapabilities.None, "rights", "due");

        Assert.True(viaProfile.ExitCode == 0, viaProfile.ToString());
        Assert.StartsWith("[", viaProfile.Stdout.TrimStart());
        Assert.Equal("http://127.0.0.1:7777/", show.Json().Str("address"));
        Assert.Equal("profile", show.Json().Str("credentialSource"));
        Assert.True(flagWins.ExitCode == 0, flagWins.ToString());
        Assert.StartsWith("Patient,", flagWins.Stdout);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no profile 'missing'", missing.Stderr);
    }

    [Fact]
    public async Task Environment_KeyVariable_BeatsProfileAndFlagBeatsEnvironment()
    {
        var env = Cli.Environment();
        env["MHARIGHTS_API_KEY"] = "wrong-key";

        var fromEnvironment = await Cli.RunWithAsync(env, TerminalCapabilities.None, "rights", "due");
        var fromFlag = await Cli.RunWithAsync(env, TerminalCapabilities.None, "--api-key", TestApp.KeyFor(Roles.MhaOffice), "rights", "due");

        Assert.Equal(4, fromEnvironment.ExitCode);
        Assert.True(fromFlag.ExitCode == 0, fromFlag.ToString());
    }

    [Theory]
    [InlineData("2026-03-01 10:00", "2026-03-01T10:00:00+00:00")]
    [InlineData("01/07/2026 10:00", "2026-07-01T09:00:00+00:00")]
    [InlineData("2026-07-01T10:00Z", "2026-07-01T10:00:00+00:00")]
    [InlineData("2026-10-25T01:30+01:00", "2026-10-25T00:30:00+00:00")]
    public void TimeText_LondonOrOffset_ParsesToUtc(string text, string expected)
    {
        Assert.True(TimeText.TryParse(text, TimeProvider.System, allowDateOnly: false, out var value, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("2026-03-29 01:30", "went forward")]
    [InlineData("2026-10-25 01:30", "went back")]
    [InlineData("2026-02-30 10:00", "not a time")]
    public void TimeText_ClockChangeOrNonsense_Refused(string text, string reason)
    {
        Assert.False(TimeText.TryParse(text, TimeProvider.System, allowDateOnly: false, out _, out var error));
        Assert.Contains(reason, error);
    }
}
