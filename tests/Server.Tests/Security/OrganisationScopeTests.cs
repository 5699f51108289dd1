using System.Security.Claims;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Adjustments;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>Keys bound to ODS sites (issue 15): PERMISSION_DENIED outside them, lists filtered, trust-wide RPCs closed.</summary>
public sealed class OrganisationScopeTests
{
    private const string OwnSite = "RXM01";
    private const string OtherSite = "RX4E2";

    /// <summary>Creates a key through ApiKeyService and returns a channel that uses it.</summary>
    internal static async Task<(Grpc.Net.Client.GrpcChannel Channel, MhaRights.Contracts.V1.ApiKey Key)> KeyAsync(
        TestApp app, string role, Action<MhaRights.Contracts.V1.ApiKey> configure)
    {
        var keys = new ApiKeyService.ApiKeyServiceClient(app.ChannelFor(Roles.Admin));
        var key = new MhaRights.Contracts.V1.ApiKey { DisplayName = "scoped " + role, Role = role, ExpireTime = Scenario.At(app.Clock.GetUtcNow().AddDays(30)) };
        configure(key);
        var created = await keys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = key });
        return (app.ChannelWithKey(created.Secret), created.ApiKey);
    }

    [Fact]
    public async Task CreateApiKey_SiteBoundKey_StoresAndReturnsScope()
    {
        await using var app = await TestApp.StartAsync();

        var (_, key) = await KeyAsync(app, Roles.EprIntegration, k => { k.Sites.Add(OwnSite); k.Sites.Add(OtherSite); k.MayActForNamedUser = true; });

        Assert.Equal([OwnSite, OtherSite], key.Sites);
        Assert.False(key.TrustWide);
        Assert.True(key.MayActForNamedUser);
        var listed = (await new ApiKeyService.ApiKeyServiceClient(app.ChannelFor(Roles.Admin)).ListApiKeysAsync(new ListApiKeysRequest { PageSize = 1000 })).ApiKeys.Single(k => k.Name == key.Name);
        Assert.Equal([OwnSite, OtherSite], listed.Sites);
        Assert.True(listed.MayActForNamedUser);
    }

    [Fact]
    public async Task CreateApiKey_IdentifiableAccessOnNonAuditor_NotStored()
    {
        await using var app = await TestApp.StartAsync();

        var (_, clinician) = await KeyAsync(app, Roles.Clinician, k => { k.Sites.Add(OwnSite); k.IdentifiableAccess = true; });
        var (_, auditor) = await KeyAsync(app, Roles.Auditor, k => { k.TrustWide = true; k.IdentifiableAccess = true; });

        Assert.False(clinician.IdentifiableAccess);
        Assert.True(auditor.IdentifiableAccess);
    }

    [Fact]
    public async Task SinglePatientRpcs_PatientAtOtherSite_PermissionDeniedAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var elsewhere = await app.CreatePatientAsync();
        var episode = await app.StartAsync(elsewhere, Provision.Section2, hospital: OtherSite);
        var duty = (await app.DutiesAsync(elsewhere)).First();
        var (channel, _) = await KeyAsync(app, Roles.MhaOffice, k => k.Sites.Add(OwnSite));
        var patients = new PatientService.PatientServiceClient(channel);
        var legal = new LegalStatusService.LegalStatusServiceClient(channel);
        var rights = new RightsService.RightsServiceClient(channel);
        var adjustments = new AdjustmentService.AdjustmentServiceClient(channel);
        var before = await app.CountAsync("AuditEvents");

        var calls = new (string Name, Func<Task> Call)[]
        {
            ("GetPatient", () => patients.GetPatientAsync(new GetPatientRequest { Name = elsewhere.Name }).ResponseAsync),
            ("UpdatePatient", () => patients.UpdatePatientAsync(new UpdatePatientRequest { Patient = new Patient { Name = elsewhere.Name, Ward = "OAK" }, UpdateMask = new() { Paths = { "ward" } } }).ResponseAsync),
            ("GetEpisode", () => legal.GetEpisodeAsync(new GetEpisodeRequest { Name = episode.Name }).ResponseAsync),
            ("EndEpisode", () => legal.EndEpisodeAsync(new EndEpisodeRequest { Name = episode.Name, EndTime = Scenario.At(app.Clock.GetUtcNow()), EndReason = LegalStatusEpisode.Types.EndReason.DischargedByResponsibleClinician }).ResponseAsync),
            ("ListDuties", () => rights.ListDutiesAsync(new ListDutiesRequest { Parent = elsewhere.Name }).ResponseAsync),
            ("GetDuty", () => rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name }).ResponseAsync),
            ("RecordExplanationAttempt", () => app.ExplainWithAsync(rights, duty)),
            ("GetAdjustmentRecord", () => adjustments.GetAdjustmentRecordAsync(new GetAdjustmentRecordRequest { Name = elsewhere.Name + "/adjustmentRecord" }).ResponseAsync),
        };
        foreach (var (name, call) in calls)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(ex.StatusCode == StatusCode.PermissionDenied, $"{name}: {ex.StatusCode} {ex.Status.Detail}");
            Assert.Equal(ErrorReasons.OutsideCallerSites, ex.ErrorInfo().Reason);
            Assert.Equal(elsewhere.Name, ex.ErrorInfo().Metadata["patient"]);
        }

        Assert.Equal(before, await app.CountAsync("AuditEvents"));
        Assert.Equal(0, await app.CountAsync("ExplanationAttempts"));
    }

    [Fact]
    public async Task GetPatient_EpisodeAtOwnSite_Allowed()
    {
        await using var app = await TestApp.StartAsync();
        var here = await app.CreatePatientAsync();
        await app.StartAsync(here, Provision.Section2, hospital: OwnSite);
        var (channel, _) = await KeyAsync(app, Roles.Clinician, k => k.Sites.Add(OwnSite));

        var read = await new PatientService.PatientServiceClient(channel).GetPatientAsync(new GetPatientRequest { Name = here.Name });
        var duties = await new RightsService.RightsServiceClient(channel).ListDutiesAsync(new ListDutiesRequest { Parent = here.Name });

        Assert.Equal(here.LocalId, read.LocalId);
        Assert.NotEmpty(duties.Duties);
    }

    [Fact]
    public async Task GetPatient_UnknownPatient_PermissionDeniedForSiteBoundNotFoundForTrustWide()
    {
        await using var app = await TestApp.StartAsync();
        var (channel, _) = await KeyAsync(app, Roles.Clinician, k => k.Sites.Add(OwnSite));
        var name = "patients/" + Ids.Random(20);

        var scoped = await Assert.ThrowsAsync<RpcException>(() => new PatientService.PatientServiceClient(channel).GetPatientAsync(new GetPatientRequest { Name = name }).ResponseAsync);
        var trustWide = await Assert.ThrowsAsync<RpcException>(() => app.Patients.GetPatientAsync(new GetPatientRequest { Name = name }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, scoped.StatusCode);
        Assert.Equal(StatusCode.NotFound, trustWide.StatusCode);
    }

    [Fact]
    public async Task StartEpisode_SiteBoundKey_FirstEpisodeAtOwnSiteAllowedOtherSiteDenied()
    {
        await using var app = await TestApp.StartAsync();
        var (channel, _) = await KeyAsync(app, Roles.EprIntegration, k => k.Sites.Add(OwnSite));
        var patients = new PatientService.PatientServiceClient(channel);
        var legal = new LegalStatusService.LegalStatusServiceClient(channel);
        var created = await patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-SCOPE-1" } });

        // No episode yet: in nobody's sites, so only trust-wide callers read it.
        var unseen = await Assert.ThrowsAsync<RpcException>(() => patients.GetPatientAsync(new GetPatientRequest { Name = created.Name }).ResponseAsync);
        var denied = await Assert.ThrowsAsync<RpcException>(() => legal.StartEpisodeAsync(Start(app, created.Name, OtherSite)).ResponseAsync);
        await legal.StartEpisodeAsync(Start(app, created.Name, OwnSite));
        var seen = await patients.GetPatientAsync(new GetPatientRequest { Name = created.Name });

        Assert.Equal(StatusCode.PermissionDenied, unseen.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("episode.hospital", denied.ErrorInfo().Metadata["field"]);
        Assert.Equal(created.Name, seen.Name);
        Assert.Single((await app.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = created.Name })).Episodes);
    }

    [Fact]
    public async Task ListPatients_SiteBoundKey_OnlyPatientsWithAnEpisodeAtItsSites()
    {
        await using var app = await TestApp.StartAsync();
        var here = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var p = await app.CreatePatientAsync();
            await app.StartAsync(p, Provision.Section2, hospital: OwnSite);
            here.Add(p.Name);
            var q = await app.CreatePatientAsync();
            await app.StartAsync(q, Provision.Section2, hospital: OtherSite);
        }

        await app.CreatePatientAsync();
        var (channel, _) = await KeyAsync(app, Roles.Clinician, k => k.Sites.Add(OwnSite));
        var client = new PatientService.PatientServiceClient(channel);

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await client.ListPatientsAsync(new ListPatientsRequest { PageSize = 1, PageToken = token });
            seen.AddRange(page.Patients.Select(p => p.Name));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(here.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(7, (await app.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 100 })).Patients.Count);
    }

    [Fact]
    public async Task ListWorklistItems_SiteBoundKey_FilteredAcrossPages()
    {
        await using var app = await TestApp.StartAsync();
        var here = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var q = await app.CreatePatientAsync();
            await app.StartAsync(q, Provision.Section3, hospital: OtherSite);
            var p = await app.CreatePatientAsync();
            await app.StartAsync(p, Provision.Section3, hospital: OwnSite);
            here.Add(p.Name);
        }

        var (channel, _) = await KeyAsync(app, Roles.MhaOffice, k => k.Sites.Add(OwnSite));
        var client = new RightsService.RightsServiceClient(channel);

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await client.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, PageSize = 1, PageToken = token });
            seen.AddRange(page.Items.Select(i => i.Patient));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        var all = (await app.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, PageSize = 1000 })).Items;
        Assert.Equal(all.Where(i => here.Contains(i.Patient)).Select(i => i.Duty.Name), (await ItemsAsync()).Select(i => i.Duty.Name));
        Assert.Equal(here, seen.ToHashSet(StringComparer.Ordinal));
        Assert.Contains(all, i => !here.Contains(i.Patient));

        async Task<List<WorklistItem>> ItemsAsync()
        {
            var items = new List<WorklistItem>();
            var t = string.Empty;
            do
            {
                var page = await client.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, PageSize = 2, PageToken = t });
                items.AddRange(page.Items);
                t = page.NextPageToken;
            }
            while (t.Length > 0);
            return items;
        }
    }

    [Fact]
    public async Task ListAdjustmentReviewsDue_SiteBoundKey_OnlyItsPatients()
    {
        await using var app = await TestApp.StartAsync();
        var (here, hereRecord) = await app.ActiveRecordAsync();
        var (elsewhere, elsewhereRecord) = await app.ActiveRecordAsync();
        await app.StartAsync(here, Provision.Section2, hospital: OwnSite);
        await app.StartAsync(elsewhere, Provision.Section2, hospital: OtherSite);
        app.Clock.Advance(TimeSpan.FromDays(400));
        var (channel, _) = await KeyAsync(app, Roles.Clinician, k => k.Sites.Add(OwnSite));

        var scoped = await new AdjustmentService.AdjustmentServiceClient(channel).ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest());
        var all = await app.Adjustments().ListAdjustmentReviewsDueAsync(new ListAdjustmentReviewsDueRequest());

        Assert.Equal([hereRecord.Name], scoped.Reviews.Select(r => r.AdjustmentRecord));
        Assert.Equal(2, all.Reviews.Count);
        Assert.Contains(all.Reviews, r => r.AdjustmentRecord == elsewhereRecord.Name);
    }

    [Fact]
    public async Task TrustWideRpcs_SiteBoundCaller_PermissionDeniedTrustWideAccessRequired()
    {
        await using var app = await TestApp.StartAsync();
        var (auditor, _) = await KeyAsync(app, Roles.Auditor, k => k.Sites.Add(OwnSite));
        var (office, _) = await KeyAsync(app, Roles.MhaOffice, k => k.Sites.Add(OwnSite));

        var audit = await Assert.ThrowsAsync<RpcException>(() => new AuditService.AuditServiceClient(auditor).ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync);
        var report = await Assert.ThrowsAsync<RpcException>(() => new ReportService.ReportServiceClient(office).GetComplianceReportAsync(new GetComplianceReportRequest
        {
            Period = new TimeRange { StartTime = Scenario.At(app.Clock.GetUtcNow().AddDays(-30)), EndTime = Scenario.At(app.Clock.GetUtcNow()) },
        }).ResponseAsync);
        var (trustWideAuditor, _) = await KeyAsync(app, Roles.Auditor, k => k.TrustWide = true);
        await new AuditService.AuditServiceClient(trustWideAuditor).ListAuditEventsAsync(new ListAuditEventsRequest());

        Assert.Equal(StatusCode.PermissionDenied, audit.StatusCode);
        Assert.Equal(ErrorReasons.TrustWideAccessRequired, audit.ErrorInfo().Reason);
        Assert.Equal(ErrorReasons.TrustWideAccessRequired, report.ErrorInfo().Reason);
    }

    [Fact]
    public void ScopeTable_EveryRpcOfTheAccessMatrix_Classified()
    {
        var matrix = AccessPolicy.Matrix.Keys.Select(k => k.Replace("mharights.v1.", string.Empty, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(matrix, PatientScope.Methods.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void JwtScope_SitesAndTrustWideFromConfiguredClaims_ForgedServiceClaimsIgnoredByName()
    {
        var jwt = new SecurityOptions.JwtSettings { SitesClaim = "org_sites", TrustWideClaim = "all_sites" };
        var token = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("org_sites", "RXM01"), new Claim("org_sites", "RX4E2 rx9"), new Claim("sites", "RAT"), new Claim("identifiable_access", "true")], "Bearer"));

        var scope = SecuritySetup.ScopeClaimsFromToken(token, jwt);
        var trustWide = SecuritySetup.ScopeClaimsFromToken(new ClaimsPrincipal(new ClaimsIdentity([new Claim("all_sites", "true")], "Bearer")), jwt);

        Assert.Equal(["RXM01", "RX4E2"], scope.Sites);
        Assert.False(scope.TrustWide);
        Assert.False(scope.MayActForNamedUser);
        Assert.True(scope.IdentifiableAccess);
        Assert.True(trustWide.TrustWide);
        Assert.Empty(trustWide.Sites);
    }

    private static StartEpisodeRequest Start(TestApp app, string parent, string hospital) => new()
    {
        Parent = parent,
        Episode = new LegalStatusEpisode { Provision = Provision.Section2, Hospital = hospital, StartTime = Scenario.At(app.Clock.GetUtcNow().AddHours(-1)) },
    };
}

internal static class ScopeTestExtensions
{
    public static Task ExplainWithAsync(this TestApp app, RightsService.RightsServiceClient rights, RightsDuty duty) =>
        rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name,
            Etag = duty.Etag,
            Attempt = new ExplanationAttempt
            {
                AttemptTime = Scenario.At(app.Clock.GetUtcNow()),
                ExplainedBy = "Jo Nurse",
                ExplainedByRole = "Nurse",
                OralGiven = true,
                WrittenGiven = true,
                Outcome = AttemptOutcome.Understood,
            },
        }).ResponseAsync;
}
