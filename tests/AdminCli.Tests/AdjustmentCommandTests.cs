using MhaRights.AdminCli.Tests.Infrastructure;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.AdminCli.Tests;

/// <summary>The reasonable adjustment flag from the office's side (and the clinician's activation).</summary>
public sealed class AdjustmentCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string[] NhsUser = ["--sds-user-id", "123456789012", "--sds-role-profile-id", "555555555555", "--sds-job-role", "R0050", "--ods-code", "RXM"];

    private CliHarness Cli => fixture.Cli;

    [Fact]
    public async Task AdjustmentsLifecycle_IdentifyAddShareActivateReviewExport_EachStepSucceeds()
    {
        var patient = await Cli.App.CreatePatientAsync(p => p.NhsNumber = "9434765870");

        var identify = await Cli.RunAsync(["adjustments", "identify", patient.LocalId, "--source", "registration-question", "-o", "json", .. NhsUser]);
        var add = await Cli.RunAsync(["adjustments", "add", patient.LocalId, "--adjustment", "001:441092009", "--note", "Lip reads", "-o", "json", .. NhsUser]);
        var impairment = await Cli.RunAsync(["adjustments", "add", patient.LocalId, "--impairment", "hearing", "-o", "json", .. NhsUser]);
        var share = await Cli.RunAsync(["adjustments", "share", patient.LocalId, "--decision", "consented", "--proxy-role", "001", "-o", "json", .. NhsUser]);
        var activate = await Cli.RunAsAsync(Roles.Clinician, ["adjustments", "activate", patient.LocalId, "-o", "json", .. NhsUser]);
        var review = await Cli.RunAsync(["adjustments", "review", patient.LocalId, "--note", "Still lip reads", "--next-review", "2026-09-01", "-o", "json", .. NhsUser]);
        var show = await Cli.RunAsync("adjustments", "show", patient.LocalId, "-o", "json");
        var bundlePath = Path.Combine(Cli.Home, $"{patient.LocalId}.json");
        var export = await Cli.RunAsync("adjustments", "export-fhir", patient.LocalId, "--file", bundlePath, "-o", "json");
        var exportToStdout = await Cli.RunAsync("adjustments", "export-fhir", patient.LocalId);

        Assert.True(identify.ExitCode == 0, identify.ToString());
        Assert.Equal("IDENTIFIED", identify.Json().Str("state"));
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("ADJUSTMENT", add.Json().Str("kind"));
        Assert.True(impairment.ExitCode == 0, impairment.ToString());
        Assert.True(share.ExitCode == 0, share.ToString());
        Assert.True(activate.ExitCode == 0, activate.ToString());
        Assert.Equal("ACTIVE", activate.Json().Str("state"));
        Assert.True(review.ExitCode == 0, review.ToString());
        Assert.Equal("REVIEWED", review.Json().Str("reviewState"));
        Assert.Equal(2, show.Json()["items"]!.AsArray().Count);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(2, export.Json()["exportedItems"]!.AsArray().Count);
        Assert.Equal("Bundle", System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(bundlePath)).Str("resourceType"));
        Assert.Equal("Bundle", exportToStdout.Json().Str("resourceType"));
    }

    [Fact]
    public async Task AdjustmentsRemove_ItemThenRecord_BothRemovedWithReason()
    {
        var patient = await Cli.App.CreatePatientAsync();
        Assert.Equal(0, (await Cli.RunAsync("adjustments", "identify", patient.LocalId, "--source", "clinician")).ExitCode);
        var item = (await Cli.RunAsync("adjustments", "add", patient.LocalId, "--impairment", "2", "-o", "json")).Json().Str("name");

        var removeItem = await Cli.RunAsync("adjustments", "remove", item, "--reason", "DoesntApply", "--comment", "Hearing aid fitted", "--yes", "-o", "json");
        var removeRecord = await Cli.RunAsync("adjustments", "remove", patient.LocalId, "--reason", "PatientDissent", "--comment", "Patient asked", "--yes", "-o", "json");
        var all = await Cli.RunAsync("adjustments", "show", patient.LocalId, "--all-items", "-o", "csv");

        Assert.True(removeItem.ExitCode == 0, removeItem.ToString());
        Assert.Equal("REMOVED", removeItem.Json().Str("state"));
        Assert.True(removeRecord.ExitCode == 0, removeRecord.ToString());
        Assert.Equal("REMOVED", removeRecord.Json().Str("state"));
        Assert.Contains("removed", all.Stdout);
    }

    [Fact]
    public async Task AdjustmentsReviewsDue_ActiveFlagDueBeforeDate_Listed()
    {
        var patient = await Cli.App.CreatePatientAsync();
        Assert.Equal(0, (await Cli.RunAsync("adjustments", "identify", patient.LocalId, "--source", "clinician")).ExitCode);
        Assert.Equal(0, (await Cli.RunAsAsync(Roles.Clinician, "adjustments", "activate", patient.LocalId, "--review-due", "2026-04-01")).ExitCode);

        var json = await Cli.RunAsync("adjustments", "reviews-due", "--due-before", "2026-05-01", "--hospital", "RXM01", "-o", "json");
        var table = await Cli.RunAsync("adjustments", "reviews-due", "--due-before", "2026-05-01");

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains(json.JsonArray(), r => r.Str("patientLocalId") == patient.LocalId);
        Assert.Contains(patient.LocalId, table.Stdout);
    }

    [Fact]
    public async Task AdjustmentsCodes_CategoryFilter_ListsSnomedCodes()
    {
        var result = await Cli.RunAsync("adjustments", "codes", "--table", "adjustment-codes", "--category", "001", "--all", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.JsonArray(), c => c.Str("code") == "441092009");
    }

    [Fact]
    public async Task AttemptRecord_CommunicationNeedNotAddressed_ConflictThenRecordedWithNeed()
    {
        var patient = await Cli.App.CreatePatientAsync();
        await Cli.App.StartAsync(patient, Provision.Section2);
        Assert.Equal(0, (await Cli.RunAsync("adjustments", "identify", patient.LocalId, "--source", "clinician")).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("adjustments", "add", patient.LocalId, "--adjustment", "001:441092009")).ExitCode);
        Assert.Equal(0, (await Cli.RunAsAsync(Roles.Clinician, "adjustments", "activate", patient.LocalId)).ExitCode);

        var refused = await Cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "RMN", "--outcome", "understood", "--oral");
        var recorded = await Cli.RunAsync("attempt", "record", patient.LocalId, "--by", "Jo Nurse", "--role", "RMN", "--outcome", "understood", "--oral", "--need", "001=met:Faced the patient, good light", "-o", "json");

        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("COMMUNICATION_NEED_UNADDRESSED", refused.Stderr);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
    }
}
