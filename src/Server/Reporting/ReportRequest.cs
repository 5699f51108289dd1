using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Reporting;

/// <summary>Breakdown dimensions of the health-inequalities view. Values align with mharights.v1.BreakdownDimension.</summary>
public enum ReportDimension
{
    Unspecified = 0,
    EthnicCategory = 1,
    Sex = 2,
    AgeBand = 3,
    Provision = 4,
    Month = 5,
    EthnicGroup = 6,
    AdjustmentCategory = 7,
    Impairment = 8,
}

/// <summary>
/// What to report on: legal status episodes starting in [<see cref="Start"/>, <see cref="End"/>) (UTC), optionally
/// one hospital, ward or provision, read from the record as it stood at <see cref="AsOf"/> (null = now).
/// </summary>
public sealed record ReportRequest(
    DateTime Start,
    DateTime End,
    string? Hospital = null,
    string? Ward = null,
    Provision? Provision = null,
    DateTime? AsOf = null,
    IReadOnlyList<ReportDimension>? Dimensions = null)
{
    /// <summary>The demographic dimensions and the monthly trend (adjustment dimensions belong to the adjustment measures).</summary>
    public static IReadOnlyList<ReportDimension> DefaultDimensions { get; } =
    [
        ReportDimension.EthnicCategory,
        ReportDimension.EthnicGroup,
        ReportDimension.Sex,
        ReportDimension.AgeBand,
        ReportDimension.Provision,
        ReportDimension.Month,
    ];

    /// <summary>The dimensions to break the episode measures down by (empty request = all).</summary>
    public IReadOnlyList<ReportDimension> EffectiveDimensions =>
        Dimensions is { Count: > 0 } wanted
            ? DefaultDimensions.Where(wanted.Contains).ToList()
            : DefaultDimensions;
}
