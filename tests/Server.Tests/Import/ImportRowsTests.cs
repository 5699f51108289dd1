using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Import;

/// <summary>ImportService.ImportRows through the real gRPC stack.</summary>
public sealed class ImportRowsTests
{
    [Fact]
    public async Task ImportRows_SmallFileBatchAndRowByRow_SameRecordsDutiesTriggersAndAudit()
    {
        await using var batchApp = await TestApp.StartAsync();
        await using var rowApp = await TestApp.StartAsync();
        var rows = SampleRows(batchApp.Clock.GetUtcNow());

        var response = await Import(batchApp).ImportRowsAsync(Request(rows));
        await ImportRowByRowAsync(rowApp, rows);

        Assert.Equal(rows.Count, response.Results.Count);
        var batch = await SnapshotAsync(batchApp);
        var single = await SnapshotAsync(rowApp);
        Assert.Equal(single.Keys.Order(), batch.Keys.Order());
        foreach (var (localId, text) in single)
        {
            Assert.Equal(text, batch[localId]);
        }

        // The comparison must have had something to compare: duties opened, attempts recorded, episodes ended.
        Assert.Contains("duty Section132_1", batch["IMP-1"], StringComparison.Ordinal);
        Assert.Contains("attempt ", batch["IMP-1"], StringComparison.Ordinal);
        Assert.Contains("Ended", batch["IMP-2"], StringComparison.Ordinal);
        Assert.Contains("audit OpenDuty", batch["IMP-3"], StringComparison.Ordinal);
        // IMP-3 objects to the nearest relative's copies: the attempt closes them (the open duties the attempt reads).
        Assert.Contains("audit NoticeNotRequired", batch["IMP-3"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportRows_BadRows_InvalidArgumentNamesEveryRowAndFieldAndWritesNothing()
    {
        await using var app = await TestApp.StartAsync();
        var rows = SampleRows(app.Clock.GetUtcNow());
        rows[1].Patient.NhsNumber = "1234567890";
        rows[3].Patient.EthnicCategory = "QQ";
        rows[4].Attempt!.Outcome = AttemptOutcome.Unspecified;
        var audit = await app.CountAsync("AuditEvents");

        var ex = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(Request(rows)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var fields = ex.BadRequest().FieldViolations.Select(v => v.Field).ToList();
        Assert.Contains("rows[1].patient.nhs_number", fields);
        Assert.Contains("rows[3].patient.ethnic_category", fields);
        Assert.Contains("rows[4].attempt.outcome", fields);
        Assert.All(fields, f => Assert.Matches(@"^rows\[[134]\]\.", f));
        Assert.Equal(0, await app.CountAsync("Patients"));
        Assert.Equal(audit, await app.CountAsync("AuditEvents"));
    }

    [Fact]
    public async Task ImportRows_RowRefusedByTheRecords_InvalidArgumentNamesTheRowAndNothingOfTheBatchIsWritten()
    {
        await using var app = await TestApp.StartAsync();
        await app.CreatePatientAsync(p => p.NhsNumber = Scenario.ValidNhsNumber);
        var patients = await app.CountAsync("Patients");
        var audit = await app.CountAsync("AuditEvents");
        var rows = SampleRows(app.Clock.GetUtcNow());
        rows[3].Patient.NhsNumber = Scenario.ValidNhsNumber;

        var ex = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(Request(rows)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("rows[3].patient.nhs_number", Assert.Single(ex.BadRequest().FieldViolations).Field);
        Assert.Equal(patients, await app.CountAsync("Patients"));
        Assert.Equal(audit, await app.CountAsync("AuditEvents"));
    }

    [Fact]
    public async Task ImportRows_SecondActiveEpisode_RefusedByTheLifecycleAndNamedByRow()
    {
        await using var app = await TestApp.StartAsync();
        var now = app.Clock.GetUtcNow();
        var rows = new List<ImportRow>
        {
            Row("IMP-9", now.AddDays(-20), Provision.Section3),
            Row("IMP-9", now.AddDays(-10), Provision.Section2),
        };

        var ex = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(Request(rows)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.BadRequest().FieldViolations);
        Assert.Equal("rows[1].episode", violation.Field);
        Assert.Contains("already has an active episode", violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task ImportRows_SameRowsAgain_ReportsEverythingExistingAndCreatesNothing()
    {
        await using var app = await TestApp.StartAsync();
        var rows = SampleRows(app.Clock.GetUtcNow());
        var first = await Import(app).ImportRowsAsync(Request(rows));
        var counts = await CountsAsync(app);

        var again = await Import(app).ImportRowsAsync(Request(rows));

        Assert.Equal(counts, await CountsAsync(app));
        Assert.Equal(first.Results.Select(r => (r.Patient, r.Episode)), again.Results.Select(r => (r.Patient, r.Episode)));
        Assert.All(again.Results, r => Assert.False(r.PatientCreated || r.NearestRelativeSet || r.EpisodeStarted || r.EpisodeEnded || r.AttemptRecorded));
        Assert.Equal(3, first.Results.Count(r => r.PatientCreated));
        Assert.Equal(rows.Count(r => r.Attempt is not null), first.Results.Count(r => r.AttemptRecorded));
    }

    [Fact]
    public async Task ImportRows_RetriedWithSameRequestId_AnsweredFromTheFirstResponse()
    {
        await using var app = await TestApp.StartAsync();
        var request = Request(SampleRows(app.Clock.GetUtcNow()));
        request.RequestId = Guid.NewGuid().ToString();
        var first = await Import(app).ImportRowsAsync(request);
        var audit = await app.CountAsync("AuditEvents");

        var second = await Import(app).ImportRowsAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(audit, await app.CountAsync("AuditEvents"));
    }

    [Theory]
    [InlineData(Roles.Clinician)]
    [InlineData(Roles.EprIntegration)]
    [InlineData(Roles.Auditor)]
    public async Task ImportRows_OtherThanOfficeOrAdmin_PermissionDenied(string role)
    {
        await using var app = await TestApp.StartAsync();
        var client = new ImportService.ImportServiceClient(app.ChannelFor(role));

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ImportRowsAsync(Request(SampleRows(app.Clock.GetUtcNow()))).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(0, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task ImportRows_NoRowsOrTooMany_InvalidArgumentNamesRows()
    {
        await using var app = await TestApp.StartAsync();
        var tooMany = new ImportRowsRequest();
        var row = Row("IMP-1", app.Clock.GetUtcNow().AddDays(-1), Provision.Section2);
        tooMany.Rows.AddRange(Enumerable.Repeat(row, 1001));

        var none = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(new ImportRowsRequest()).ResponseAsync);
        var many = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(tooMany).ResponseAsync);

        Assert.Equal("rows", Assert.Single(none.BadRequest().FieldViolations).Field);
        Assert.Equal("rows", Assert.Single(many.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task ImportRows_HistoricStartBefore2008_InvalidArgumentNamesTheRowNotInternal()
    {
        // Issue 14: old forensic records are refused by row and field (the law before MHA 2007 is not modelled).
        await using var app = await TestApp.StartAsync();
        var rows = SampleRows(app.Clock.GetUtcNow());
        rows[3].Episode.StartTime = Scenario.At(new DateTimeOffset(1999, 4, 1, 9, 0, 0, TimeSpan.Zero));

        var ex = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(Request(rows)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("rows[3].episode.start_time", Assert.Single(ex.BadRequest().FieldViolations).Field);
        Assert.Equal(0, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task ImportRows_GuardianshipForPatientUnder16_InvalidArgumentNamesTheRow()
    {
        // Issue 14, s7(1): refused when applied, as a violation of that row.
        await using var app = await TestApp.StartAsync();
        var rows = SampleRows(app.Clock.GetUtcNow());
        rows[3].Episode.Provision = Provision.Guardianship7;
        rows[4].Episode.Provision = Provision.Guardianship7;
        rows[3].Patient.DateOfBirth = new Google.Type.Date { Year = 2015, Month = 1, Day = 1 };

        var ex = await Assert.ThrowsAsync<RpcException>(() => Import(app).ImportRowsAsync(Request(rows)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Matches(@"^rows\[[34]\]\.episode\.start_time$", Assert.Single(ex.BadRequest().FieldViolations).Field);
        Assert.Equal(0, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task ImportRows_BatchAppendingMoreAuditEventsThanOneStatementHolds_EveryEventStoredAndChainValid()
    {
        await using var app = await TestApp.StartAsync();
        var now = app.Clock.GetUtcNow();
        // Each row adds about a dozen audit events: the batch's events span several multi-row INSERTs (BulkInsert).
        var rows = Enumerable.Range(1, 40)
            .Select(i => Row($"BULK-{i}", now.AddDays(-30).AddHours(i), Provision.Section3, attempt: (now.AddDays(-29).AddHours(i), AttemptOutcome.Understood)))
            .ToList();

        await Import(app).ImportRowsAsync(Request(rows));

        var events = await app.CountAsync("AuditEvents");
        Assert.True(events > 2000 / 15, $"only {events} audit events: the batch no longer spans several statements");
        var chain = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(chain.Valid, chain.Problem);
        Assert.Equal(events, chain.EventsChecked);
    }

    private static ImportService.ImportServiceClient Import(TestApp app) => new(app.Channel);

    private static ImportRowsRequest Request(IEnumerable<ImportRow> rows)
    {
        var request = new ImportRowsRequest();
        request.Rows.AddRange(rows.Select(r => r.Clone()));
        return request;
    }

    /// <summary>
    /// Three patients: two successive episodes (the first ended) with attempts, an s136 with no nearest relative
    /// that expired, and one open s3 described by two rows (one with the attempt, where the patient objects to the
    /// nearest relative's copies).
    /// </summary>
    private static List<ImportRow> SampleRows(DateTimeOffset now) =>
    [
        Row("IMP-1", now.AddDays(-40), Provision.Section2, end: now.AddDays(-20), attempt: (now.AddDays(-39), AttemptOutcome.Understood)),
        Row("IMP-1", now.AddDays(-15), Provision.Section3, attempt: (now.AddDays(-14), AttemptOutcome.NotUnderstood)),
        Row("IMP-2", now.AddDays(-10), Provision.Section136, end: now.AddDays(-9), attempt: (now.AddDays(-10).AddHours(1), AttemptOutcome.Understood), nearestRelative: false,
            reason: LegalStatusEpisode.Types.EndReason.Expired),
        Row("IMP-3", now.AddDays(-5), Provision.Section3),
        Row("IMP-3", now.AddDays(-5), Provision.Section3, attempt: (now.AddDays(-4), AttemptOutcome.Declined), sharing: NearestRelativeSharing.Objects),
    ];

    private static ImportRow Row(
        string localId,
        DateTimeOffset start,
        Provision provision,
        DateTimeOffset? end = null,
        (DateTimeOffset Time, AttemptOutcome Outcome)? attempt = null,
        bool nearestRelative = true,
        LegalStatusEpisode.Types.EndReason reason = LegalStatusEpisode.Types.EndReason.DischargedByResponsibleClinician,
        NearestRelativeSharing sharing = NearestRelativeSharing.Agrees)
    {
        var row = new ImportRow
        {
            Patient = new Patient { LocalId = localId, GivenName = "Alex", FamilyName = localId, Hospital = "RXM01", Ward = "ASH", EthnicCategory = "A" },
            NearestRelative = nearestRelative
                ? new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Sam Import", Relationship = "mother" }
                : new NearestRelative { Status = NearestRelative.Types.Status.NoneIdentified },
            Episode = new LegalStatusEpisode { Provision = provision, Hospital = "RXM01", Ward = "ASH", StartTime = Scenario.At(start) },
        };
        if (end is { } e)
        {
            row.EndTime = Scenario.At(e);
            row.EndReason = reason;
        }

        if (attempt is { } a)
        {
            row.Duty = DutyKind.Section1321;
            row.Attempt = new ExplanationAttempt
            {
                AttemptTime = Scenario.At(a.Time),
                ExplainedBy = "Jo Nurse",
                ExplainedByRole = "Staff nurse",
                Outcome = a.Outcome,
                OralGiven = a.Outcome != AttemptOutcome.Declined,
                WrittenGiven = a.Outcome != AttemptOutcome.Declined,
                LeafletId = a.Outcome != AttemptOutcome.Declined ? "DH-S2" : string.Empty,
                NearestRelativeSharing = sharing,
            };
        }

        return row;
    }

    /// <summary>The same rows applied as the CLI used to: one single-record write at a time, patient by patient, episodes in start order.</summary>
    private static async Task ImportRowByRowAsync(TestApp app, List<ImportRow> rows)
    {
        foreach (var patientRows in rows.GroupBy(r => r.Patient.LocalId))
        {
            var ordered = patientRows.OrderBy(r => r.Episode.StartTime).ThenBy(r => r.Attempt?.AttemptTime).ToList();
            var patient = await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = ordered[0].Patient });
            patient = await app.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest { Name = patient.Name, NearestRelative = ordered.First(r => r.NearestRelative is not null).NearestRelative });
            foreach (var episodeRows in ordered.GroupBy(r => (r.Episode.Provision, r.Episode.StartTime)))
            {
                var definer = episodeRows.First();
                var episode = await app.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest { Parent = patient.Name, Episode = definer.Episode });
                foreach (var row in episodeRows.Where(r => r.Attempt is not null).OrderBy(r => r.Attempt.AttemptTime))
                {
                    var duty = (await app.DutiesAsync(patient))
                        .Where(d => d.Episode == episode.Name && d.Kind == row.Duty)
                        .OrderBy(d => d.State is RightsDuty.Types.State.Superseded or RightsDuty.Types.State.Closed or RightsDuty.Types.State.NotApplicable ? 1 : 0)
                        .ThenByDescending(d => d.OpenTime)
                        .First();
                    await app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = duty.Name, Attempt = row.Attempt });
                }

                if (episodeRows.FirstOrDefault(r => r.EndTime is not null) is { } ender)
                {
                    await app.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = episode.Name, EndTime = ender.EndTime, EndReason = ender.EndReason });
                }
            }
        }
    }

    private static async Task<(long, long, long, long, long)> CountsAsync(TestApp app) =>
        (await app.CountAsync("Patients"), await app.CountAsync("LegalStatusEpisodes"), await app.CountAsync("RightsDuties"),
         await app.CountAsync("ExplanationAttempts"), await app.CountAsync("AuditEvents"));

    /// <summary>
    /// Everything recorded about each patient as text, ids replaced by stable labels (P, E0, D0, A0, T0...) and
    /// version counters left out (they count saves, which differ by design). Audit events keep their order.
    /// </summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(TestApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var patient in await db.Patients.AsNoTracking().ToListAsync())
        {
            var episodes = (await db.Episodes.AsNoTracking().Where(e => e.PatientId == patient.Id).ToListAsync()).OrderBy(e => e.StartTime).ToList();
            var duties = (await db.Duties.AsNoTracking().Where(d => d.PatientId == patient.Id).ToListAsync()).OrderBy(d => d.OpenTime).ThenBy(d => d.Kind).ToList();
            var attempts = (await db.Attempts.AsNoTracking().Where(a => a.PatientId == patient.Id).ToListAsync()).OrderBy(a => a.AttemptTime).ToList();
            var triggers = (await db.ScheduledTriggers.AsNoTracking().Where(t => t.PatientId == patient.Id).ToListAsync()).OrderBy(t => t.FireTime).ThenBy(t => t.Trigger).ToList();
            var audit = (await db.AuditEvents.AsNoTracking().Where(a => a.PatientId == patient.Id).ToListAsync()).OrderBy(a => a.Sequence).ToList();
            var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [patient.Id] = "P" };
            for (var i = 0; i < episodes.Count; i++) { labels[episodes[i].Id] = $"E{i}"; }
            for (var i = 0; i < duties.Count; i++) { labels[duties[i].Id] = $"D{i}"; }
            for (var i = 0; i < attempts.Count; i++) { labels[attempts[i].Id] = $"A{i}"; }
            for (var i = 0; i < triggers.Count; i++) { labels[triggers[i].Id] = $"T{i}"; }
            string L(string? text) => text is null ? "-" : labels.Aggregate(text, (s, kv) => s.Replace(kv.Key, kv.Value, StringComparison.Ordinal));

            var text = new StringBuilder();
            text.AppendLine($"patient {patient.NhsNumber} {patient.GivenName} {patient.FamilyName} {patient.Hospital}/{patient.Ward} nr={patient.NearestRelativeStatus} {patient.NearestRelativeName} {patient.NearestRelativeRelationship} created={patient.CreateTime:O} updated={patient.UpdateTime:O}");
            foreach (var e in episodes)
            {
                text.AppendLine($"episode {L(e.Id)} {e.Provision} {e.SuspendedProvision} {e.State} {e.Hospital}/{e.Ward} {e.StartTime:O} exp={e.ExpiryTime:O} end={e.EndTime:O} {e.EndReason} {e.EndNote} prev={L(e.PreviousEpisodeId)} next={L(e.NextEpisodeId)} parent={L(e.ParentEpisodeId)} updated={e.UpdateTime:O}");
            }

            foreach (var d in duties)
            {
                text.AppendLine($"duty {d.Kind} {L(d.Id)} ep={L(d.EpisodeId)} {d.State} {d.Trigger}/{d.LastTrigger} {d.Provision} {d.Hospital}/{d.Ward} open={d.OpenTime:O} due={d.DueTime:O} next={d.NextAttemptTime:O} remind={d.NextReminderTime:O} first={d.FirstAttemptTime:O} understood={d.UnderstoodTime:O} resolved={d.ResolvedTime:O} {d.ResolutionNote} n={d.AttemptCount} by={L(d.SupersededById)} updated={d.UpdateTime:O}");
            }

            foreach (var a in attempts)
            {
                text.AppendLine($"attempt {L(a.Id)} duty={L(a.DutyId)} {a.AttemptTime:O} {a.ExplainedBy} {a.ExplainedByRole} {a.Outcome} {a.Provision} {a.Trigger} oral={a.OralGiven} written={a.WrittenGiven} {a.LeafletId} {a.NearestRelativeSharing} {a.State} {a.RecordedByPrincipal} {a.RecordedByRole} created={a.CreateTime:O}");
            }

            foreach (var t in triggers)
            {
                text.AppendLine($"trigger {L(t.Id)} ep={L(t.EpisodeId)} {t.Trigger} {t.FireTime:O} {t.Label} fired={t.FiredTime:O} cancelled={t.Cancelled}");
            }

            foreach (var a in audit)
            {
                text.AppendLine($"audit {a.Action} {L(a.Resource)} {a.FromState}->{a.ToState} {a.Trigger} {a.Reason} {L(a.DetailsJson)} {a.ActorPrincipal} {a.ActorRole} {a.EventTime:O}");
            }

            result[patient.LocalId] = text.ToString();
        }

        return result;
    }
}
