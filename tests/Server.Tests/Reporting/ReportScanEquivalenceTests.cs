using System.Globalization;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Tests.Infrastructure;
using MhaRights.Server.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static MhaRights.Server.Tests.Reporting.ReportScenario;
using Duties = MhaRights.Server.Rights.Duties;
using Provision = MhaRights.Contracts.V1.Provision;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// The streaming scan (SQLite, current record) against the set-based SQL statement it replaced: on a generated
/// multi-patient dataset, every cell (breakdown keys, all twenty counters, episode count and the timing values the
/// percentiles are taken from) must be identical, so every measure and breakdown of the report is.
/// </summary>
public sealed class ReportScanEquivalenceTests(ReportScanDataset data) : IClassFixture<ReportScanDataset>
{
    [SqliteTheory]
    [InlineData("2026-05-10T13:00:00Z", 1)]
    [InlineData("2026-05-21T12:00:00Z", 3)]
    [InlineData("2026-09-20T12:00:00Z", 1)]
    [InlineData("2026-09-20T12:00:00Z", 2)]
    [InlineData("2026-11-10T12:00:00Z", 2)]
    [InlineData("2027-01-01T00:00:00Z", 4)]
    public async Task Scan_GeneratedDataset_SameCellsAsTheSetBasedQuery(string at, int partitions)
    {
        var t = DateTime.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var request = new ReportRequest(ReportScanDataset.PeriodStart.UtcDateTime, ReportScanDataset.PeriodEnd.UtcDateTime);
        await using var scope = data.App.Services.CreateAsyncScope();
        var (db, queries, months) = ReportQueries(scope.ServiceProvider, request, t);

        var expected = Lines(await queries.CellsAsync(request.Start, request.End, CancellationToken.None));
        var actual = Lines(await new ReportScan(db, queries, months, t).CellsAsync(request.Start, request.End, partitions, CancellationToken.None));

        Assert.Equal(expected, actual);
        Assert.True(expected.Count >= 10, $"Too few cells to compare: {expected.Count}");
    }

    [SqliteFact]
    public async Task Scan_GeneratedDataset_ExercisesEveryMeasure()
    {
        var t = new DateTime(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);
        var request = new ReportRequest(ReportScanDataset.PeriodStart.UtcDateTime, ReportScanDataset.PeriodEnd.UtcDateTime);
        await using var scope = data.App.Services.CreateAsyncScope();
        var (db, queries, months) = ReportQueries(scope.ServiceProvider, request, t);
        var cells = await new ReportScan(db, queries, months, t).CellsAsync(request.Start, request.End, 2, CancellationToken.None);

        // Each measure's denominator and numerator is non-zero somewhere, so the comparison above covers every expression.
        foreach (var counter in Enum.GetValues<Counter>().Where(c => c is not (Counter.RecallDen or Counter.RecallNum or Counter.ChangeNum)))
        {
            Assert.True(cells.Sum(c => c[counter]) > 0, $"{counter} is zero on the generated dataset");
        }
    }

    /// <summary>
    /// A period long enough to be read in concurrent slices (elsewhere than SQLite with the communication-needs statement
    /// alongside and, on PostgreSQL, without parallel workers): every headline that is not suppressed is the sums of the
    /// single statement's cells.
    /// </summary>
    [Fact]
    public async Task SlicedReport_GeneratedDataset_SameHeadlinesAsOneStatement()
    {
        var request = new ReportRequest(ReportScanDataset.PeriodStart.UtcDateTime.AddDays(-60), ReportScanDataset.PeriodEnd.UtcDateTime.AddDays(60));
        await using var scope = data.App.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ComplianceReportService>();
        service.ForceSetBasedQuery = true;
        var report = await service.ComputeAsync(request, CancellationToken.None);
        var (_, queries, _) = ReportQueries(scope.ServiceProvider, request, report.AsOf);
        var cells = await queries.CellsAsync(request.Start, request.End, CancellationToken.None);
        var communication = await queries.CommunicationCellsAsync(CancellationToken.None);

        var expected = new Dictionary<string, (long Numerator, long Denominator)>
        {
            [MeasureCatalog.InitialWithinSla.Id] = Sums(Counter.InitialNum, Counter.InitialDen),
            [MeasureCatalog.RepeatAfterChangeOfProvision.Id] = Sums(Counter.ChangeNum, Counter.ChangeDen),
            [MeasureCatalog.RepeatAfterRenewal.Id] = Sums(Counter.RenewalNum, Counter.RenewalDen),
            [MeasureCatalog.RepeatAfterTribunalWindow.Id] = Sums(Counter.TribunalNum, Counter.TribunalDen),
            [MeasureCatalog.RepeatedDiscussions.Id] = Sums(Counter.RepeatNum, Counter.RepeatDen),
            [MeasureCatalog.NearestRelativeCopy.Id] = Sums(Counter.NearestRelativeNum, Counter.NearestRelativeDen),
            [MeasureCatalog.NotUnderstoodNoReattempt.Id] = Sums(Counter.NotUnderstoodNum, Counter.NotUnderstoodDen),
            [MeasureCatalog.DischargeNoticeOnTime.Id] = Sums(Counter.NoticeNum, Counter.NoticeDen),
            [MeasureCatalog.ImhaInformationGiven.Id] = Sums(Counter.ImhaNum, Counter.ImhaDen),
            [MeasureCatalog.HoursToFirstAttempt.Id] = (cells.Sum(c => c.FirstSecondsList().Count), cells.Sum(c => c.InitialDen)),
            [MeasureCatalog.UnmetCommunicationNeeds.Id] = (communication.Sum(c => c.Unmet), communication.Sum(c => c.Attempts)),
        };
        var compared = 0;
        foreach (var (id, sums) in expected)
        {
            var headline = report.Measure(id).Headline;
            if (!headline.Suppressed)
            {
                Assert.Equal((id, sums), (id, (headline.Numerator, headline.Denominator)));
                compared++;
            }
        }

        Assert.True(compared >= 6, $"Too few headlines to compare: {compared}");

        (long, long) Sums(Counter numerator, Counter denominator) => (cells.Sum(c => c[numerator]), cells.Sum(c => c[denominator]));
    }

    /// <summary>
    /// The duties' report projection (Reporting/DutyReportFacts, kept by every attempt recorded, corrected or voided
    /// through the API) against the same facts computed in SQL from the standing attempts, for every duty.
    /// </summary>
    [Fact]
    public async Task Projection_GeneratedDataset_EveryDutyMatchesItsStandingAttempts()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        const Duties.AttemptState Standing = Duties.AttemptState.Recorded;
        var expected = await db.Duties.AsNoTracking().OrderBy(d => d.Id).Select(d => new
        {
            d.Id,
            FirstUnderstood = db.Attempts
                .Where(a => a.DutyId == d.Id && a.State == Standing && a.Outcome == Duties.AttemptOutcome.Understood
                    && db.Attempts.Any(o => o.DutyId == d.Id && o.State == Standing && o.OralGiven && o.AttemptTime <= a.AttemptTime)
                    && db.Attempts.Any(w => w.DutyId == d.Id && w.State == Standing && w.WrittenGiven && w.AttemptTime <= a.AttemptTime))
                .Min(a => (DateTime?)a.AttemptTime),
            Renewal = db.Attempts.Any(a => a.DutyId == d.Id && a.State == Standing && a.Trigger == Duties.DutyTrigger.Renewal),
            Tribunal = db.Attempts.Any(a => a.DutyId == d.Id && a.State == Standing && (a.Trigger == Duties.DutyTrigger.TribunalWindow || a.Trigger == Duties.DutyTrigger.AutomaticReference)),
            LatestInformation = db.Attempts
                .Where(a => a.DutyId == d.Id && a.State == Standing
                    && (a.Outcome == Duties.AttemptOutcome.Understood || a.Outcome == Duties.AttemptOutcome.PartlyUnderstood || a.Outcome == Duties.AttemptOutcome.NotUnderstood))
                .Max(a => (DateTime?)a.AttemptTime),
        }).ToListAsync();
        Assert.Equal(expected.Select(e => e.ToString()!), await ProjectedAsync(db));

        // The dataset exercises every part: corrections and voids, understood talks not yet counted for want of the
        // leaflet (s132(3)), renewal and tribunal re-explanations.
        Assert.True(await db.Attempts.AnyAsync(a => a.State == Duties.AttemptState.Corrected), "no corrected attempt");
        Assert.True(await db.Attempts.AnyAsync(a => a.State == Duties.AttemptState.Voided), "no voided attempt");
        Assert.Contains(expected, d => d.FirstUnderstood is not null);
        Assert.True(
            await db.Duties.AnyAsync(d => d.FirstUnderstoodTime == null && db.Attempts.Any(a => a.DutyId == d.Id && a.State == Standing && a.Outcome == Duties.AttemptOutcome.Understood)),
            "no understood attempt left uncounted by s132(3)");
        Assert.Contains(expected, d => d.Renewal);
        Assert.Contains(expected, d => d.Tribunal);
    }

    /// <summary>The DutyReportProjection migration's backfill computes what the service keeps (down to the migration before, then up).</summary>
    [Fact]
    public async Task DutyReportProjectionMigration_ExistingDuties_BackfilledAsTheServiceKeepsThem()
    {
        await using var scope = data.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var kept = await ProjectedAsync(db);
        var migrations = db.Database.GetMigrations().ToList();
        var projection = migrations.FindIndex(m => m.EndsWith("_DutyReportProjection", StringComparison.Ordinal));
        Assert.True(projection > 0, "no DutyReportProjection migration");
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync(migrations[projection - 1]);
        await migrator.MigrateAsync();

        Assert.Equal(kept, await ProjectedAsync(db));
        Assert.Contains(kept, d => d.Contains("Renewal = True", StringComparison.Ordinal));
    }

    private static async Task<List<string>> ProjectedAsync(MhaRightsDbContext db) =>
        (await db.Duties.AsNoTracking().OrderBy(d => d.Id).Select(d => new
        {
            d.Id,
            FirstUnderstood = d.FirstUnderstoodTime,
            Renewal = d.RenewalAttempted,
            Tribunal = d.TribunalAttempted,
            LatestInformation = d.LatestInformationTime,
        }).ToListAsync()).Select(p => p.ToString()!).ToList();

    private static List<string> Lines(IEnumerable<ReportCell> cells) =>
        cells.Select(c => string.Join(
                '|',
                c.Provision,
                c.Ethnic ?? "<null>",
                c.Sex,
                c.AgeBand,
                c.Month,
                c.Episodes,
                string.Join(',', Enum.GetValues<Counter>().Select(k => c[k])),
                Sorted(c.FirstSecondsList()),
                Sorted(c.UnderstoodSecondsList())))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string Sorted(IReadOnlyList<long> seconds) => string.Join(',', seconds.Order());
}

/// <summary>
/// A seeded random dataset through the gRPC API: detentions, changes of provision, CTOs and recalls with random
/// demographics, attempts (outcomes, IMHA information, planned re-attempts), voids, nearest-relative copies,
/// discharge notices, renewals and tribunal windows fired by the sweeper.
/// </summary>
public sealed class ReportScanDataset : IAsyncLifetime
{
    public static readonly DateTimeOffset PeriodStart = Utc(3, 1, 0);

    public static readonly DateTimeOffset PeriodEnd = Utc(4, 30, 23);

    // Variations added later than the dataset's main sequence (oral/written, corrections) draw from here.
    private readonly Random _variation = new(132);

    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        var random = new Random(20261122);
        string[] ethnic = ["A", "N", "M", string.Empty, "Z", "H"];
        Sex[] sexes = [Sex.Male, Sex.Female, Sex.NotKnown];
        AttemptOutcome[] outcomes = [AttemptOutcome.Understood, AttemptOutcome.Understood, AttemptOutcome.NotUnderstood, AttemptOutcome.PartlyUnderstood, AttemptOutcome.Declined];
        var section3 = new List<(Patient Patient, LegalStatusEpisode Episode)>();
        var section2 = new List<(Patient Patient, LegalStatusEpisode Episode)>();
        var ctos = new List<(Patient Patient, LegalStatusEpisode Episode)>();
        var attempts = new List<ExplanationAttempt>();

        App.Clock.SetUtcNow(Utc(5, 10, 12));
        for (var i = 0; i < 48; i++)
        {
            DateOnly? dob = random.Next(7) == 0 ? null : new DateOnly(1940 + random.Next(70), 1 + random.Next(12), 1 + random.Next(28));
            var patient = await App.PatientAsync(
                ethnic[random.Next(ethnic.Length)], sexes[random.Next(sexes.Length)], dob,
                random.Next(5) == 0 ? NearestRelative.Types.Status.NoneIdentified : NearestRelative.Types.Status.Identified);
            var start = PeriodStart.AddDays(random.Next(60)).AddHours(random.Next(24));
            var kind = random.Next(4);
            var episode = kind switch
            {
                3 => await App.EpisodeAsync(patient, Provision.CommunityTreatmentOrder, start, suspended: Provision.Section3),
                2 => await App.EpisodeAsync(patient, Provision.Section136, start),
                1 => await App.EpisodeAsync(patient, Provision.Section2, start),
                _ => await App.EpisodeAsync(patient, Provision.Section3, start),
            };
            if (kind == 2)
            {
                episode = (await App.LegalStatus.ChangeProvisionAsync(new ChangeProvisionRequest { Name = episode.Name, Provision = Provision.Section2, ChangeTime = Scenario.At(start.AddHours(2)) })).CurrentEpisode;
            }

            (kind switch { 3 => ctos, 0 => section3, _ => section2 }).Add((patient, episode));
            var initial = kind == 3 ? DutyKind.Section132A : DutyKind.Section1321;
            var at = start.AddHours(2);
            for (var n = random.Next(4); n > 0; n--)
            {
                at = at.AddHours(1 + random.Next(40));
                var attempt = await TryExplainAsync(patient, initial, at, outcomes[random.Next(outcomes.Length)], random.Next(2) == 0, random.Next(3) == 0 ? at.AddHours(random.Next(200)) : null);
                if (attempt is not null)
                {
                    attempts.Add(attempt);
                }
            }

            if (random.Next(3) > 0)
            {
                await TryExplainAsync(patient, DutyKind.Section130D, start.AddHours(1 + random.Next(80)), outcomes[random.Next(outcomes.Length)], false, null);
            }

            if (random.Next(3) > 0)
            {
                await TrySendAsync(patient, DutyKind.NearestRelativeCopy132, start.AddDays(random.Next(6)));
            }

            if (random.Next(3) > 0)
            {
                await TrySendAsync(patient, DutyKind.NearestRelativeCopy130D, start.AddDays(random.Next(6)));
            }
        }

        foreach (var attempt in attempts.Where(_ => random.Next(10) == 0))
        {
            await Tolerate(App.Rights.VoidExplanationAttemptAsync(new VoidExplanationAttemptRequest { Name = attempt.Name, Reason = "Recorded against the wrong patient." }).ResponseAsync);
        }

        // Corrections (a generator of its own, so the steps above and below see the same random sequence as before).
        foreach (var attempt in attempts.Where(_ => _variation.Next(8) == 0))
        {
            var corrected = Scenario.Attempt(App, _variation.Next(2) == 0 ? AttemptOutcome.Understood : AttemptOutcome.NotUnderstood, attempt.AttemptTime.ToDateTimeOffset());
            corrected.ImhaInformationGiven = attempt.ImhaInformationGiven;
            corrected.NearestRelativeSharing = NearestRelativeSharing.Agrees;
            corrected.WrittenGiven = _variation.Next(2) == 0;
            await Tolerate(App.Rights.CorrectExplanationAttemptAsync(new CorrectExplanationAttemptRequest { Name = attempt.Name, Attempt = corrected, Reason = "Outcome recorded wrongly." }).ResponseAsync);
        }

        foreach (var (_, episode) in section2.Where(_ => random.Next(2) == 0))
        {
            await Tolerate(App.LegalStatus.PlanDischargeAsync(new PlanDischargeRequest { Name = episode.Name, PlannedDischargeTime = Scenario.At(Utc(5, 25, 10).AddDays(random.Next(2) * 10)) }).ResponseAsync);
        }

        App.Clock.SetUtcNow(Utc(5, 20, 10));
        foreach (var (patient, _) in section2.Where(_ => random.Next(2) == 0))
        {
            await TrySendAsync(patient, DutyKind.Section133DischargeNotice, Utc(5, 20, 10));
        }

        App.Clock.SetUtcNow(Utc(8, 20, 12));
        foreach (var (patient, episode) in section3.Where(_ => random.Next(4) > 0))
        {
            await Tolerate(App.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest { Name = episode.Name, RenewalTime = Scenario.At(Utc(8, 20, 10)) }).ResponseAsync);
            if (random.Next(2) == 0)
            {
                await TryExplainAsync(patient, DutyKind.Section1321, Utc(8, 20, 12), AttemptOutcome.Understood, false, null);
            }
        }

        App.Clock.SetUtcNow(Utc(9, 10, 10));
        await App.AdvanceAndSweepAsync(TimeSpan.Zero);
        App.Clock.SetUtcNow(Utc(9, 10, 12));
        foreach (var (patient, _) in section3.Concat(ctos).Where(_ => random.Next(2) == 0))
        {
            await TryExplainAsync(patient, DutyKind.Section1321, Utc(9, 10, 12), AttemptOutcome.Understood, random.Next(2) == 0, null);
        }

        // Later tribunal windows (episodes started up to the end of April), each explained on the day.
        App.Clock.SetUtcNow(Utc(11, 1, 10));
        await App.AdvanceAndSweepAsync(TimeSpan.Zero);
        App.Clock.SetUtcNow(Utc(11, 1, 12));
        foreach (var (patient, _) in section3.Where(_ => random.Next(4) > 0))
        {
            await TryExplainAsync(patient, DutyKind.Section1321, Utc(11, 1, 12), AttemptOutcome.Understood, false, null);
        }

        // Told of the IMHA service (s130D) in one detention and again in the next, whose new qualifying period opened a
        // new s130D duty: only the later talk is at or after that duty opened, so the patient's latest such talk (not
        // the first) decides the measure.
        var toldTwice = await App.PatientAsync("A", Sex.Female, new DateOnly(1980, 1, 1), NearestRelative.Types.Status.Identified);
        var first = await App.EpisodeAsync(toldTwice, Provision.Section2, Utc(4, 1, 9));
        await App.ExplainAtAsync(await App.DutyAsync(toldTwice, DutyKind.Section1321), Utc(4, 1, 11), AttemptOutcome.Understood, a => a.ImhaInformationGiven = true);
        await App.LegalStatus.EndEpisodeAsync(new EndEpisodeRequest { Name = first.Name, EndTime = Scenario.At(Utc(4, 5, 9)), EndReason = LegalStatusEpisode.Types.EndReason.DischargedByResponsibleClinician });
        await App.EpisodeAsync(toldTwice, Provision.Section2, Utc(4, 15, 9));
        await App.ExplainAtAsync(await App.DutyAsync(toldTwice, DutyKind.Section1321), Utc(4, 16, 9), AttemptOutcome.Understood, a => a.ImhaInformationGiven = true);

        App.Clock.SetUtcNow(Utc(11, 10, 12));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>Random steps may not apply to a duty's state (e.g. already closed): the dataset simply skips them.</summary>
    private static async Task<T?> Tolerate<T>(Task<T> call)
        where T : class
    {
        try
        {
            return await call;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists)
        {
            return null;
        }
    }

    private async Task<ExplanationAttempt?> TryExplainAsync(Patient patient, DutyKind kind, DateTimeOffset at, AttemptOutcome outcome, bool imha, DateTimeOffset? next)
    {
        var duties = (await App.DutiesAsync(patient)).Where(d => d.Kind == kind).ToList();
        if (duties.Count == 0)
        {
            return null;
        }

        var duty = duties.OrderBy(d => d.OpenTime.ToDateTimeOffset()).Last();
        return await Tolerate(App.ExplainAtAsync(duty, at, outcome, a =>
        {
            a.ImhaInformationGiven = imha;

            // s132(3): some talks without the leaflet and some leaflets left without a talk.
            switch (_variation.Next(6))
            {
                case 0:
                    a.WrittenGiven = false;
                    break;
                case 1:
                    a.OralGiven = false;
                    break;
            }

            if (next is { } planned)
            {
                a.NextAttemptTime = Scenario.At(planned);
            }
        }));
    }

    private async Task TrySendAsync(Patient patient, DutyKind kind, DateTimeOffset at)
    {
        var duties = (await App.DutiesAsync(patient)).Where(d => d.Kind == kind).ToList();
        if (duties.Count > 0)
        {
            await Tolerate(App.SendNoticeAsync(duties.OrderBy(d => d.OpenTime.ToDateTimeOffset()).Last(), at));
        }
    }
}
