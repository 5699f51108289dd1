namespace MhaRights.Server.Reporting;

/// <summary>Why figures were withheld. Values align with mharights.v1.SuppressionReason.</summary>
public enum SuppressionReason
{
    None = 0,
    SmallNumber = 1,
    Secondary = 2,
}

/// <summary>
/// The numbers of one measure for one group (or the headline). When suppressed every number is withheld:
/// numerator and denominator are 0 and the percentage and hours are null.
/// </summary>
public sealed record Figures(long Numerator, long Denominator, double? Percentage, double? MedianHours, double? P90Hours, SuppressionReason Suppression)
{
    public bool Suppressed => Suppression != SuppressionReason.None;

    public static Figures Withheld(SuppressionReason reason) => new(0, 0, null, null, null, reason);
}

/// <summary>One row of a breakdown.</summary>
public sealed record GroupFigures(ReportGroup Group, Figures Figures);

/// <summary>A measure broken down by one dimension.</summary>
public sealed record BreakdownResult(ReportDimension Dimension, IReadOnlyList<GroupFigures> Rows);

/// <summary>A measure with its headline and breakdowns.</summary>
public sealed record MeasureResult(MeasureDefinition Definition, Figures Headline, IReadOnlyList<BreakdownResult> Breakdowns);

/// <summary>The computed report.</summary>
public sealed record ComplianceReportResult(
    ReportRequest Request,
    DateTime AsOf,
    DateTime Generated,
    IReadOnlyList<MeasureResult> Measures,
    IReadOnlyList<string> FlaggedPatients,
    IReadOnlyList<string> Notes)
{
    public MeasureResult Measure(string id) => Measures.Single(m => m.Definition.Id == id);

    /// <summary>The summary page's lines (target, RAG, trend), one per measure in report order; empty when not computed.</summary>
    public IReadOnlyList<MeasureSummary> Summary { get; init; } = [];

    /// <summary>The period the trend compares with, when the summary was computed.</summary>
    public ReportRequest? PreviousPeriod { get; init; }
}
