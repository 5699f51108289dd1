using System.Globalization;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Rights.Rules;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Reporting;

/// <summary>
/// Computes the compliance report (issue 7): the rights measures of <see cref="MeasureCatalog"/> with their
/// health-inequalities breakdowns and small-number suppression, plus the reasonable-adjustment measures when that
/// feature provides them. Counting is done by the database (<see cref="ComplianceQueries"/>); this class only rolls
/// the aggregated cells up into breakdowns, computes percentiles from the sorted timing values and suppresses.
/// </summary>
public sealed class ComplianceReportService(
    MhaRightsDbContext db,
    TrustPolicy policy,
    RightsRuleBook rules,
    TimeProvider time,
    IEnumerable<IAdjustmentReportSource> adjustmentSources)
{
    public async Task<ComplianceReportResult> ComputeAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generated = time.GetUtcNow().UtcDateTime;
        var asOf = request.AsOf ?? generated;
        var months = new ReportMonths(request.Start, request.End);
        var queries = new ComplianceQueries(db, request, asOf, policy, months);

        List<ReportCell> cells;
        List<TimingRow> timings;
        AdjustmentReport? adjustments = null;
        var source = adjustmentSources.FirstOrDefault();

        // One read snapshot for every query, so the measures agree with each other while others write (SQLite WAL:
        // a deferred transaction reads one snapshot and never blocks writers).
        await using (var snapshot = await BeginSnapshotAsync(cancellationToken))
        {
            cells = await queries.CellsAsync(cancellationToken);
            timings = await queries.TimingsAsync(cancellationToken);
            if (source is not null)
            {
                adjustments = await source.ComputeAsync(new AdjustmentReportContext(db, queries.Episodes(), asOf), cancellationToken);
            }
        }

        var dimensions = Dimensions(request, months, asOf);
        var measures = new List<MeasureResult>
        {
            Ratio(MeasureCatalog.InitialWithinSla, cells, c => (c.InitialNum, c.InitialDen), dimensions),
            Duration(MeasureCatalog.HoursToFirstAttempt, timings, r => r.FirstAttempt is { } at ? (at - r.OpenTime).TotalHours : null, dimensions),
            Duration(MeasureCatalog.HoursToUnderstanding, timings, r => r.FirstUnderstood is { } at ? (at - r.OpenTime).TotalHours : null, dimensions),
            Ratio(MeasureCatalog.RepeatAfterChangeOfProvision, cells, c => (c.ChangeNum, c.ChangeDen), dimensions),
            Ratio(MeasureCatalog.RepeatAfterRenewal, cells, c => (c.RenewalNum, c.RenewalDen), dimensions),
            Ratio(MeasureCatalog.RepeatAfterTribunalWindow, cells, c => (c.TribunalNum, c.TribunalDen), dimensions),
            Ratio(MeasureCatalog.RepeatAfterCtoRecall, cells, c => (c.RecallNum, c.RecallDen), dimensions),
            Ratio(MeasureCatalog.RepeatedDiscussions, cells, c => (c.RepeatNum, c.RepeatDen), dimensions),
            Ratio(MeasureCatalog.NearestRelativeCopy, cells, c => (c.NearestRelativeNum, c.NearestRelativeDen), dimensions),
            Ratio(MeasureCatalog.NotUnderstoodNoReattempt, cells, c => (c.NotUnderstoodNum, c.NotUnderstoodDen), dimensions),
            Ratio(MeasureCatalog.DischargeNoticeOnTime, cells, c => (c.NoticeNum, c.NoticeDen), dimensions),
            Ratio(MeasureCatalog.ImhaInformationGiven, cells, c => (c.ImhaNum, c.ImhaDen), dimensions),
        };
        if (adjustments is not null)
        {
            measures.AddRange(adjustments.Measures);
        }

        var notes = Notes(request, asOf, generated, adjustments);
        return new ComplianceReportResult(request, asOf, generated, measures, adjustments?.FlaggedPatients ?? [], notes);
    }

    /// <summary>Rolls cells up into the headline and each breakdown, then suppresses small numbers.</summary>
    internal static MeasureResult Ratio(MeasureDefinition definition, IReadOnlyList<ReportCell> cells, Func<ReportCell, (long Numerator, long Denominator)> pick, IReadOnlyList<DimensionSpec> dimensions)
    {
        var total = cells.Select(pick).Aggregate((Numerator: 0L, Denominator: 0L), (a, b) => (a.Numerator + b.Numerator, a.Denominator + b.Denominator));
        var headline = RatioFigures(total.Numerator, total.Denominator, SmallNumberSuppression.IsSmall(total.Numerator, total.Denominator) ? SuppressionReason.SmallNumber : SuppressionReason.None);
        var breakdowns = dimensions.Select(dimension =>
        {
            var groups = dimension.Groups(cells.Select(c => (Group: dimension.GroupOf(c), Value: pick(c))))
                .Select(g => (g.Group, Numerator: g.Values.Sum(v => v.Numerator), Denominator: g.Values.Sum(v => v.Denominator)))
                .Where(g => g.Denominator > 0 || dimension.ListsEveryGroup)
                .OrderBy(g => g.Group.Order)
                .ToList();
            var reasons = SmallNumberSuppression.Apply(groups.Select(g => (g.Numerator, g.Denominator)).ToList());
            return new BreakdownResult(dimension.Dimension, groups.Select((g, i) => new GroupFigures(g.Group, RatioFigures(g.Numerator, g.Denominator, reasons[i]))).ToList());
        }).ToList();
        return new MeasureResult(definition, headline, breakdowns);
    }

    /// <summary>Median and 90th percentile hours per group over the sorted values; numerator = values, denominator = duties.</summary>
    internal static MeasureResult Duration(MeasureDefinition definition, IReadOnlyList<TimingRow> rows, Func<TimingRow, double?> hours, IReadOnlyList<DimensionSpec> dimensions)
    {
        var headline = DurationFigures(rows.Select(hours).ToList(), null);
        var breakdowns = dimensions.Select(dimension =>
        {
            var groups = dimension.Groups(rows.Select(r => (Group: dimension.GroupOf(r), Value: hours(r))))
                .Where(g => g.Values.Count > 0 || dimension.ListsEveryGroup)
                .OrderBy(g => g.Group.Order)
                .ToList();
            var reasons = SmallNumberSuppression.Apply(groups.Select(g => ((long)g.Values.Count(v => v is not null), (long)g.Values.Count)).ToList());
            return new BreakdownResult(dimension.Dimension, groups.Select((g, i) => new GroupFigures(g.Group, DurationFigures(g.Values, reasons[i]))).ToList());
        }).ToList();
        return new MeasureResult(definition, headline, breakdowns);
    }

    internal static Figures RatioFigures(long numerator, long denominator, SuppressionReason suppression) =>
        suppression != SuppressionReason.None
            ? Figures.Withheld(suppression)
            : new Figures(numerator, denominator, denominator == 0 ? null : 100.0 * numerator / denominator, null, null, SuppressionReason.None);

    private static Figures DurationFigures(IReadOnlyList<double?> values, SuppressionReason? suppression)
    {
        var sorted = values.Where(v => v is not null).Select(v => v!.Value).Order().ToList();
        var reason = suppression ?? (SmallNumberSuppression.IsSmall(sorted.Count, values.Count) ? SuppressionReason.SmallNumber : SuppressionReason.None);
        return reason != SuppressionReason.None
            ? Figures.Withheld(reason)
            : new Figures(sorted.Count, values.Count, values.Count == 0 ? null : 100.0 * sorted.Count / values.Count, Percentiles.OfSorted(sorted, 0.5), Percentiles.OfSorted(sorted, 0.9), SuppressionReason.None);
    }

    private IReadOnlyList<DimensionSpec> Dimensions(ReportRequest request, ReportMonths months, DateTime asOf)
    {
        var ruleSet = rules.ForInstant(Instant.FromDateTimeUtc(DateTime.SpecifyKind(request.Start, DateTimeKind.Utc)));
        return request.EffectiveDimensions.Select(d => d switch
        {
            ReportDimension.EthnicCategory => new DimensionSpec(d, k => EthnicGroups.Category(k.Ethnic)),
            ReportDimension.EthnicGroup => new DimensionSpec(d, k => EthnicGroups.Group(k.Ethnic)),
            ReportDimension.Sex => new DimensionSpec(d, k => SexGroups.Of(k.Sex)),
            ReportDimension.AgeBand => new DimensionSpec(d, k => AgeBands.All[k.AgeBand]),
            ReportDimension.Provision => new DimensionSpec(d, k => ProvisionGroup(ruleSet, k.Provision)),
            ReportDimension.Month => new DimensionSpec(d, k => months.Groups[k.Month], months.Groups),
            _ => throw new ArgumentOutOfRangeException(nameof(request), d, "Not an episode dimension."),
        }).ToList();
    }

    /// <summary>Key "PROVISION_SECTION_3" (the wire enum name), label from the rule set ("Section 3").</summary>
    internal static ReportGroup ProvisionGroup(RightsRuleSet ruleSet, Provision provision)
    {
        var wire = Api.EnumMaps.ToWire(provision);
        var key = Rendering.WireNames.Of(wire);
        var label = ruleSet.Rules.TryGetValue(provision, out var rule) ? rule.DisplayName : provision.ToString();
        return new ReportGroup(key, label, (int)provision);
    }

    private List<string> Notes(ReportRequest request, DateTime asOf, DateTime generated, AdjustmentReport? adjustments)
    {
        var notes = new List<string>
        {
            request.AsOf is not null
                ? $"Computed as of {LondonTime.Format(asOf)} from the audit history: explanation attempts recorded after that time are ignored, "
                    + "attempts voided or corrected after it count as still standing, and duty transitions recorded after it are ignored."
                : $"Computed from the record as it stood at {LondonTime.Format(generated)}; request as_of_time {asOf.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} to reproduce these figures later.",
            $"Population: legal status episodes starting from {LondonTime.Format(request.Start)} up to (not including) {LondonTime.Format(request.End)}"
                + (request.Hospital is null ? string.Empty : $", hospital {request.Hospital}")
                + (request.Ward is null ? string.Empty : $", ward {request.Ward}")
                + (request.Provision is null ? string.Empty : $", provision {request.Provision}")
                + ". Months are Europe/London calendar months.",
            "Initial-explanation SLAs (trust policy in force when the report was run): " + SlaSummary() + ".",
            $"Small numbers: any group with a numerator or denominator below {SmallNumberSuppression.Threshold} is suppressed (no numbers returned); further groups are "
                + "suppressed where the headline minus the visible groups would otherwise reveal a suppressed group.",
            "Ethnic category, sex, date of birth and the episode's hospital and ward are as currently recorded: the service keeps no history of these fields, "
                + "so a report as of an earlier date uses today's values for them.",
        };
        if (adjustments is null)
        {
            notes.Add("Reasonable-adjustment measures are not included: the reasonable-adjustments feature is not available in this server version.");
        }
        else
        {
            notes.AddRange(adjustments.Notes);
        }

        return notes;
    }

    private string SlaSummary()
    {
        var parts = policy.SlaOverrides
            .OrderBy(kv => kv.Value)
            .ThenBy(kv => kv.Key)
            .Select(kv => $"{kv.Key} {Hours(kv.Value)}")
            .Append($"all other provisions {Hours(policy.InitialExplanationSla)}");
        return string.Join(", ", parts);

        static string Hours(NodaTime.Duration d) => d.TotalHours.ToString("0.##", CultureInfo.InvariantCulture) + "h";
    }

    private async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var transaction = connection.BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            return new Snapshot(db, transaction);
        }

        // SQL Server: read committed per statement (snapshot isolation is a database option we do not assume).
        return new Snapshot(db, null);
    }

    private sealed class Snapshot(MhaRightsDbContext db, SqliteTransaction? transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (transaction is not null)
            {
                await db.Database.UseTransactionAsync(null);
                await transaction.RollbackAsync();
                await transaction.DisposeAsync();
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}

/// <summary>The breakdown keys shared by the aggregated cells and the timing rows.</summary>
public interface IReportKeys
{
    Provision Provision { get; }

    string? Ethnic { get; }

    PatientSex Sex { get; }

    int AgeBand { get; }

    int Month { get; }
}

/// <summary>How one dimension groups rows; <paramref name="AllGroups"/> lists every group even when empty (months).</summary>
public sealed record DimensionSpec(ReportDimension Dimension, Func<IReportKeys, ReportGroup> GroupOf, IReadOnlyList<ReportGroup>? AllGroups = null)
{
    public bool ListsEveryGroup => AllGroups is not null;

    /// <summary>Groups the values by group key, adding the empty groups a dimension lists.</summary>
    public IEnumerable<(ReportGroup Group, List<T> Values)> Groups<T>(IEnumerable<(ReportGroup Group, T Value)> values)
    {
        var byKey = new Dictionary<string, (ReportGroup Group, List<T> Values)>(StringComparer.Ordinal);
        foreach (var group in AllGroups ?? [])
        {
            byKey[group.Key] = (group, []);
        }

        foreach (var (group, value) in values)
        {
            if (!byKey.TryGetValue(group.Key, out var entry))
            {
                entry = (group, []);
                byKey[group.Key] = entry;
            }

            entry.Values.Add(value);
        }

        return byKey.Values;
    }
}
