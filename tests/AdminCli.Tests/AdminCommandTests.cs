using System.Text.Json.Nodes;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>Keys, audit, workflow graphs, reports, config and help.</summary>
public sealed class AdminCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CliHarness Cli => fixture.Cli;

    [Fact]
    public async Task Keys_CreateListRevoke_NewKeyWorksUntilRevoked()
    {
        var created = await Cli.RunAsAsync(Roles.Admin, "keys", "create", "--name", "MHA office - J Smith", "--role", "mha-office", "--trust-wide", "--expires", "2026-12-01");
        var secret = created.Stdout.Trim();
        var env = Cli.Environment(role: null);
        env["MHARIGHTS_API_KEY"] = secret;
        var usable = await Cli.RunWithAsync(env, TerminalCapabilities.None, "rights", "due", "-o", "json");
        var list = await Cli.RunAsAsync(Roles.Admin, "keys", "list", "--all", "-o", "json");
        var name = list.JsonArray().Single(k => k.Str("displayName") == "MHA office - J Smith").Str("name");
        var refused = await Cli.RunAsAsync(Roles.Admin, "keys", "revoke", name);
        var revoked = await Cli.RunAsAsync(Roles.Admin, "keys", "revoke", name, "--yes", "-o", "json");
        var afterwards = await Cli.RunWithAsync(env, TerminalCapabilities.None, "rights", "due");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Single(created.Stdout.Trim().Split('\n'));
        Assert.Contains("shown only now", created.Stderr);
        Assert.True(usable.ExitCode == 0, usable.ToString());
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("REVOKED", revoked.Json().Str("state"));
        Assert.Equal(4, afterwards.ExitCode);
    }

    [Fact]
    public async Task KeysCreate_Json_CarriesSecretAndMetadata()
    {
        var result = await Cli.RunAsAsync(Roles.Admin, "keys", "create", "--name", "RiO integration", "--role", "epr-integration", "--trust-wide", "--may-act-for-named-user", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(string.IsNullOrEmpty(result.Json().Str("secret")));
        Assert.Equal("epr-integration", result.Json()["apiKey"].Str("role"));
        Assert.True(result.Json()["apiKey"]!["trustWide"]!.GetValue<bool>());
        Assert.True(result.Json()["apiKey"]!["mayActForNamedUser"]!.GetValue<bool>());
    }

    [Fact]
    public async Task KeysCreate_SitesGiven_KeyBoundToThoseSitesAndListShowsScope()
    {
        var created = await Cli.RunAsAsync(Roles.Admin, "keys", "create", "--name", "Ward clerk - Ash and Birch", "--role", "mha-office", "--site", "RXM01", "--site", "RXM02", "-o", "json");
        var list = await Cli.RunAsAsync(Roles.Admin, "keys", "list", "--all");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(["RXM01", "RXM02"], created.Json()["apiKey"]!["sites"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("sites RXM01 RXM02", created.Stderr, StringComparison.Ordinal);
        Assert.Contains("sites RXM01 RXM02", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_NoScope_RefusedNamingSitesNothingCreated()
    {
        var result = await Cli.RunAsAsync(Roles.Admin, "keys", "create", "--name", "Unscoped", "--role", "clinician");
        var list = await Cli.RunAsAsync(Roles.Admin, "keys", "list", "--all", "-o", "json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sites", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(list.JsonArray(), k => k.Str("displayName") == "Unscoped");
    }

    [Fact]
    public async Task AuditListAndVerify_AfterChanges_EventsForThePatientAndChainValid()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);

        var list = await Cli.RunAsync("audit", "list", "--patient", patient.LocalId, "--all", "-o", "json");
        var period = await Cli.RunAsync("audit", "list", "--from", "2026-03-01", "--to", "2026-03-02", "-o", "csv");
        var verify = await Cli.RunAsAsync(Roles.Auditor, "audit", "verify", "-o", "json");
        var verifyTable = await Cli.RunAsAsync(Roles.Admin, "audit", "verify");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(list.JsonArray(), e => e.Str("action") == "StartEpisode");
        Assert.All(list.JsonArray(), e => Assert.StartsWith(patient.Name, e.Str("resource")));
        Assert.True(period.ExitCode == 0, period.ToString());
        Assert.StartsWith("#,When (London),Who,Action", period.Stdout);
        Assert.True(verify.Json()["valid"]!.GetValue<bool>());
        Assert.Contains("yes", verifyTable.Stdout);
    }

    [Fact]
    public async Task AuditCheckpoint_KeptByTheAuditor_VerifyWithItValidThenTamperedCheckpointFails()
    {
        await Cli.App.CreatePatientAsync();

        var checkpoint = await Cli.RunAsAsync(Roles.Auditor, "audit", "checkpoint");
        var file = Path.Combine(Directory.CreateTempSubdirectory("mharights-cli-cp-").FullName, "mine.txt");
        await File.WriteAllTextAsync(file, "# kept off the server\n" + checkpoint.Stdout);
        var verify = await Cli.RunAsAsync(Roles.Auditor, "audit", "verify", "--checkpoints", file, "-o", "json");
        var parts = checkpoint.Stdout.Trim().Split(' ');
        await File.WriteAllTextAsync(file, $"{long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) + 5} {parts[1]} {parts[2]} {parts[3]}\n");
        var forged = await Cli.RunAsAsync(Roles.Auditor, "audit", "verify", "--checkpoints", file);

        Assert.True(checkpoint.ExitCode == 0, checkpoint.ToString());
        Assert.Equal(4, parts.Length);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(verify.Json()["valid"]!.GetValue<bool>());
        Assert.True(verify.Json()["checkpointsChecked"]!.GetValue<int>() >= 1);
        Assert.Equal(ExitCodes.Failure, forged.ExitCode);
        Assert.Contains("BadSignature", forged.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mermaid", "stateDiagram")]
    [InlineData("dot", "digraph")]
    public async Task WorkflowGraph_Format_PrintsTheGraphText(string format, string marker)
    {
        var result = await Cli.RunAsync("workflow", "graph", "rights-duty", "--format", format);
        var json = await Cli.RunAsync("workflow", "graph", "legal-status-episode", "--format", format, "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(marker, result.Stdout);
        Assert.Contains(marker, json.Json().Str("text"));
    }

    [Fact]
    public async Task WorkflowList_Json_NamesTheWorkflows()
    {
        var result = await Cli.RunAsync("workflow", "list", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.JsonArray(), n => n!.GetValue<string>() == "adjustment-record");
    }

    [Fact]
    public async Task ReportCompliance_Period_MeasuresAsJsonTableAndCsv()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2, at: Cli.App.Clock.GetUtcNow().AddDays(-10));

        var json = await Cli.RunAsync("report", "compliance", "--from", "2026-01-01", "--to", "2026-03-01", "-o", "json");
        var table = await Cli.RunAsync("report", "compliance", "--from", "2026-01-01", "--to", "2026-03-01", "--hospital", "RXM01");
        var csv = await Cli.RunAsync("report", "compliance", "--from", "2026-01-01", "--to", "2026-03-01", "-o", "csv");

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.NotEmpty(json.Json()["measures"]!.AsArray());
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("suppressed", table.Stderr);
        Assert.StartsWith("Measure,Title,Numerator", csv.Stdout);
    }

    [Fact]
    public async Task ReportRender_HtmlToFile_WritesTheFileAndRefusesToOverwrite()
    {
        var path = Path.Combine(Cli.Home, "q1.html");

        var written = await Cli.RunAsync("report", "render", "--from", "2026-01-01", "--to", "2026-03-01", "--format", "html", "--file", path, "-o", "json");
        var again = await Cli.RunAsync("report", "render", "--from", "2026-01-01", "--to", "2026-03-01", "--format", "html", "--file", path);
        var csv = await Cli.RunAsync("report", "render", "--from", "2026-01-01", "--to", "2026-03-01", "--format", "csv", "--file", "-");

        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Contains("<html", File.ReadAllText(path), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(path, written.Json().Str("file"));
        Assert.Equal(5, again.ExitCode);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.NotEmpty(csv.Stdout);
    }

    [Fact]
    public async Task Version_Flag_PrintsTheVersionOnStdout()
    {
        var result = await Cli.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Stdout);
    }

    [Fact]
    public async Task Help_EveryCommand_HasDescriptionAndExamples()
    {
        var paths = new List<string[]>();
        using (var context = new CliContext(TextWriter.Null, TextWriter.Null, new CliEnvironment(new Dictionary<string, string?>()), TerminalCapabilities.None, TimeProvider.System, null))
        {
            Collect(CliApplication.BuildRootCommand(context), [], paths);
        }

        Assert.True(paths.Count > 40, $"only {paths.Count} commands");
        foreach (var path in paths)
        {
            var result = await Cli.RunAsync([.. path, "--help"]);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', path)}: {result}");
            Assert.Contains("Examples:", result.Stdout);
            Assert.Contains("mharights", result.Stdout.Split("Examples:")[1]);
        }
    }

    private static void Collect(System.CommandLine.Command command, string[] path, List<string[]> paths)
    {
        paths.Add(path);
        foreach (var sub in command.Subcommands)
        {
            Collect(sub, [.. path, sub.Name], paths);
        }
    }
}
