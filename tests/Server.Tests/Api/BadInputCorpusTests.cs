using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Api;

/// <summary>Shared server and seed data for the corpus: one patient on s3, one CTO patient under recall.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public Patient Patient { get; private set; } = null!;

    public LegalStatusEpisode Episode { get; private set; } = null!;

    public LegalStatusEpisode Cto { get; private set; } = null!;

    public LegalStatusEpisode Recall { get; private set; } = null!;

    public RightsDuty Duty { get; private set; } = null!;

    public RightsDuty Copy { get; private set; } = null!;

    public ExplanationAttempt Attempt { get; private set; } = null!;

    public string WorklistToken { get; private set; } = string.Empty;

    public ApiKeyService.ApiKeyServiceClient ApiKeys { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        Patient = await App.CreatePatientAsync();
        Episode = await App.StartAsync(Patient, Provision.Section3, App.Clock.GetUtcNow().AddHours(-1));
        var duties = await App.DutiesAsync(Patient);
        Duty = duties.Single(d => d.Kind == DutyKind.Section1321);
        Copy = duties.Single(d => d.Kind == DutyKind.NearestRelativeCopy132);
        Attempt = (await App.ExplainAsync(Duty, AttemptOutcome.NotUnderstood)).Attempt;
        var ctoPatient = await App.CreatePatientAsync();
        Cto = await App.StartAsync(ctoPatient, Provision.CommunityTreatmentOrder, App.Clock.GetUtcNow().AddDays(-1), Provision.Section3);
        Recall = (await App.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest { Name = Cto.Name, Hospital = "RXM01", RecallTime = Scenario.At(App.Clock.GetUtcNow()) })).CurrentEpisode;
        for (var i = 0; i < 2; i++)
        {
            var p = await App.CreatePatientAsync();
            await App.StartAsync(p, Provision.Section2);
        }

        WorklistToken = (await App.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, PageSize = 1 })).NextPageToken;
        ApiKeys = new ApiKeyService.ApiKeyServiceClient(App.ChannelFor(Roles.Admin));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// The bad-input corpus: over a hundred malformed requests across the RPCs. Each must fail with INVALID_ARGUMENT
/// naming the offending field in a BadRequest detail, write no row, and leave the server healthy.
/// </summary>
public sealed class BadInputCorpusTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private static readonly string[] Tables =
        ["Patients", "LegalStatusEpisodes", "RightsDuties", "ExplanationAttempts", "ScheduledTriggers", "AuditEvents", "IdempotencyRecords", "ApiKeys"];

    private static readonly Dictionary<string, (string Field, Func<BadInputFixture, Task> Call)> Cases = Build();

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Fact]
    public void Corpus_Size_AtLeastOneHundredCases() => Assert.True(Cases.Count >= 100, $"only {Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task MalformedRequest_Case_InvalidArgumentNamingFieldNothingWrittenServerHealthy(string name)
    {
        var (field, call) = Cases[name];
        var before = await CountRowsAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => call(fixture));

        Assert.True(ex.StatusCode == StatusCode.InvalidArgument, $"{name}: expected INVALID_ARGUMENT, got {ex.StatusCode}: {ex.Status.Detail}");
        var fields = ex.BadRequest().FieldViolations.Select(v => v.Field).ToList();
        Assert.True(fields.Contains(field), $"{name}: expected a violation on '{field}', got [{string.Join(", ", fields)}]");
        Assert.Equal(before, await CountRowsAsync());
        var health = await new Grpc.Health.V1.Health.HealthClient(fixture.App.Channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private async Task<long> CountRowsAsync()
    {
        long total = 0;
        foreach (var table in Tables)
        {
            total += await fixture.App.CountAsync(table);
        }

        return total;
    }

    private static Timestamp Now(BadInputFixture f) => Scenario.At(f.App.Clock.GetUtcNow());

    private static Timestamp Future(BadInputFixture f) => Scenario.At(f.App.Clock.GetUtcNow().AddDays(3));

    private static Dictionary<string, (string, Func<BadInputFixture, Task>)> Build()
    {
        var cases = new Dictionary<string, (string, Func<BadInputFixture, Task>)>();
        void Add(string name, string field, Func<BadInputFixture, Task> call) => cases.Add(name, (field, call));
        Task CreatePatient(BadInputFixture f, Action<Patient> change, string requestId = "")
        {
            var patient = new Patient { LocalId = "CORPUS-1" };
            change(patient);
            return f.App.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = patient, RequestId = requestId }).ResponseAsync;
        }

        // PatientService
        Add("CreatePatient/no patient", "patient", f => f.App.Patients.CreatePatientAsync(new CreatePatientRequest()).ResponseAsync);
        Add("CreatePatient/empty local id", "patient.local_id", f => CreatePatient(f, p => p.LocalId = ""));
        Add("CreatePatient/over-long local id", "patient.local_id", f => CreatePatient(f, p => p.LocalId = new string('a', 65)));
        Add("CreatePatient/local id with spaces", "patient.local_id", f => CreatePatient(f, p => p.LocalId = "RIO 1"));
        Add("CreatePatient/NHS number bad checksum", "patient.nhs_number", f => CreatePatient(f, p => p.NhsNumber = "4857773456"));
        Add("CreatePatient/NHS number 9 digits", "patient.nhs_number", f => CreatePatient(f, p => p.NhsNumber = "943476591"));
        Add("CreatePatient/NHS number letters", "patient.nhs_number", f => CreatePatient(f, p => p.NhsNumber = "94347659AB"));
        Add("CreatePatient/over-long given name", "patient.given_name", f => CreatePatient(f, p => p.GivenName = new string('x', 101)));
        Add("CreatePatient/over-long family name", "patient.family_name", f => CreatePatient(f, p => p.FamilyName = new string('x', 101)));
        Add("CreatePatient/date of birth in future", "patient.date_of_birth", f => CreatePatient(f, p => p.DateOfBirth = new Google.Type.Date { Year = 2030, Month = 1, Day = 1 }));
        Add("CreatePatient/date of birth month 13", "patient.date_of_birth", f => CreatePatient(f, p => p.DateOfBirth = new Google.Type.Date { Year = 1990, Month = 13, Day = 1 }));
        Add("CreatePatient/date of birth 31 February", "patient.date_of_birth", f => CreatePatient(f, p => p.DateOfBirth = new Google.Type.Date { Year = 1990, Month = 2, Day = 31 }));
        Add("CreatePatient/unknown sex", "patient.sex", f => CreatePatient(f, p => p.Sex = (Sex)99));
        Add("CreatePatient/unknown ethnic category", "patient.ethnic_category", f => CreatePatient(f, p => p.EthnicCategory = "Q"));
        Add("CreatePatient/bad language code", "patient.preferred_language", f => CreatePatient(f, p => p.PreferredLanguage = "e"));
        Add("CreatePatient/bad hospital code", "patient.hospital", f => CreatePatient(f, p => p.Hospital = "RX M01"));
        Add("CreatePatient/over-long ward", "patient.ward", f => CreatePatient(f, p => p.Ward = new string('w', 65)));
        Add("CreatePatient/over-long request id", "request_id", f => CreatePatient(f, _ => { }, new string('r', 101)));
        Add("GetPatient/empty name", "name", f => f.App.Patients.GetPatientAsync(new GetPatientRequest()).ResponseAsync);
        Add("GetPatient/malformed name", "name", f => f.App.Patients.GetPatientAsync(new GetPatientRequest { Name = "patients/UPPER" }).ResponseAsync);
        Add("GetPatient/extra segment", "name", f => f.App.Patients.GetPatientAsync(new GetPatientRequest { Name = f.Patient.Name + "/x" }).ResponseAsync);
        Add("ListPatients/negative page size", "page_size", f => f.App.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = -1 }).ResponseAsync);
        Add("ListPatients/huge negative page size", "page_size", f => f.App.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = int.MinValue }).ResponseAsync);
        Add("ListPatients/garbage page token", "page_token", f => f.App.Patients.ListPatientsAsync(new ListPatientsRequest { PageToken = "%%%" }).ResponseAsync);
        Add("ListPatients/base64 junk page token", "page_token", f => f.App.Patients.ListPatientsAsync(new ListPatientsRequest { PageToken = "eyJ4IjoxfQ" }).ResponseAsync);
        Add("ListPatients/token from other filter", "page_token", f => f.App.Patients.ListPatientsAsync(new ListPatientsRequest { PageToken = f.WorklistToken }).ResponseAsync);
        Add("UpdatePatient/no patient", "patient", f => f.App.Patients.UpdatePatientAsync(new UpdatePatientRequest()).ResponseAsync);
        Add("UpdatePatient/bad name", "patient.name", f => f.App.Patients.UpdatePatientAsync(new UpdatePatientRequest { Patient = new Patient { Name = "patient/1" } }).ResponseAsync);
        Add("UpdatePatient/unknown mask path", "update_mask", f => f.App.Patients.UpdatePatientAsync(new UpdatePatientRequest { Patient = new Patient { Name = f.Patient.Name }, UpdateMask = new FieldMask { Paths = { "local_id" } } }).ResponseAsync);
        Add("UpdatePatient/malformed etag", "etag", f => f.App.Patients.UpdatePatientAsync(new UpdatePatientRequest { Patient = new Patient { Name = f.Patient.Name, Ward = "B" }, UpdateMask = new FieldMask { Paths = { "ward" } }, Etag = "bogus" }).ResponseAsync);
        Add("UpdatePatient/bad NHS number", "patient.nhs_number", f => f.App.Patients.UpdatePatientAsync(new UpdatePatientRequest { Patient = new Patient { Name = f.Patient.Name, NhsNumber = "1234567890" }, UpdateMask = new FieldMask { Paths = { "nhs_number" } } }).ResponseAsync);
        Add("UpdatePatient/bad ethnic category", "patient.ethnic_category", f => f.App.Patients.UpdatePatientAsync(new UpdatePatientRequest { Patient = new Patient { Name = f.Patient.Name, EthnicCategory = "I" }, UpdateMask = new FieldMask { Paths = { "ethnic_category" } } }).ResponseAsync);
        Add("SetNearestRelative/bad name", "name", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = "x", NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Unknown } }).ResponseAsync);
        Add("SetNearestRelative/missing", "nearest_relative", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name }).ResponseAsync);
        Add("SetNearestRelative/unknown status", "nearest_relative.status", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = (NearestRelative.Types.Status)7 } }).ResponseAsync);
        Add("SetNearestRelative/unspecified status", "nearest_relative.status", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative() }).ResponseAsync);
        Add("SetNearestRelative/identified without name", "nearest_relative.full_name", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified } }).ResponseAsync);
        Add("SetNearestRelative/none with name", "nearest_relative.full_name", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.NoneIdentified, FullName = "X" } }).ResponseAsync);
        Add("SetNearestRelative/over-long address", "nearest_relative.address", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "X", Address = new string('a', 501) } }).ResponseAsync);

        // LegalStatusService
        Task Start(BadInputFixture f, Action<LegalStatusEpisode> change, string parent = "")
        {
            var episode = new LegalStatusEpisode { Provision = Provision.Section2, Hospital = "RXM01", StartTime = Now(f) };
            change(episode);
            return f.App.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest { Parent = parent.Length > 0 ? parent : f.Patient.Name, Episode = episode }).ResponseAsync;
        }

        Add("StartEpisode/bad parent", "parent", f => Start(f, _ => { }, "people/1"));
        Add("StartEpisode/no episode", "episode", f => f.App.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest { Parent = f.Patient.Name }).ResponseAsync);
        Add("StartEpisode/unspecified provision", "episode.provision", f => Start(f, e => e.Provision = Provision.Unspecified));
        Add("StartEpisode/unknown provision", "episode.provision", f => Start(f, e => e.Provision = (Provision)999));
        Add("StartEpisode/missing hospital", "episode.hospital", f => Start(f, e => e.Hospital = ""));
        Add("StartEpisode/over-long hospital", "episode.hospital", f => Start(f, e => e.Hospital = new string('h', 65)));
        Add("StartEpisode/bad ward", "episode.ward", f => Start(f, e => e.Ward = "A/B"));
        Add("StartEpisode/missing start", "episode.start_time", f => Start(f, e => e.StartTime = null));
        Add("StartEpisode/start in future", "episode.start_time", f => Start(f, e => e.StartTime = Future(f)));
        Add("StartEpisode/start with bad nanos", "episode.start_time", f => Start(f, e => e.StartTime = new Timestamp { Seconds = 1, Nanos = -5 }));
        Add("StartEpisode/start beyond year 9999", "episode.start_time", f => Start(f, e => e.StartTime = new Timestamp { Seconds = 253402300800L }));
        Add("StartEpisode/CTO without suspended section", "episode.suspended_provision", f => Start(f, e => e.Provision = Provision.CommunityTreatmentOrder));
        Add("StartEpisode/CTO suspending s2", "episode.suspended_provision", f => Start(f, e => { e.Provision = Provision.CommunityTreatmentOrder; e.SuspendedProvision = Provision.Section2; }));
        Add("StartEpisode/s2 with suspended section", "episode.suspended_provision", f => Start(f, e => e.SuspendedProvision = Provision.Section3));
        Add("StartEpisode/CTO recall directly", "episode.provision", f => Start(f, e => e.Provision = Provision.CommunityTreatmentOrderRecall));
        Add("GetEpisode/bad name", "name", f => f.App.LegalStatus.GetEpisodeAsync(new GetEpisodeRequest { Name = f.Patient.Name + "/episode/x" }).ResponseAsync);
        Add("ListEpisodes/bad parent", "parent", f => f.App.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = "" }).ResponseAsync);
        Add("ListEpisodes/negative page size", "page_size", f => f.App.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = f.Patient.Name, PageSize = -10 }).ResponseAsync);
        Add("ListEpisodes/bad page token", "page_token", f => f.App.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = f.Patient.Name, PageToken = "abc" }).ResponseAsync);
        Add("ChangeProvision/bad name", "name", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = "episodes/1", Provision = Provision.Section37, ChangeTime = Now(f) }).ResponseAsync);
        Add("ChangeProvision/unspecified provision", "provision", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, ChangeTime = Now(f) }).ResponseAsync);
        Add("ChangeProvision/same provision", "provision", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, Provision = Provision.Section3, ChangeTime = Now(f) }).ResponseAsync);
        Add("ChangeProvision/missing time", "change_time", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, Provision = Provision.Section37 }).ResponseAsync);
        Add("ChangeProvision/time before start", "change_time", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, Provision = Provision.Section37, ChangeTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-30)) }).ResponseAsync);
        Add("ChangeProvision/time in future", "change_time", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, Provision = Provision.Section37, ChangeTime = Future(f) }).ResponseAsync);
        Add("ChangeProvision/bad hospital", "hospital", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, Provision = Provision.Section37, ChangeTime = Now(f), Hospital = "a b" }).ResponseAsync);
        Add("ChangeProvision/to CTO recall", "provision", f => f.App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = f.Episode.Name, Provision = Provision.CommunityTreatmentOrderRecall, ChangeTime = Now(f) }).ResponseAsync);
        Add("RenewEpisode/missing time", "renewal_time", f => f.App.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = f.Episode.Name }).ResponseAsync);
        Add("RenewEpisode/too early", "renewal_time", f => f.App.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = f.Episode.Name, RenewalTime = Now(f) }).ResponseAsync);
        Add("RenewEpisode/bad name", "name", f => f.App.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = "", RenewalTime = Now(f) }).ResponseAsync);
        Add("TransferEpisode/missing hospital", "hospital", f => f.App.LegalStatus.TransferEpisodeAsync(new TransferEpisodeRequest { Name = f.Episode.Name, TransferTime = Now(f) }).ResponseAsync);
        Add("TransferEpisode/time in future", "transfer_time", f => f.App.LegalStatus.TransferEpisodeAsync(new TransferEpisodeRequest { Name = f.Episode.Name, Hospital = "RXM02", TransferTime = Future(f) }).ResponseAsync);
        Add("TransferEpisode/time before start", "transfer_time", f => f.App.LegalStatus.TransferEpisodeAsync(new TransferEpisodeRequest { Name = f.Episode.Name, Hospital = "RXM02", TransferTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-9)) }).ResponseAsync);
        Add("RecallCommunityPatient/missing hospital", "hospital", f => f.App.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest { Name = f.Cto.Name, RecallTime = Now(f) }).ResponseAsync);
        Add("RecallCommunityPatient/missing time", "recall_time", f => f.App.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest { Name = f.Cto.Name, Hospital = "RXM01" }).ResponseAsync);
        Add("ReleaseFromRecall/missing time", "release_time", f => f.App.LegalStatus.ReleaseFromRecallAsync(new ReleaseFromRecallRequest { Name = f.Recall.Name }).ResponseAsync);
        Add("ReleaseFromRecall/time in future", "release_time", f => f.App.LegalStatus.ReleaseFromRecallAsync(new ReleaseFromRecallRequest { Name = f.Recall.Name, ReleaseTime = Future(f) }).ResponseAsync);
        Add("RevokeCommunityTreatmentOrder/missing time", "revocation_time", f => f.App.LegalStatus.RevokeCommunityTreatmentOrderAsync(new RevokeCommunityTreatmentOrderRequest { Name = f.Recall.Name }).ResponseAsync);
        Add("PlanDischarge/missing time", "planned_discharge_time", f => f.App.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = f.Episode.Name }).ResponseAsync);
        Add("PlanDischarge/time in past", "planned_discharge_time", f => f.App.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = f.Episode.Name, PlannedDischargeTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-1)) }).ResponseAsync);
        Add("EndEpisode/missing time", "end_time", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndReason = LegalStatusEpisode.Types.EndReason.Expired }).ResponseAsync);
        Add("EndEpisode/unspecified reason", "end_reason", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Now(f) }).ResponseAsync);
        Add("EndEpisode/unknown reason", "end_reason", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Now(f), EndReason = (LegalStatusEpisode.Types.EndReason)77 }).ResponseAsync);
        Add("EndEpisode/reason reserved for ChangeProvision", "end_reason", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Now(f), EndReason = LegalStatusEpisode.Types.EndReason.ProvisionChanged }).ResponseAsync);
        Add("EndEpisode/OTHER without note", "end_note", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Now(f), EndReason = LegalStatusEpisode.Types.EndReason.Other }).ResponseAsync);
        Add("EndEpisode/over-long note", "end_note", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Now(f), EndReason = LegalStatusEpisode.Types.EndReason.Expired, EndNote = new string('n', 1001) }).ResponseAsync);
        Add("EndEpisode/end before start", "end_time", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-2)), EndReason = LegalStatusEpisode.Types.EndReason.Expired }).ResponseAsync);
        Add("RecordMedicationStart/missing time", "first_medication_time", f => f.App.LegalStatus.RecordMedicationStartAsync(new RecordMedicationStartRequest { Name = f.Episode.Name }).ResponseAsync);
        Add("RecordMedicationStart/before start", "first_medication_time", f => f.App.LegalStatus.RecordMedicationStartAsync(new RecordMedicationStartRequest { Name = f.Episode.Name, FirstMedicationTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-3)) }).ResponseAsync);

        // RightsService
        Task Explain(BadInputFixture f, Action<ExplanationAttempt> change)
        {
            var attempt = Scenario.Attempt(f.App, AttemptOutcome.Understood);
            change(attempt);
            return f.App.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = f.Duty.Name, Attempt = attempt }).ResponseAsync;
        }

        Add("GetDuty/bad name", "name", f => f.App.Rights.GetDutyAsync(new GetDutyRequest { Name = f.Patient.Name }).ResponseAsync);
        Add("ListDuties/bad parent", "parent", f => f.App.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = f.Duty.Name }).ResponseAsync);
        Add("ListDuties/negative page size", "page_size", f => f.App.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = f.Patient.Name, PageSize = -1 }).ResponseAsync);
        Add("ListDuties/page token for other filter", "page_token", f => f.App.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = f.Patient.Name, PageToken = f.WorklistToken }).ResponseAsync);
        Add("RecordExplanationAttempt/bad parent", "parent", f => f.App.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = f.Patient.Name, Attempt = Scenario.Attempt(f.App, AttemptOutcome.Understood) }).ResponseAsync);
        Add("RecordExplanationAttempt/no attempt", "attempt", f => f.App.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = f.Duty.Name }).ResponseAsync);
        Add("RecordExplanationAttempt/missing time", "attempt.attempt_time", f => Explain(f, a => a.AttemptTime = null));
        Add("RecordExplanationAttempt/time in future", "attempt.attempt_time", f => Explain(f, a => a.AttemptTime = Future(f)));
        Add("RecordExplanationAttempt/time before duty opened", "attempt.attempt_time", f => Explain(f, a => a.AttemptTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-5))));
        Add("RecordExplanationAttempt/missing explainer", "attempt.explained_by", f => Explain(f, a => a.ExplainedBy = ""));
        Add("RecordExplanationAttempt/over-long explainer", "attempt.explained_by", f => Explain(f, a => a.ExplainedBy = new string('e', 201)));
        Add("RecordExplanationAttempt/missing role", "attempt.explained_by_role", f => Explain(f, a => a.ExplainedByRole = " "));
        Add("RecordExplanationAttempt/unspecified outcome", "attempt.outcome", f => Explain(f, a => a.Outcome = AttemptOutcome.Unspecified));
        Add("RecordExplanationAttempt/unknown outcome", "attempt.outcome", f => Explain(f, a => a.Outcome = (AttemptOutcome)42));
        Add("RecordExplanationAttempt/written without leaflet", "attempt.leaflet_id", f => Explain(f, a => a.LeafletId = ""));
        Add("RecordExplanationAttempt/neither oral nor written", "attempt.oral_given", f => Explain(f, a => { a.OralGiven = false; a.WrittenGiven = false; }));
        Add("RecordExplanationAttempt/next attempt when understood", "attempt.next_attempt_time", f => Explain(f, a => a.NextAttemptTime = Future(f)));
        Add("RecordExplanationAttempt/next attempt before attempt", "attempt.next_attempt_time", f => Explain(f, a => { a.Outcome = AttemptOutcome.NotUnderstood; a.NextAttemptTime = Scenario.At(f.App.Clock.GetUtcNow().AddMinutes(-30)); }));
        Add("RecordExplanationAttempt/unknown NR sharing", "attempt.nearest_relative_sharing", f => Explain(f, a => a.NearestRelativeSharing = (NearestRelativeSharing)9));
        Add("RecordExplanationAttempt/over-long capacity note", "attempt.capacity_note", f => Explain(f, a => a.CapacityNote = new string('c', 2001)));
        Add("RecordExplanationAttempt/over-long leaflet version", "attempt.leaflet_version", f => Explain(f, a => a.LeafletVersion = new string('v', 33)));
        Add("RecordExplanationAttempt/need without detail", "attempt.communication_needs[0].detail", f => Explain(f, a => a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "001", Met = true })));
        Add("RecordExplanationAttempt/need without category", "attempt.communication_needs[0].category_code", f => Explain(f, a => a.CommunicationNeeds.Add(new CommunicationNeedResponse { Met = true, Detail = "x" })));
        Add("GetExplanationAttempt/bad name", "name", f => f.App.Rights.GetExplanationAttemptAsync(new GetExplanationAttemptRequest { Name = f.Duty.Name }).ResponseAsync);
        Add("ListExplanationAttempts/bad parent", "parent", f => f.App.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = "duties/1" }).ResponseAsync);
        Add("ListExplanationAttempts/bad token", "page_token", f => f.App.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = f.Duty.Name, PageToken = "zzz" }).ResponseAsync);
        Add("CorrectExplanationAttempt/missing reason", "reason", f => f.App.Rights.CorrectExplanationAttemptAsync(new CorrectExplanationAttemptRequest { Name = f.Attempt.Name, Attempt = Scenario.Attempt(f.App, AttemptOutcome.Understood) }).ResponseAsync);
        Add("CorrectExplanationAttempt/missing attempt", "attempt", f => f.App.Rights.CorrectExplanationAttemptAsync(new CorrectExplanationAttemptRequest { Name = f.Attempt.Name, Reason = "typo" }).ResponseAsync);
        Add("VoidExplanationAttempt/missing reason", "reason", f => f.App.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = f.Attempt.Name }).ResponseAsync);
        Add("VoidExplanationAttempt/over-long reason", "reason", f => f.App.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = f.Attempt.Name, Reason = new string('r', 1001) }).ResponseAsync);
        Add("VoidExplanationAttempt/bad name", "name", f => f.App.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = f.Duty.Name, Reason = "x" }).ResponseAsync);
        Add("RecordNoticeSent/missing method", "method", f => f.App.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = f.Copy.Name, SentTime = Now(f) }).ResponseAsync);
        Add("RecordNoticeSent/time in future", "sent_time", f => f.App.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = f.Copy.Name, SentTime = Future(f), Method = "post" }).ResponseAsync);
        Add("RecordNoticeSent/time before duty", "sent_time", f => f.App.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = f.Copy.Name, SentTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-9)), Method = "post" }).ResponseAsync);
        Add("RecordNoticeSent/over-long recipient", "recipient", f => f.App.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = f.Copy.Name, SentTime = Now(f), Method = "post", Recipient = new string('p', 201) }).ResponseAsync);
        Add("RecordNoticeNotRequired/unspecified reason", "reason", f => f.App.Rights.RecordNoticeNotRequiredAsync(new RecordNoticeNotRequiredRequest { Name = f.Copy.Name, Note = "x" }).ResponseAsync);
        Add("RecordNoticeNotRequired/missing note", "note", f => f.App.Rights.RecordNoticeNotRequiredAsync(new RecordNoticeNotRequiredRequest { Name = f.Copy.Name, Reason = RecordNoticeNotRequiredRequest.Types.Reason.PatientObjects }).ResponseAsync);
        Add("RecordNoticeNotRequired/opt-out on NR copy", "reason", f => f.App.Rights.RecordNoticeNotRequiredAsync(new RecordNoticeNotRequiredRequest { Name = f.Copy.Name, Reason = RecordNoticeNotRequiredRequest.Types.Reason.NearestRelativeOptedOut, Note = "x" }).ResponseAsync);
        Add("MarkDutyNotApplicable/missing reason", "reason", f => f.App.Rights.MarkDutyNotApplicableAsync(new MarkDutyNotApplicableRequest { Name = f.Duty.Name }).ResponseAsync);
        Add("RequestReexplanation/renewal trigger", "trigger", f => f.App.Rights.RequestReexplanationAsync(new RequestReexplanationRequest { Parent = f.Patient.Name, Trigger = DutyTrigger.Renewal }).ResponseAsync);
        Add("RequestReexplanation/unknown trigger", "trigger", f => f.App.Rights.RequestReexplanationAsync(new RequestReexplanationRequest { Parent = f.Patient.Name, Trigger = (DutyTrigger)500 }).ResponseAsync);
        Add("RequestReexplanation/bad parent", "parent", f => f.App.Rights.RequestReexplanationAsync(new RequestReexplanationRequest { Parent = "patients/", Trigger = DutyTrigger.PatientRequest }).ResponseAsync);
        Add("GetRightsStatus/bad name", "name", f => f.App.Rights.GetRightsStatusAsync(new GetRightsStatusRequest { Name = "patients" }).ResponseAsync);
        Add("GetRightsBriefing/bad name", "name", f => f.App.Rights.GetRightsBriefingAsync(new GetRightsBriefingRequest { Name = "" }).ResponseAsync);
        Add("ListWorklistItems/unspecified kind", "kind", f => f.App.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest()).ResponseAsync);
        Add("ListWorklistItems/unknown kind", "kind", f => f.App.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = (WorklistKind)99 }).ResponseAsync);
        Add("ListWorklistItems/bad hospital", "hospital", f => f.App.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, Hospital = "R X" }).ResponseAsync);
        Add("ListWorklistItems/negative page size", "page_size", f => f.App.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsDue, PageSize = -5 }).ResponseAsync);
        Add("ListWorklistItems/token from other list", "page_token", f => f.App.Rights.ListWorklistItemsAsync(new ListWorklistItemsRequest { Kind = WorklistKind.RemindersDue, PageToken = f.WorklistToken }).ResponseAsync);

        // AuditService, WorkflowService, ApiKeyService
        Add("ListAuditEvents/end before start", "period.end_time", f => f.App.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Period = new TimeRange { StartTime = Now(f), EndTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-1)) } }).ResponseAsync);
        Add("ListAuditEvents/bad token", "page_token", f => f.App.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { PageToken = "bad" }).ResponseAsync);
        Add("ListAuditEvents/over-long prefix", "resource_prefix", f => f.App.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = new string('p', 301) }).ResponseAsync);
        Add("GetWorkflowGraph/unknown workflow", "workflow", f => f.App.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "x", Format = GraphFormat.Mermaid }).ResponseAsync);
        Add("GetWorkflowGraph/unspecified format", "format", f => f.App.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty" }).ResponseAsync);
        Add("CreateApiKey/missing display name", "api_key.display_name", f => f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = new MhaRights.Contracts.V1.ApiKey { Role = Roles.Auditor, ExpireTime = Future(f) } }).ResponseAsync);
        Add("CreateApiKey/unknown role", "api_key.role", f => f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "x", Role = "superuser", ExpireTime = Future(f) } }).ResponseAsync);
        Add("CreateApiKey/expiry in past", "api_key.expire_time", f => f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "x", Role = Roles.Auditor, ExpireTime = Scenario.At(f.App.Clock.GetUtcNow().AddDays(-1)) } }).ResponseAsync);
        Add("CreateApiKey/expiry beyond two years", "api_key.expire_time", f => f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "x", Role = Roles.Auditor, ExpireTime = Scenario.At(f.App.Clock.GetUtcNow().AddYears(3)) } }).ResponseAsync);
        Add("RevokeApiKey/bad name", "name", f => f.ApiKeys.RevokeApiKeyAsync(new RevokeApiKeyRequest { Name = "keys/1" }).ResponseAsync);

        // Control and bidirectional formatting characters (issue 15): refused in names, codes, ids, key names and
        // filters; free-text notes may hold tab and line breaks but nothing else of the kind.
        Add("CreatePatient/given name with NUL", "patient.given_name", f => CreatePatient(f, p => p.GivenName = "Al\u0000ex"));
        Add("CreatePatient/family name with right-to-left override", "patient.family_name", f => CreatePatient(f, p => p.FamilyName = "Smith\u202Egpj.exe"));
        Add("CreatePatient/family name with line break", "patient.family_name", f => CreatePatient(f, p => p.FamilyName = "Smith\nJones"));
        Add("CreatePatient/given name with C1 control", "patient.given_name", f => CreatePatient(f, p => p.GivenName = "Alex\u0085"));
        Add("CreatePatient/given name with DEL", "patient.given_name", f => CreatePatient(f, p => p.GivenName = "Alex\u007F"));
        Add("CreatePatient/local id with bidi isolate", "patient.local_id", f => CreatePatient(f, p => p.LocalId = "RIO\u2066123"));
        Add("CreatePatient/request id with escape", "request_id", f => CreatePatient(f, _ => { }, "req\u001b[2J"));
        Add("CreatePatient/request id with bidi override", "request_id", f => CreatePatient(f, _ => { }, "req\u202D1"));
        Add("SetNearestRelative/name with pop directional isolate", "nearest_relative.full_name", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Sam\u2069" } }).ResponseAsync);
        Add("SetNearestRelative/relationship with tab", "nearest_relative.relationship", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Sam", Relationship = "mo\tther" } }).ResponseAsync);
        Add("SetNearestRelative/address with bell", "nearest_relative.address", f => f.App.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = f.Patient.Name, NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Sam", Address = "1 High St\u0007" } }).ResponseAsync);
        Add("StartEpisode/hospital with left-to-right embedding", "episode.hospital", f => Start(f, e => e.Hospital = "RXM\u202A01"));
        Add("EndEpisode/note with NUL", "end_note", f => f.App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = f.Episode.Name, EndTime = Now(f), EndReason = LegalStatusEpisode.Types.EndReason.Other, EndNote = "ended\u0000" }).ResponseAsync);
        Add("RecordExplanationAttempt/explainer with right-to-left override", "attempt.explained_by", f => Explain(f, a => a.ExplainedBy = "Jo\u202ENurse"));
        Add("RecordExplanationAttempt/note with bidi override", "attempt.note", f => Explain(f, a => a.Note = "fine\u202Dnot fine"));
        Add("RecordExplanationAttempt/leaflet language with control", "attempt.leaflet_language", f => Explain(f, a => a.LeafletLanguage = "en\u0001"));
        Add("VoidExplanationAttempt/reason with form feed", "reason", f => f.App.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = f.Attempt.Name, Reason = "typo\u000C" }).ResponseAsync);
        Add("ListAuditEvents/prefix with control", "resource_prefix", f => f.App.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = "patients/\u0000" }).ResponseAsync);
        Add("ListAuditEvents/prefix with line break", "resource_prefix", f => f.App.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = "patients/\n" }).ResponseAsync);
        Add("CreateApiKey/display name with right-to-left override", "api_key.display_name", f => f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "EPR\u202Etset", Role = Roles.Auditor, ExpireTime = Future(f) } }).ResponseAsync);
        Add("CreateApiKey/display name with line break", "api_key.display_name", f => f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "EPR\r\nadmin", Role = Roles.Auditor, ExpireTime = Future(f) } }).ResponseAsync);
        Add("VerifyAuditChain/checkpoint with bad hash", "checkpoints[0].hash", f => f.App.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { Checkpoints = { new AuditCheckpoint { Sequence = 1, Hash = "x", Signature = new string('a', 64), CreateTime = Now(f) } } }).ResponseAsync);
        // Organisation scope (issue 15): a key's reach is validated like any other field.
        MhaRights.Contracts.V1.ApiKey Key(BadInputFixture f, string role, Action<MhaRights.Contracts.V1.ApiKey> change)
        {
            var key = new MhaRights.Contracts.V1.ApiKey { DisplayName = "scoped", Role = role, ExpireTime = Future(f) };
            change(key);
            return key;
        }

        Task CreateKey(BadInputFixture f, string role, Action<MhaRights.Contracts.V1.ApiKey> change) =>
            f.ApiKeys.CreateApiKeyAsync(new CreateApiKeyRequest { ApiKey = Key(f, role, change) }).ResponseAsync;
        Add("CreateApiKey/admin not trust-wide", "api_key.trust_wide", f => CreateKey(f, Roles.Admin, k => k.Sites.Add("RXM01")));
        Add("CreateApiKey/neither sites nor trust-wide", "api_key.sites", f => CreateKey(f, Roles.Clinician, _ => { }));
        Add("CreateApiKey/trust-wide with sites", "api_key.sites", f => CreateKey(f, Roles.Clinician, k => { k.TrustWide = true; k.Sites.Add("RXM01"); }));
        Add("CreateApiKey/lower-case site", "api_key.sites[0]", f => CreateKey(f, Roles.Clinician, k => k.Sites.Add("rxm01")));
        Add("CreateApiKey/site too long", "api_key.sites[0]", f => CreateKey(f, Roles.Clinician, k => k.Sites.Add("RXM0123")));
        Add("CreateApiKey/site too short", "api_key.sites[1]", f => CreateKey(f, Roles.Clinician, k => { k.Sites.Add("RXM01"); k.Sites.Add("RX"); }));
        Add("CreateApiKey/site with bidi", "api_key.sites[0]", f => CreateKey(f, Roles.Clinician, k => k.Sites.Add("RX‮4")));
        Add("CreateApiKey/repeated site", "api_key.sites[1]", f => CreateKey(f, Roles.Clinician, k => { k.Sites.Add("RXM01"); k.Sites.Add("RXM01"); }));
        Add("CreateApiKey/too many sites", "api_key.sites", f => CreateKey(f, Roles.Clinician, k => k.Sites.Add(Enumerable.Range(100, 51).Select(i => "RX" + i))));

        // The named-user header (issue 15): validated like a name, reported under the header's name.
        Task Named(BadInputFixture f, string value) =>
            f.App.Patients.GetPatientAsync(new GetPatientRequest { Name = f.Patient.Name }, new Metadata { { ApiKeyAuthenticationHandler.DisplayNameHeader, value } }).ResponseAsync;
        Add("Header/display name too long", ApiKeyAuthenticationHandler.DisplayNameHeader, f => Named(f, new string('d', 201)));
        Add("Header/display name with bidi override", ApiKeyAuthenticationHandler.DisplayNameHeader, f => Named(f, "Dr ⁦X"));
        Add("Header/display name with tab", ApiKeyAuthenticationHandler.DisplayNameHeader, f => Named(f, "Dr	X"));

        // Communication needs (issue 15): one answer per need, only communication categories.
        Add("RecordExplanationAttempt/repeated need category", "attempt.communication_needs[1].category_code", f => Explain(f, a =>
        {
            a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "002", Met = true, Detail = "BSL interpreter" });
            a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "002", Met = false, Detail = "none booked" });
        }));
        Add("RecordExplanationAttempt/unknown need category", "attempt.communication_needs[0].category_code", f => Explain(f, a => a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "099", Met = true, Detail = "x" })));
        Add("RecordExplanationAttempt/non-communication category", "attempt.communication_needs[0].category_code", f => Explain(f, a => a.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = "007", Met = true, Detail = "x" })));
        return cases;
    }
}
