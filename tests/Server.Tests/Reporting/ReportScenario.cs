using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using MhaRights.Contracts.V1;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// Builders for the hand-built reporting datasets (all through the real gRPC stack) and a compact text form of a
/// report's figures, so a test can state every expected number of every breakdown on one line.
/// </summary>
internal static class ReportScenario
{
    private static int _sequence;

    public static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    public static ReportService.ReportServiceClient Reports(this TestApp app) => new(app.ChannelFor(Roles.Auditor));

    /// <summary>The report's queries over the request's period as of <paramref name="t"/>, on the scope's database (to compare the scan with the SQL).</summary>
    public static (MhaRightsDbContext Db, ComplianceQueries Queries, Server.Reporting.ReportMonths Months) ReportQueries(IServiceProvider scope, Server.Reporting.ReportRequest request, DateTime t)
    {
        var db = scope.GetRequiredService<MhaRightsDbContext>();
        var months = new Server.Reporting.ReportMonths(request.Start, request.End);
        var ruleSet = scope.GetRequiredService<Server.Rights.Rules.RightsRuleBook>().ForInstant(Instant.FromDateTimeUtc(request.Start));
        return (db, new ComplianceQueries(db, request, t, scope.GetRequiredService<Server.Rights.Rules.TrustPolicy>(), ruleSet, months), months);
    }

    public static async Task<Patient> PatientAsync(
        this TestApp app, string ethnic, Sex sex, DateOnly? dateOfBirth, NearestRelative.Types.Status nearestRelative = NearestRelative.Types.Status.Identified)
    {
        var n = Interlocked.Increment(ref _sequence);
        return await app.CreatePatientAsync(
            p =>
            {
                p.LocalId = string.Create(CultureInfo.InvariantCulture, $"RPT-{n:D6}");
                p.EthnicCategory = ethnic;
                p.Sex = sex;
                if (dateOfBirth is { } dob)
                {
                    p.DateOfBirth = new Google.Type.Date { Year = dob.Year, Month = dob.Month, Day = dob.Day };
                }
            },
            nearestRelative);
    }

    public static Task<LegalStatusEpisode> EpisodeAsync(this TestApp app, Patient patient, Provision provision, DateTimeOffset start, string ward = "ASH", Provision suspended = Provision.Unspecified) =>
        app.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest
        {
            Parent = patient.Name,
            Episode = new LegalStatusEpisode { Provision = provision, SuspendedProvision = suspended, Hospital = "RXM01", Ward = ward, StartTime = Scenario.At(start) },
        }).ResponseAsync;

    /// <summary>The patient's duty of <paramref name="kind"/> opened most recently.</summary>
    public static async Task<RightsDuty> DutyAsync(this TestApp app, Patient patient, DutyKind kind) =>
        (await app.DutiesAsync(patient)).Where(d => d.Kind == kind).OrderBy(d => d.OpenTime.ToDateTimeOffset()).Last();

    public static async Task<ExplanationAttempt> ExplainAtAsync(
        this TestApp app, RightsDuty duty, DateTimeOffset at, AttemptOutcome outcome, Action<ExplanationAttempt>? configure = null)
    {
        var attempt = Scenario.Attempt(app, outcome, at);
        // The patient is asked about the nearest relative's copy (s132(4)), so the datasets can send copies.
        attempt.NearestRelativeSharing = NearestRelativeSharing.Agrees;
        configure?.Invoke(attempt);
        var response = await app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = duty.Name, Attempt = attempt });
        return response.Attempt;
    }

    public static Task<RightsDuty> SendNoticeAsync(this TestApp app, RightsDuty duty, DateTimeOffset sent) =>
        app.Rights.RecordNoticeSentAsync(new RecordNoticeSentRequest { Name = duty.Name, SentTime = Scenario.At(sent), Method = "post" }).ResponseAsync;

    public static GetComplianceReportRequest Request(DateTimeOffset start, DateTimeOffset end, DateTimeOffset? asOf = null)
    {
        var request = new GetComplianceReportRequest { Period = new TimeRange { StartTime = Scenario.At(start), EndTime = Scenario.At(end) } };
        if (asOf is { } t)
        {
            request.AsOfTime = Timestamp.FromDateTimeOffset(t);
        }

        return request;
    }

    public static Measure Measure(this ComplianceReport report, string id) => report.Measures.Single(m => m.Id == id);

    /// <summary>
    /// "12/16" for a ratio or count headline; "15/16 median 10 p90 33.6" for a duration; "S" when suppressed.
    /// </summary>
    public static string Headline(this Measure measure) =>
        measure.Suppressed ? "S" : Figures(measure.Numerator, measure.Denominator, measure.Kind, measure.HasMedianHours ? measure.MedianHours : null, measure.HasP90Hours ? measure.P90Hours : null);

    /// <summary>
    /// One breakdown as "GROUP=num/den" entries joined by "; " in report order; "GROUP=S" for primary and "GROUP=S2"
    /// for secondary suppression; durations add " median m p90 p".
    /// </summary>
    public static string Rows(this Measure measure, BreakdownDimension dimension)
    {
        var breakdown = measure.Breakdowns.Single(b => b.Dimension == dimension);
        return string.Join("; ", breakdown.Rows.Select(r => r.Group + "=" + (r.Suppressed
            ? (r.SuppressionReason == SuppressionReason.Secondary ? "S2" : "S")
            : Figures(r.Numerator, r.Denominator, measure.Kind, r.HasMedianHours ? r.MedianHours : null, r.HasP90Hours ? r.P90Hours : null))));
    }

    private static string Figures(long numerator, long denominator, MeasureKind kind, double? median, double? p90) =>
        kind == MeasureKind.Duration
            ? string.Create(CultureInfo.InvariantCulture, $"{numerator}/{denominator} median {median:0.###} p90 {p90:0.###}")
            : string.Create(CultureInfo.InvariantCulture, $"{numerator}/{denominator}");
}
