using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>Recording what staff did: attempts, notices, legal status, and the patient view that shows it all.</summary>
public sealed class RecordingCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CliHarness Cli => fixture.Cli;

    [Fact]
    public async Task AttemptRecord_PatientGiven_RecordsAgainstTheOpenS1321Duty()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);

        var result = await Cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "understood", "--oral", "--written", "--leaflet", "DH-S2", "--at", "2026-03-01 10:00", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("ATTEMPT_OUTCOME_UNDERSTOOD", json["attempt"].Str("outcome"));
        Assert.Equal("UNDERSTOOD", json["duty"].Str("state"));
        Assert.Equal("DUTY_KIND_SECTION_132_1", json["duty"].Str("kind"));
    }

    [Fact]
    public async Task AttemptRecord_OtherDutyAndTable_SaysTheNewDutyStateOnStderr()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);

        var result = await Cli.RunAsync("attempt", "record", patient.LocalId, "--duty", "s130d", "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "declined", "--oral", "--imha-info");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("s130d duty is now", result.Stderr);
        Assert.Contains("declined", result.Stdout);
    }

    [Fact]
    public async Task AttemptListAndVoid_RecordedInError_VoidedAttemptListedAsVoided()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);
        var recorded = await Cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "understood", "--oral", "-o", "json");
        var attempt = recorded.Json()["attempt"].Str("name");

        var voided = await Cli.RunAsync("attempt", "void", attempt, "--reason", "Wrong patient", "--yes", "-o", "json");
        var list = await Cli.RunAsync("attempt", "list", patient.LocalId, "-o", "json");

        Assert.True(voided.ExitCode == 0, voided.ToString());
        Assert.Equal("VOIDED", voided.Json().Str("state"));
        Assert.Contains(list.JsonArray(), a => a.Str("name") == attempt && a.Str("state") == "VOIDED");
    }

    [Fact]
    public async Task AttemptVoid_NotATerminalAndNoYes_RefusesWithUsageError()
    {
        var result = await Cli.RunAsync("attempt", "void", "patients/p/duties/d/attempts/a", "--reason", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--yes", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task NoticeSent_NearestRelativeCopy_DutyBecomesSent()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section3);
        // s132(4): the patient is asked about the nearest relative's copy first.
        var duty = (await Cli.App.DutiesAsync(patient)).First(d => d.Kind == DutyKind.Section1321);
        await Cli.App.ExplainAsync(duty, AttemptOutcome.Understood, a => a.NearestRelativeSharing = NearestRelativeSharing.Agrees);

        var result = await Cli.RunAsync("notice", "sent", patient.LocalId, "--method", "post", "--at", "2026-03-01 10:00", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("SENT", result.Json().Str("state"));
        Assert.Equal("DUTY_KIND_NEAREST_RELATIVE_COPY_132", result.Json().Str("kind"));
    }

    [Fact]
    public async Task NoticeObjection_PatientObjects_DutyNotRequiredWithTheNote()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section3);

        var result = await Cli.RunAsync("notice", "objection", patient.LocalId, "--kind", "nr-copy-130d", "--note", "Does not want her mother told", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("NOT_REQUIRED", result.Json().Str("state"));
        Assert.Contains("mother", result.Json().Str("resolutionNote"));
    }

    [Fact]
    public async Task NoticeNotRequired_S133OptedOut_DutyNotRequired()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section3);
        Assert.Equal(0, (await Cli.RunAsync("status", "plan-discharge", patient.LocalId, "--at", "2026-03-25 10:00")).ExitCode);

        var result = await Cli.RunAsync("notice", "not-required", patient.LocalId, "--kind", "s133", "--reason", "nearest-relative-opted-out", "--note", "Letter of 1 March", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("NOT_REQUIRED", result.Json().Str("state"));
    }

    [Fact]
    public async Task RightsStatusAndNotApplicable_OfficeMarksDuty_StatusNoLongerListsIt()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section136);
        var before = await Cli.RunAsync("rights", "status", patient.LocalId, "-o", "json");
        var duty = before.Json()["openDuties"]!.AsArray().First(d => d.Str("kind") == "DUTY_KIND_SECTION_132_1").Str("name");

        var marked = await Cli.RunAsync("rights", "not-applicable", duty, "--reason", "Recorded in police custody", "-o", "json");
        var after = await Cli.RunAsync("rights", "status", patient.LocalId, "-o", "json");
        var table = await Cli.RunAsync("rights", "status", patient.LocalId);

        Assert.True(marked.ExitCode == 0, marked.ToString());
        Assert.Equal("NOT_APPLICABLE", marked.Json().Str("state"));
        Assert.DoesNotContain(after.Json()["openDuties"]!.AsArray(), d => d.Str("name") == duty);
        Assert.Contains("s136 at RXM01", table.Stderr);
    }

    [Fact]
    public async Task StatusCommands_FullEpisodeLifecycle_EachStepReturnsTheEpisode()
    {
        var patient = await Cli.App.CreatePatientAsync();

        var start = await Cli.RunAsync("status", "start", patient.LocalId, "--provision", "s2", "--hospital", "RXM01", "--ward", "ASH", "--at", "2026-03-01 09:00", "-o", "json");
        var change = await Cli.RunAsync("status", "change", patient.LocalId, "--provision", "section 3", "--at", "2026-03-01 09:30", "-o", "json");
        var transfer = await Cli.RunAsync("status", "transfer", patient.LocalId, "--hospital", "RXM02", "--ward", "OAK", "--at", "2026-03-01 09:45", "-o", "json");
        var end = await Cli.RunAsync("status", "end", patient.LocalId, "--reason", "discharged-by-responsible-clinician", "--at", "2026-03-01 09:50", "-o", "json");
        var list = await Cli.RunAsync("status", "list", patient.LocalId, "-o", "json");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Equal("PROVISION_SECTION_2", start.Json().Str("provision"));
        Assert.True(change.ExitCode == 0, change.ToString());
        Assert.Equal("PROVISION_SECTION_3", change.Json()["currentEpisode"].Str("provision"));
        Assert.Equal("SUPERSEDED", change.Json()["previousEpisode"].Str("state"));
        Assert.True(transfer.ExitCode == 0, transfer.ToString());
        Assert.Equal("RXM02", transfer.Json().Str("hospital"));
        Assert.True(end.ExitCode == 0, end.ToString());
        Assert.Equal("ENDED", end.Json().Str("state"));
        Assert.Equal(2, list.JsonArray().Count);
    }

    [Fact]
    public async Task StatusRenew_SectionThreeNearExpiry_RenewalCounted()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section3, at: Cli.App.Clock.GetUtcNow().AddDays(-150));

        var result = await Cli.RunAsync("status", "renew", patient.LocalId, "--at", "now", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, result.Json()["renewalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task PatientShow_LocalIdOrNhsNumber_TimelineInAllThreeFormats()
    {
        var patient = await Cli.App.CreatePatientAsync(p => p.NhsNumber = "9000000009");
        await Cli.App.StartAsync(patient, Provision.Section2);
        Assert.Equal(0, (await Cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "understood", "--oral")).ExitCode);

        var json = await Cli.RunAsync("patient", "show", patient.LocalId, "-o", "json");
        var table = await Cli.RunAsync("patient", "show", "9000000009");
        var csv = await Cli.RunAsync("patient", "show", patient.Name, "-o", "csv");

        Assert.True(json.ExitCode == 0, json.ToString());
        var view = json.Json();
        Assert.Equal(patient.Name, view["patient"].Str("name"));
        Assert.Single(view["episodes"]!.AsArray());
        Assert.NotEmpty(view["duties"]!.AsArray());
        Assert.Single(view["attempts"]!.AsArray());
        Assert.Contains(view["timeline"]!.AsArray(), e => e.Str("kind") == "explanation" && e.Str("timeLocal").EndsWith("(GMT)", StringComparison.Ordinal));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Sam Test (mother)", table.Stdout);
        Assert.Contains("episode started", table.Stdout);
        Assert.StartsWith("When (London),What,Detail,Resource", csv.Stdout);
    }

    [Fact]
    public async Task PatientShow_AuditorKey_ShowsPatientWithoutAdjustmentContent()
    {
        var patient = await Cli.App.CreatePatientAsync();

        var result = await Cli.RunAsAsync(Roles.Auditor, "patient", "show", patient.LocalId, "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(patient.LocalId, result.Json()["patient"].Str("localId"));
    }
}
