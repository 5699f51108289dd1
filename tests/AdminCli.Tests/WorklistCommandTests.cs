using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>The office's worklists: every one lists what it should, filters by hospital and ward, and pages.</summary>
public sealed class WorklistCommandTests
{
    [Fact]
    public async Task RightsDue_NewDetention_ListsItsExplanationDutiesAsJsonArray()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);

        var result = await cli.RunAsync("rights", "due", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var kinds = result.JsonArray().ForPatient(patient.LocalId).Select(i => i["duty"].Str("kind")).ToList();
        Assert.Contains("DUTY_KIND_SECTION_132_1", kinds);
        Assert.Contains("DUTY_KIND_SECTION_132_2", kinds);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task RightsDue_Table_ShowsLocalTimesAndShortDutyNames()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);

        var result = await cli.RunAsync("rights", "due");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(patient.LocalId, result.Stdout);
        Assert.Contains("(GMT)", result.Stdout);
        Assert.Contains("s132(1)", result.Stdout);
        Assert.DoesNotContain("\u001b[", result.Stdout);
    }

    [Fact]
    public async Task RightsDue_HospitalAndWardFilters_KeepOnlyMatchingDuties()
    {
        await using var cli = await CliHarness.StartAsync();
        var here = await cli.App.CreatePatientAsync();
        var there = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(here, Provision.Section2, hospital: "RXM01");
        await cli.App.StartAsync(there, Provision.Section2, hospital: "RXM09");

        var byHospital = await cli.RunAsync("rights", "due", "--hospital", "RXM09", "-o", "json");
        var byWard = await cli.RunAsync("rights", "due", "--hospital", "RXM01", "--ward", "NOWARD", "-o", "json");

        Assert.True(byHospital.ExitCode == 0, byHospital.ToString());
        Assert.Empty(byHospital.JsonArray().ForPatient(here.LocalId));
        Assert.NotEmpty(byHospital.JsonArray().ForPatient(there.LocalId));
        Assert.Empty(byWard.JsonArray());
    }

    [Fact]
    public async Task RightsDue_PageSizeAndAll_PageTokenOnStderrAndAllFollowsPages()
    {
        await using var cli = await CliHarness.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await cli.App.StartAsync(await cli.App.CreatePatientAsync(), Provision.Section2);
        }

        var page = await cli.RunAsync("rights", "due", "--page-size", "2", "-o", "json");
        var token = page.Stderr.Split("--page-token ")[1].Split(' ')[0];
        var next = await cli.RunAsync("rights", "due", "--page-size", "2", "--page-token", token, "-o", "json");
        var all = await cli.RunAsync("rights", "due", "--all", "--page-size", "2", "-o", "json");

        Assert.Equal(2, page.JsonArray().Count);
        Assert.Equal(2, next.JsonArray().Count);
        Assert.True(all.JsonArray().Count >= 6, all.ToString());
        Assert.Equal(string.Empty, all.Stderr);
    }

    [Fact]
    public async Task RightsOverdue_AfterTheDeadlinePasses_ListsTheDuty()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);
        await cli.App.AdvanceAndSweepAsync(TimeSpan.FromDays(3));

        var result = await cli.RunAsync("rights", "overdue", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.JsonArray().ForPatient(patient.LocalId), i => i["duty"].Str("state") == "OVERDUE");
    }

    [Fact]
    public async Task RightsReattempts_NotUnderstoodAndTimeCome_ListsTheDuty()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);
        var recorded = await cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "not-understood", "--oral", "--next-attempt", "2026-03-01 14:00");
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        await cli.App.AdvanceAndSweepAsync(TimeSpan.FromHours(6));

        var result = await cli.RunAsync("rights", "reattempts", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.JsonArray().ForPatient(patient.LocalId), i => i["duty"].Str("kind") == "DUTY_KIND_SECTION_132_1");
    }

    [Fact]
    public async Task RightsReminders_AfterReexplainRequested_ListsTheDuty()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);
        Assert.Equal(0, (await cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "understood", "--oral", "--written", "--leaflet", "DH-S2")).ExitCode);

        var reexplain = await cli.RunAsync("rights", "reexplain", patient.LocalId, "--reason", "patient-request", "--note", "Asked on ward round", "-o", "json");
        var result = await cli.RunAsync("rights", "reminders", "-o", "json");

        Assert.True(reexplain.ExitCode == 0, reexplain.ToString());
        Assert.NotEmpty(reexplain.JsonArray());
        Assert.Contains(result.JsonArray().ForPatient(patient.LocalId), i => i["duty"].Str("state") == "REMINDER_DUE");
    }

    [Fact]
    public async Task NoticesNrCopies_IdentifiedNearestRelative_ListsCopiesToSendAsCsv()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section3);

        var result = await cli.RunAsync("notices", "nr-copies", "-o", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Patient,Name,Duty,State", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(patient.LocalId + ",", StringComparison.Ordinal) && l.Contains("nr-copy-132", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoticesS133_PlannedDischarge_ListsTheNotice()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section3);
        var planned = await cli.RunAsync("status", "plan-discharge", patient.LocalId, "--at", "2026-03-20 10:00", "-o", "json");

        var result = await cli.RunAsync("notices", "s133", "-o", "json");

        Assert.True(planned.ExitCode == 0, planned.ToString());
        Assert.NotNull(planned.Json()["plannedDischargeTime"]);
        Assert.Contains(result.JsonArray().ForPatient(patient.LocalId), i => i["duty"].Str("kind") == "DUTY_KIND_SECTION_133_DISCHARGE_NOTICE");
    }

    [Fact]
    public async Task Worklist_NothingToDo_TableSaysSoOnStderrAndStdoutStaysEmpty()
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync("notices", "s133");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("Nothing on this worklist", result.Stderr);
    }

    [Fact]
    public async Task RightsDue_TerminalWithNoColor_TableHasNoEscapeCodes()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);
        var env = cli.Environment();
        env["NO_COLOR"] = "1";

        var result = await cli.RunWithAsync(env, MhaRights.AdminCli.Infrastructure.TerminalCapabilities.Interactive, "rights", "due");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(patient.LocalId, result.Stdout);
        Assert.False(result.Stdout.Contains('\u001b', StringComparison.Ordinal), result.ToString());
    }
}
