using System.Globalization;

namespace MhaRights.Server.Reporting;

/// <summary>A headline against its target. Values align with mharights.v1.RagStatus.</summary>
public enum RagStatus
{
    Unspecified = 0,
    Green = 1,
    Amber = 2,
    Red = 3,
    NotRated = 4,
}

/// <summary>Change since the previous period. Values align with mharights.v1.Trend.</summary>
public enum TrendDirection
{
    Unspecified = 0,
    Improving = 1,
    Steady = 2,
    Worsening = 3,
    NoComparison = 4,
}

/// <summary>The one-page summary line of a measure: value, target, RAG and trend.</summary>
public sealed record MeasureSummary(string MeasureId, double? Value, double? Target, RagStatus Rag, double? PreviousValue, TrendDirection Trend);

/// <summary>
/// Trust targets for the summary page (settings <c>Reporting:Targets:&lt;measure id&gt;</c>, a percentage for ratios
/// and median hours for durations; <c>Reporting:AmberBand</c>). The defaults follow the domain notes: the s132 duties
/// are to be met for every patient (section-132.md §1, §5: CQC's findings are about rights not explained or not
/// repeated), so "higher is better" ratios aim at 95% (a few cases are legitimately late: the patient too unwell,
/// CoP 4.9-4.12), "lower is better" ratios at 5%, the first attempt within a day of the duty opening (the trust SLA
/// for detentions) and understanding within three days. Counts have no target.
/// </summary>
public sealed class ReportTargets
{
    public const string SectionName = "Reporting:Targets";

    public const string AmberBandKey = "Reporting:AmberBand";

    private static readonly Dictionary<string, double> Defaults = new(StringComparer.Ordinal)
    {
        [MeasureCatalog.InitialWithinSla.Id] = 95,
        [MeasureCatalog.HoursToFirstAttempt.Id] = 24,
        [MeasureCatalog.HoursToUnderstanding.Id] = 72,
        [MeasureCatalog.RepeatAfterChangeOfProvision.Id] = 95,
        [MeasureCatalog.RepeatAfterRenewal.Id] = 95,
        [MeasureCatalog.RepeatAfterTribunalWindow.Id] = 95,
        [MeasureCatalog.RepeatAfterCtoRecall.Id] = 95,
        [MeasureCatalog.RepeatedDiscussions.Id] = 90,
        [MeasureCatalog.NearestRelativeCopy.Id] = 95,
        [MeasureCatalog.NotUnderstoodNoReattempt.Id] = 5,
        [MeasureCatalog.DischargeNoticeOnTime.Id] = 95,
        [MeasureCatalog.ImhaInformationGiven.Id] = 95,
        [MeasureCatalog.AdjustmentReviewsOverdue.Id] = 5,
        [MeasureCatalog.UnmetCommunicationNeeds.Id] = 5,
    };

    private readonly Dictionary<string, double> _targets;

    public ReportTargets(IReadOnlyDictionary<string, double>? overrides = null, double amberBand = 10)
    {
        _targets = new Dictionary<string, double>(Defaults, StringComparer.Ordinal);
        foreach (var (id, value) in overrides ?? new Dictionary<string, double>())
        {
            _targets[id] = value;
        }

        AmberBand = amberBand;
    }

    /// <summary>
    /// How far a headline may miss its target and still be amber: percentage points for ratios, percent of the
    /// target for durations (default 10).
    /// </summary>
    public double AmberBand { get; }

    /// <summary>Changes smaller than this (percentage points, or hours) count as steady.</summary>
    public static double SteadyBand => 0.5;

    public static ReportTargets From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var overrides = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(SectionName).GetChildren())
        {
            overrides[child.Key] = double.TryParse(child.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new InvalidOperationException($"{SectionName}:{child.Key} must be a non-negative number (was '{child.Value}').");
        }

        var band = configuration[AmberBandKey] is { Length: > 0 } text
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : 10;
        return new ReportTargets(overrides, band);
    }

    public double? For(MeasureDefinition measure) =>
        measure.Kind != MeasureKind.Count && _targets.TryGetValue(measure.Id, out var target) ? target : null;
}

/// <summary>Builds the summary lines: the headline value against the target, and against the previous period.</summary>
public static class ReportSummary
{
    /// <summary>The number the summary talks about: the percentage of a ratio, the median of a duration, the count.</summary>
    public static double? Value(MeasureDefinition measure, Figures figures)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(figures);
        return figures.Suppressed ? null : measure.Kind switch
        {
            MeasureKind.Duration => figures.MedianHours,
            MeasureKind.Count => figures.Numerator,
            _ => figures.Percentage,
        };
    }

    public static IReadOnlyList<MeasureSummary> Build(ComplianceReportResult current, ComplianceReportResult? previous, ReportTargets targets)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(targets);
        var before = previous?.Measures.ToDictionary(m => m.Definition.Id, StringComparer.Ordinal) ?? [];
        return
        [
            .. current.Measures.Select(m => For(
                m.Definition,
                Value(m.Definition, m.Headline),
                before.TryGetValue(m.Definition.Id, out var p) ? Value(p.Definition, p.Headline) : null,
                targets)),
        ];
    }

    public static MeasureSummary For(MeasureDefinition measure, double? value, double? previousValue, ReportTargets targets)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(targets);
        var target = targets.For(measure);
        return new MeasureSummary(measure.Id, value, target, Rag(measure, value, target, targets.AmberBand), previousValue, Trend(measure, value, previousValue));
    }

    public static RagStatus Rag(MeasureDefinition measure, double? value, double? target, double amberBand)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (value is not { } v || target is not { } t)
        {
            return RagStatus.NotRated;
        }

        // Durations are hours (lower is better) and their band is a share of the target; ratios' band is points.
        var band = measure.Kind == MeasureKind.Duration ? t * amberBand / 100 : amberBand;
        var shortfall = measure.LowerIsBetter ? v - t : t - v;
        return shortfall <= 0 ? RagStatus.Green : shortfall <= band ? RagStatus.Amber : RagStatus.Red;
    }

    public static TrendDirection Trend(MeasureDefinition measure, double? value, double? previousValue)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (value is not { } v || previousValue is not { } p || measure.Kind == MeasureKind.Count)
        {
            return TrendDirection.NoComparison;
        }

        var better = measure.LowerIsBetter ? p - v : v - p;
        return Math.Abs(better) < ReportTargets.SteadyBand ? TrendDirection.Steady : better > 0 ? TrendDirection.Improving : TrendDirection.Worsening;
    }
}

/// <summary>The report with its summary page.</summary>
public static class SummarisedReport
{
    /// <summary>
    /// Computes the report and, with the same evaluator and as-of time, the previous period of equal length (headlines
    /// only: no breakdowns are needed for a trend), then the summary lines.
    /// </summary>
    public static async Task<ComplianceReportResult> ComputeWithSummaryAsync(this ComplianceReportService reports, ReportRequest request, ReportTargets targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(request);
        var current = await reports.ComputeAsync(request, cancellationToken);
        var previousRequest = request with
        {
            Start = PreviousStart(request.Start, request.End),
            End = request.Start,
            AsOf = request.AsOf,
            Dimensions = [ReportDimension.Month],
        };
        var previous = await reports.ComputeAsync(previousRequest, cancellationToken);
        return current with { Summary = ReportSummary.Build(current, previous, targets), PreviousPeriod = previousRequest };
    }

    /// <summary>
    /// The start of the previous period of the same calendar length in London (1 March to 1 May → 1 January to
    /// 1 March), so months compare with months across the clock changes.
    /// </summary>
    public static DateTime PreviousStart(DateTime start, DateTime end)
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb["Europe/London"];
        var localStart = NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(start, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
        var localEnd = NodaTime.Instant.FromDateTimeUtc(DateTime.SpecifyKind(end, DateTimeKind.Utc)).InZone(zone).LocalDateTime;
        var length = NodaTime.Period.Between(localStart, localEnd);
        return zone.AtLeniently(localStart - length).ToDateTimeUtc();
    }
}
