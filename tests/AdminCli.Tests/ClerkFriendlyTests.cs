using Grpc.Core;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Client;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>
/// The CLI as an MHA office clerk meets it: refusals in the office's words, duty and section names typed without
/// shell quoting, suggestions for a mistyped command, expiry dates that last the whole day, and tables that fit.
/// </summary>
public sealed class ClerkFriendlyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private CliHarness Cli => fixture.Cli;

    [Fact]
    public async Task AttemptRecord_DutyAlreadyUnderstood_SaysSoInOfficeWordsNotStateMachineWords()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);
        var duty = (await Cli.App.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
        await Cli.App.ExplainAsync(duty, AttemptOutcome.Understood);

        var result = await Cli.RunAsync("attempt", "record", duty.Name, "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "understood", "--oral");

        Assert.True(result.ExitCode == ExitCodes.Conflict, result.ToString());
        Assert.Contains("This duty is already understood", result.Stderr);
        Assert.Contains("rights reexplain", result.Stderr);
        Assert.DoesNotContain("No valid leaving transitions", result.Stderr);
        Assert.DoesNotContain("trigger", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task StatusStart_SectionAlreadyInForce_TellsTheClerkToChangeOrEndIt()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);

        var result = await Cli.RunAsync("status", "start", patient.LocalId, "--provision", "s3", "--hospital", "RXM01");

        Assert.True(result.ExitCode == ExitCodes.Conflict, result.ToString());
        Assert.Contains("already has a section in force", result.Stderr);
        Assert.Contains("status change", result.Stderr);
    }

    [Fact]
    public void Describe_UnknownTransitionWithLibraryWording_NamesStateAndActionInWords()
    {
        var exception = new MhaRightsException(
            StatusCode.FailedPrecondition,
            "No valid leaving transitions are permitted from state 'Queued' for trigger 'Withhold'. Consider ignoring the trigger.",
            MhaRightsErrorReasons.InvalidStateTransition,
            new Dictionary<string, string> { ["state"] = "Queued", ["trigger"] = "Withhold", ["unmet_guards"] = string.Empty });

        var text = ClerkMessages.For(exception);

        Assert.Equal("This cannot be done now: the record is queued (tried: withhold).", text);
    }

    [Fact]
    public void Describe_UnknownReason_FallsBackToTheServersDescription()
    {
        var exception = new MhaRightsException(StatusCode.FailedPrecondition, "x", "SOMETHING_NEW", new Dictionary<string, string> { ["rule"] = "NEW_RULE" });

        Assert.Null(ClerkMessages.For(exception));
    }

    [Theory]
    [InlineData("ReminderDue", "reminder-due")]
    [InlineData("REMINDER_DUE", "reminder-due")]
    [InlineData("reminder-due", "reminder-due")]
    [InlineData("NotApplicable", "not-applicable")]
    public void Words_AnySpellingOfAState_SameKey(string name, string expected) =>
        Assert.Equal(expected, ClerkMessages.Words(name));

    [Theory]
    [InlineData("s132-2", DutyKind.Section1322)]
    [InlineData("s132(2)", DutyKind.Section1322)]
    [InlineData("s132-1", DutyKind.Section1321)]
    [InlineData("S132A", DutyKind.Section132A)]
    [InlineData("section 130d", DutyKind.Section130D)]
    public void ParseDuty_UnquotedAndBracketedForms_SameDuty(string text, DutyKind expected) =>
        Assert.Equal(expected, LegalNames.ParseDuty(text, "--duty"));

    [Theory]
    [InlineData("s2", Provision.Section2)]
    [InlineData("s3", Provision.Section3)]
    [InlineData("s5-2", Provision.Section52)]
    [InlineData("s5(2)", Provision.Section52)]
    [InlineData("s37-41", Provision.Section3741)]
    [InlineData("cto", Provision.CommunityTreatmentOrder)]
    [InlineData("s17a", Provision.CommunityTreatmentOrder)]
    [InlineData("s17e", Provision.CommunityTreatmentOrderRecall)]
    public void ParseProvision_UnquotedForms_RightProvision(string text, Provision expected) =>
        Assert.Equal(expected, LegalNames.ParseProvision(text, "--provision"));

    [Fact]
    public async Task AttemptRecord_DutyGivenAsS132Dash2_RecordsAgainstTheS1322Duty()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);

        var result = await Cli.RunAsync("attempt", "record", patient.LocalId, "--duty", "s132-2", "--by", "Jo Nurse", "--role", "Staff nurse", "--outcome", "understood", "--oral", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("DUTY_KIND_SECTION_132_2", result.Json()["duty"].Str("kind"));
    }

    [Fact]
    public async Task Help_DutyAndProvisionOptions_ShowTheFormsThatNeedNoQuotes()
    {
        var attempt = await Cli.RunAsync("attempt", "record", "--help");
        var status = await Cli.RunAsync("status", "start", "--help");

        Assert.Contains("s132-1", attempt.Stdout);
        Assert.DoesNotContain("s132(1)|", attempt.Stdout);
        Assert.Contains("s5-2", status.Stdout);
    }

    [Theory]
    [InlineData("`rights`", "rigths", "due")]
    [InlineData("`status`", "statsu", "list", "RIO-1")]
    [InlineData("`overdue`", "rights", "overdeu")]
    [InlineData("`--hospital`", "rights", "due", "--hospitl", "RXM01")]
    public async Task NearMiss_CommandOrOption_SuggestsTheRightOne(string suggestion, params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains($"did you mean {suggestion}?", result.Stderr);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task NearMiss_NothingClose_NoSuggestion()
    {
        var result = await Cli.RunAsync("xyzzyplugh");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.DoesNotContain("did you mean", result.Stderr);
    }

    [Theory]
    [InlineData("2027-06-30", "2027-06-30T22:59:59.999Z")] // BST: 23:59:59.999 London is 22:59:59.999 UTC
    [InlineData("2026-12-31", "2026-12-31T23:59:59.999Z")] // GMT
    [InlineData("2027-03-28", "2027-03-28T22:59:59.999Z")] // the day the clocks go forward ends in BST
    [InlineData("2027-06-30 09:15", "2027-06-30T08:15:00Z")] // a time is kept
    public async Task KeysCreate_ExpiresDate_MeansTheEndOfThatDayInLondon(string expires, string expectedUtc)
    {
        var result = await Cli.RunAsAsync(Roles.Admin, "keys", "create", "--name", "Expiry " + expires, "--role", "mha-office", "--trust-wide", "--expires", expires, "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(result.Json()["apiKey"].Str("expireTime"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task RightsDue_TerminalWidth_EveryLineFits(int width)
    {
        var patient = await Cli.App.CreatePatientAsync(p => (p.GivenName, p.FamilyName) = ("Bartholomew Alexander", "Featherstonehaugh-Cholmondeley-Worthington"));
        await Cli.App.StartAsync(patient, Provision.Section2);
        var terminal = new TerminalCapabilities(false, true, true, width);

        var env = Cli.Environment();
        env["NO_COLOR"] = "1";

        var result = await Cli.RunWithAsync(env, terminal, "rights", "due");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.True(line.TrimEnd('\r').Length <= width, $"{line.Length} > {width}: {line}"));
        // One line per row (cut, not wrapped), still with the patient, the duty and the time to act by.
        Assert.Contains(lines, l => l.Contains(patient.LocalId, StringComparison.Ordinal) && l.Contains("s132(1)", StringComparison.Ordinal) && l.Contains("(GMT)", StringComparison.Ordinal));
        Assert.True(width > 80 || lines.Any(l => l.Contains(patient.LocalId, StringComparison.Ordinal) && l.Contains('…', StringComparison.Ordinal)), "the long name is cut at 80 columns");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), $"mharights-table-{width}.txt"), result.Stdout);
    }

    [Fact]
    public async Task OverdueColumn_DeadlinePassedBeforeAndAfterTheSweep_AgreesWithTheOverdueWorklist()
    {
        await using var cli = await CliHarness.StartAsync();
        var patient = await cli.App.CreatePatientAsync();
        await cli.App.StartAsync(patient, Provision.Section2);

        // Past the deadline but not yet swept: the server's past_due is already true, the overdue worklist is empty.
        cli.App.Clock.Advance(TimeSpan.FromDays(3));
        await AssertOverdueColumnMatchesWorklistAsync(cli, patient.LocalId, expectOverdue: false);

        await cli.App.AdvanceAndSweepAsync(TimeSpan.FromMinutes(1));
        await AssertOverdueColumnMatchesWorklistAsync(cli, patient.LocalId, expectOverdue: true);
    }

    private static async Task AssertOverdueColumnMatchesWorklistAsync(CliHarness cli, string localId, bool expectOverdue)
    {
        var overdue = (await cli.RunAsync("rights", "overdue", "-o", "json")).JsonArray().ForPatient(localId).Select(i => i["duty"].Str("name")).ToHashSet();
        Assert.Equal(expectOverdue, overdue.Count > 0);
        foreach (var worklist in new[] { "due", "overdue" })
        {
            var csv = await cli.RunAsync("rights", worklist, "-o", "csv");
            var rows = csv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
            var header = rows[0].ToList();
            foreach (var row in rows.Skip(1).Where(r => r[header.IndexOf("Patient")] == localId))
            {
                Assert.Equal(overdue.Contains(row[header.IndexOf("Duty name")]) ? "yes" : "no", row[header.IndexOf("Overdue")]);
            }
        }
    }
}
