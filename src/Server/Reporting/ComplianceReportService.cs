using System.Globalization;
using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Rights.Rules;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Reporting;

/// <summary>
/// Computes the compliance report (issue 7): the rights measures of <see cref="MeasureCatalog"/> with their
/// health-inequalities breakdowns and small-number suppression, then the reasonable-adjustment measures
/// (<see cref="AdjustmentMeasures"/>). Counting is done by the database (<see cref="ComplianceQueries"/>); this class
/// only rolls the aggregated cells up into breakdowns, computes percentiles from the sorted timing values and
/// suppresses. Demographic labels, the detention list and the tribunal provisions come from the rule set in force at
/// the start of the period.
/// </summary>
public sealed class ComplianceReportService(
    MhaRightsDbContext db,
    IServiceScopeFactory scopes,
    TrustPolicy policy,
    RightsRuleBook rules,
    TimeProvider time,
    AdjustmentCodeTables adjustmentCodes)
{
    /// <summary>Periods longer than this are split into time partitions read in parallel (one connection each).</summary>
    private static readonly TimeSpan PartitionThreshold = TimeSpan.FromDays(92);

    /// <summary>SQLite page cache for a report's connection while it reads (KiB; the default is 2,000).</summary>
    private const int ReportCacheKib = 131072;

    /// <summary>
    /// Read with the set-based SQL statement even where the streaming scan applies (the benchmark's before/after
    /// comparison; both give identical cells).
    /// </summary>
    public bool ForceSetBasedQuery { get; set; }

    public async Task<ComplianceReportResult> ComputeAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generated = time.GetUtcNow().UtcDateTime;
        var asOf = request.AsOf ?? generated;
        var months = new ReportMonths(request.Start, request.End);
        var ruleSet = rules.ForInstant(Instant.FromDateTimeUtc(DateTime.SpecifyKind(request.Start, DateTimeKind.Utc)));
        // SQLite, current record: the cells from sequential scans aggregated in memory (no hash join in SQLite).
        var scan = !ForceSetBasedQuery && await ReportScan.AppliesAsync(db, request, cancellationToken)
            ? new ReportScan(db, new ComplianceQueries(db, request, asOf, policy, ruleSet, months), months, asOf)
            : null;

        // The adjustment measures' statements run on a context of their own alongside the cells; beside the scan they
        // take the population's patients from it once it has read them, instead of searching the episodes per record.
        var adjustmentReads = Task.Run(
            async () =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var context = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
                return scan is null
                    ? await AdjustmentMeasures.ReadAsync(context, new ComplianceQueries(context, request, asOf, policy, ruleSet, months), request, asOf, cancellationToken)
                    : await AdjustmentMeasures.ReadAsync(context, asOf, await scan.PopulationPatients, cancellationToken);
            },
            cancellationToken);
        List<ReportCell> cells;
        IReadOnlyList<CommunicationCell>? communication;
        try
        {
            (cells, communication) = await CellsAsync(request, asOf, ruleSet, months, scan, cancellationToken);
        }
        catch
        {
            // Not left running unobserved: its failure (or cancellation) is the same request's.
            await adjustmentReads.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        var dimensions = Dimensions(request, months, ruleSet);

        // Each cell's group in every breakdown, worked out once for all the measures (a long period has many cells).
        var grouped = new GroupedCells<ReportCell>(cells, dimensions);

        // The two timing measures sort and group every episode's value (a million over a long period): one on each core.
        var hoursToFirst = Task.Run(() => Duration(MeasureCatalog.HoursToFirstAttempt, grouped, c => c.FirstSecondsList()), cancellationToken);
        var hoursToUnderstanding = Task.Run(() => Duration(MeasureCatalog.HoursToUnderstanding, grouped, c => c.UnderstoodSecondsList()), cancellationToken);
        var measures = new List<MeasureResult>
        {
            Ratio(MeasureCatalog.InitialWithinSla, grouped, Counter.InitialNum, Counter.InitialDen),
            await hoursToFirst,
            await hoursToUnderstanding,
            Ratio(MeasureCatalog.RepeatAfterChangeOfProvision, grouped, Counter.ChangeNum, Counter.ChangeDen),
            Ratio(MeasureCatalog.RepeatAfterRenewal, grouped, Counter.RenewalNum, Counter.RenewalDen),
            Ratio(MeasureCatalog.RepeatAfterTribunalWindow, grouped, Counter.TribunalNum, Counter.TribunalDen),
            Ratio(MeasureCatalog.RepeatAfterCtoRecall, grouped, Counter.RecallNum, Counter.RecallDen),
            Ratio(MeasureCatalog.RepeatedDiscussions, grouped, Counter.RepeatNum, Counter.RepeatDen),
            Ratio(MeasureCatalog.NearestRelativeCopy, grouped, Counter.NearestRelativeNum, Counter.NearestRelativeDen),
            Ratio(MeasureCatalog.NotUnderstoodNoReattempt, grouped, Counter.NotUnderstoodNum, Counter.NotUnderstoodDen),
            Ratio(MeasureCatalog.DischargeNoticeOnTime, grouped, Counter.NoticeNum, Counter.NoticeDen),
            Ratio(MeasureCatalog.ImhaInformationGiven, grouped, Counter.ImhaNum, Counter.ImhaDen),
        };
        var queries = new ComplianceQueries(db, request, asOf, policy, ruleSet, months);
        var adjustments = AdjustmentMeasures.Build(
            await adjustmentReads, queries, request, adjustmentCodes, dimensions, communication ?? await queries.CommunicationCellsAsync(cancellationToken));
        measures.AddRange(adjustments.Measures);
        return new ComplianceReportResult(request, asOf, generated, measures, adjustments.FlaggedPatients, Notes(request, asOf, generated));
    }

    /// <summary>
    /// Reads the cells, splitting a long period into time partitions read concurrently on separate connections (each
    /// partition is the same set-based query over the episodes starting in its slice; cells are simply concatenated,
    /// as every breakdown sums them anyway). The streaming scan also counts the communication-needs cells in the same
    /// pass (null otherwise: AdjustmentMeasures reads them with their own statement).
    /// </summary>
    private async Task<(List<ReportCell> Cells, IReadOnlyList<CommunicationCell>? Communication)> CellsAsync(
        ReportRequest request, DateTime asOf, RightsRuleSet ruleSet, ReportMonths months, ReportScan? scan, CancellationToken cancellationToken)
    {
        var partitions = request.End - request.Start > PartitionThreshold ? Math.Clamp(Environment.ProcessorCount, 1, 8) : 1;
        if (scan is not null)
        {
            // Split into duty key ranges.
            var scanned = await scan.CellsAsync(request.Start, request.End, Math.Clamp(Environment.ProcessorCount, 1, 8), cancellationToken);
            return (scanned, scan.CommunicationCells);
        }

        if (partitions == 1)
        {
            return (await ReadAsync(db, request.Start, request.End), null);
        }

        // SQLite's async calls complete synchronously, so each slice gets its own thread (and connection).
        var slice = (request.End - request.Start) / partitions;
        var tasks = Enumerable.Range(0, partitions).Select(i => Task.Run(
            async () =>
            {
                var from = request.Start + (slice * i);
                var to = i == partitions - 1 ? request.End : request.Start + (slice * (i + 1));
                await using var scope = scopes.CreateAsyncScope();
                return await ReadAsync(scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>(), from, to);
            },
            cancellationToken)).ToList();

        // Elsewhere than SQLite the communication-needs statement runs alongside the slices rather than after them (PostgreSQL
        // otherwise reads it alone, on one core and its parallel workers, while the report waits).
        var communication = db.Database.IsSqlite() ? Task.FromResult<List<CommunicationCell>?>(null) : Task.Run<List<CommunicationCell>?>(
            async () =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var context = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
                return await new ComplianceQueries(context, request, asOf, policy, ruleSet, months).CommunicationCellsAsync(cancellationToken);
            },
            cancellationToken);
        await Task.WhenAll(tasks.Append<Task>(communication));
        return (tasks.SelectMany(t => t.Result).ToList(), await communication);

        Task<List<ReportCell>> ReadAsync(MhaRightsDbContext context, DateTime from, DateTime to)
        {
            var read = () => new ComplianceQueries(context, request, asOf, policy, ruleSet, months).CellsAsync(from, to, cancellationToken);
            if (context.Database.IsSqlite())
            {
                // One long read: a bigger page cache and an in-memory sorter for this connection.
                return WithSessionSettingsAsync(context, $"PRAGMA cache_size = -{ReportCacheKib}; PRAGMA temp_store = MEMORY;", $"PRAGMA cache_size = -{SqlitePragmaInterceptor.DefaultCacheKib}; PRAGMA temp_store = DEFAULT;", read);
            }

            // The slices already keep every core busy: PostgreSQL's parallel workers for each would only contend with them
            // (1,000,000 episodes: about 9% less database CPU without them).
            return partitions > 1 && context.Database.IsNpgsql()
                ? WithSessionSettingsAsync(context, "SET max_parallel_workers_per_gather = 0", "RESET max_parallel_workers_per_gather", read)
                : read();
        }

        // Settings for this connection's read, restored afterwards (the connection goes back to the pool).
        async Task<List<ReportCell>> WithSessionSettingsAsync(MhaRightsDbContext context, string set, string reset, Func<Task<List<ReportCell>>> read)
        {
            await context.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await context.Database.ExecuteSqlRawAsync(set, cancellationToken);
                return await read();
            }
            finally
            {
                await context.Database.ExecuteSqlRawAsync(reset, CancellationToken.None);
                await context.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>Rolls cells up into the headline and each breakdown, then suppresses small numbers.</summary>
    internal MeasureResult Ratio(MeasureDefinition definition, GroupedCells<ReportCell> cells, Counter numerator, Counter denominator) =>
        Ratio(definition, cells, c => c[numerator], c => c[denominator], policy.SuppressHeadlineOnSmallNumerator);

    /// <summary>Rolls any keyed rows up into the headline and each breakdown, then suppresses small numbers.</summary>
    internal static MeasureResult Ratio<T>(
        MeasureDefinition definition, IReadOnlyList<T> cells, Func<T, long> numerator, Func<T, long> denominator, IReadOnlyList<DimensionSpec> dimensions, bool suppressHeadlineOnSmallNumerator)
        where T : IReportKeys =>
        Ratio(definition, new GroupedCells<T>(cells, dimensions), numerator, denominator, suppressHeadlineOnSmallNumerator);

    private static MeasureResult Ratio<T>(MeasureDefinition definition, GroupedCells<T> cells, Func<T, long> numerator, Func<T, long> denominator, bool suppressHeadlineOnSmallNumerator)
        where T : IReportKeys
    {
        var numerators = cells.Values(numerator);
        var denominators = cells.Values(denominator);
        var totalNumerator = numerators.Sum();
        var totalDenominator = denominators.Sum();
        var headline = RatioFigures(totalNumerator, totalDenominator, SmallNumberSuppression.Headline(totalNumerator, totalDenominator, suppressHeadlineOnSmallNumerator));
        var breakdowns = cells.Dimensions.Select(dimension =>
        {
            var groupNumerators = dimension.Sum(numerators);
            var groupDenominators = dimension.Sum(denominators);
            var groups = Enumerable.Range(0, dimension.Groups.Count)
                .Select(g => (Group: dimension.Groups[g], Numerator: groupNumerators[g], Denominator: groupDenominators[g]))
                .Where(g => g.Denominator > 0 || dimension.Spec.ListsEveryGroup)
                .OrderBy(g => g.Group.Order)
                .ToList();
            var reasons = SmallNumberSuppression.Apply(groups.Select(g => (g.Numerator, g.Denominator)).ToList());
            return new BreakdownResult(dimension.Spec.Dimension, groups.Select((g, i) => new GroupFigures(g.Group, RatioFigures(g.Numerator, g.Denominator, reasons[i]))).ToList());
        }).ToList();
        return new MeasureResult(definition, headline, breakdowns);
    }

    /// <summary>
    /// A count (e.g. flagged patients): numerator = the count; denominator = the headline total, so a row's percentage is
    /// its share. Suppressed below the threshold, with secondary suppression across each partition dimension.
    /// </summary>
    internal static MeasureResult Count<T>(MeasureDefinition definition, IReadOnlyList<T> cells, Func<T, long> count, IReadOnlyList<DimensionSpec> dimensions)
        where T : IReportKeys
    {
        var grouped = new GroupedCells<T>(cells, dimensions);
        var counts = grouped.Values(count);
        var total = counts.Sum();
        var headline = total < SmallNumberSuppression.Threshold ? Figures.Withheld(SuppressionReason.SmallNumber) : new Figures(total, total, null, null, null, SuppressionReason.None);
        var breakdowns = grouped.Dimensions.Select(dimension =>
        {
            var groupCounts = dimension.Sum(counts);
            var groups = Enumerable.Range(0, dimension.Groups.Count)
                .Select(g => (Group: dimension.Groups[g], Count: groupCounts[g]))
                .Where(g => g.Count > 0)
                .OrderBy(g => g.Group.Order)
                .ToList();
            var reasons = SmallNumberSuppression.Apply(groups.Select(g => (g.Count, g.Count)).ToList());
            return new BreakdownResult(dimension.Spec.Dimension, groups.Select((g, i) => new GroupFigures(g.Group, CountFigures(g.Count, total, reasons[i]))).ToList());
        }).ToList();
        return new MeasureResult(definition, headline, breakdowns);
    }

    /// <summary>
    /// A breakdown whose groups overlap (a patient with adjustments in two categories is in both), so rows do not sum
    /// to the total and cannot be differenced: primary suppression only.
    /// </summary>
    internal static BreakdownResult Overlapping(ReportDimension dimension, IEnumerable<(ReportGroup Group, long Count)> rows, long total) =>
        new(dimension, rows
            .Where(r => r.Count > 0)
            .OrderBy(r => r.Group.Order)
            .ThenBy(r => r.Group.Key, StringComparer.Ordinal)
            .Select(r => new GroupFigures(r.Group, CountFigures(r.Count, total, r.Count < SmallNumberSuppression.Threshold ? SuppressionReason.SmallNumber : SuppressionReason.None)))
            .ToList());

    private static Figures CountFigures(long count, long total, SuppressionReason suppression) =>
        suppression != SuppressionReason.None
            ? Figures.Withheld(suppression)
            : new Figures(count, total, total == 0 ? null : 100.0 * count / total, null, null, SuppressionReason.None);

    /// <summary>
    /// Median and 90th percentile hours per group over the sorted timing values of the cells' initial duties;
    /// numerator = duties with a value, denominator = the initial duties (initial_within_sla's denominator).
    /// </summary>
    internal static MeasureResult Duration(MeasureDefinition definition, GroupedCells<ReportCell> cells, Func<ReportCell, IReadOnlyList<long>> seconds)
    {
        // Every value with its cell, sorted once: a group's values met in that order are in ascending order already, so
        // no breakdown sorts again (over a million episodes, one sort instead of one per dimension and the headline).
        var perCell = cells.Cells.Select(seconds).ToList();
        var sorted = new double[perCell.Sum(v => v.Count)];
        var cellOf = new int[sorted.Length];
        for (int cell = 0, at = 0; cell < perCell.Count; cell++)
        {
            var values = perCell[cell];
            for (var k = 0; k < values.Count; k++)
            {
                cellOf[at] = cell;
                sorted[at++] = values[k] / 3600.0;
            }
        }

        Array.Sort(sorted, cellOf);
        var denominators = cells.Values(c => c[Counter.InitialDen]);
        var headline = DurationFigures(sorted, denominators.Sum(), null);
        var breakdowns = cells.Dimensions.Select(dimension =>
        {
            // Each group's figures from its count and the few values its percentiles read, picked in one pass over the
            // sorted values: gathering every group's values (a million per breakdown) was most of the report's
            // allocation after the scan, and the collections it caused paused the report.
            var groupCounts = new int[dimension.Groups.Count];
            for (var cell = 0; cell < perCell.Count; cell++)
            {
                groupCounts[dimension.GroupOfCell[cell]] += perCell[cell].Count;
            }

            var picks = groupCounts.Select(count => new PercentilePicks(count)).ToArray();
            var seen = new int[dimension.Groups.Count];
            for (var i = 0; i < sorted.Length; i++)
            {
                var group = dimension.GroupOfCell[cellOf[i]];
                picks[group].Offer(seen[group]++, sorted[i]);
            }

            var groupDenominators = dimension.Sum(denominators);
            var groups = Enumerable.Range(0, dimension.Groups.Count)
                .Select(g => (Group: dimension.Groups[g], Picks: picks[g], Denominator: groupDenominators[g]))
                .Where(g => g.Denominator > 0 || dimension.Spec.ListsEveryGroup)
                .OrderBy(g => g.Group.Order)
                .ToList();
            var reasons = SmallNumberSuppression.Apply(groups.Select(g => ((long)g.Picks.Count, g.Denominator)).ToList());
            return new BreakdownResult(dimension.Spec.Dimension, groups.Select((g, i) => new GroupFigures(g.Group, DurationFigures(g.Picks, g.Denominator, reasons[i]))).ToList());
        }).ToList();
        return new MeasureResult(definition, headline, breakdowns);
    }

    internal static Figures RatioFigures(long numerator, long denominator, SuppressionReason suppression) =>
        suppression != SuppressionReason.None
            ? Figures.Withheld(suppression)
            : new Figures(numerator, denominator, denominator == 0 ? null : 100.0 * numerator / denominator, null, null, SuppressionReason.None);

    /// <summary>The figures of <paramref name="values"/>, in ascending order.</summary>
    private static Figures DurationFigures(IReadOnlyList<double> values, long denominator, SuppressionReason? suppression)
    {
        var reason = suppression ?? (SmallNumberSuppression.IsSmall(values.Count, denominator) ? SuppressionReason.SmallNumber : SuppressionReason.None);
        return reason != SuppressionReason.None
            ? Figures.Withheld(reason)
            : new Figures(values.Count, denominator, denominator == 0 ? null : 100.0 * values.Count / denominator, Percentiles.OfSorted(values, 0.5), Percentiles.OfSorted(values, 0.9), SuppressionReason.None);
    }

    /// <summary>The figures of a group's values from their picked percentiles.</summary>
    private static Figures DurationFigures(PercentilePicks picks, long denominator, SuppressionReason reason) =>
        reason != SuppressionReason.None
            ? Figures.Withheld(reason)
            : new Figures(picks.Count, denominator, denominator == 0 ? null : 100.0 * picks.Count / denominator, picks.Median, picks.P90, SuppressionReason.None);

    /// <summary>
    /// The median and 90th percentile of a group's values met in ascending order with their ranks: only the values at
    /// the ranks <see cref="Percentiles"/> reads are kept.
    /// </summary>
    private sealed class PercentilePicks
    {
        private readonly int _medianLower;
        private readonly int _medianUpper;
        private readonly int _p90Lower;
        private readonly int _p90Upper;
        private double _medianLowerValue;
        private double _medianUpperValue;
        private double _p90LowerValue;
        private double _p90UpperValue;

        public PercentilePicks(int count)
        {
            Count = count;
            (_medianLower, _medianUpper) = Percentiles.Ranks(count, 0.5);
            (_p90Lower, _p90Upper) = Percentiles.Ranks(count, 0.9);
        }

        public int Count { get; }

        public double? Median => Count == 0 ? null : Percentiles.Interpolate(Count, 0.5, _medianLowerValue, _medianUpperValue);

        public double? P90 => Count == 0 ? null : Percentiles.Interpolate(Count, 0.9, _p90LowerValue, _p90UpperValue);

        /// <summary>The value of rank <paramref name="rank"/> (0-based, in ascending order).</summary>
        public void Offer(int rank, double value)
        {
            if (rank == _medianLower)
            {
                _medianLowerValue = value;
            }

            if (rank == _medianUpper)
            {
                _medianUpperValue = value;
            }

            if (rank == _p90Lower)
            {
                _p90LowerValue = value;
            }

            if (rank == _p90Upper)
            {
                _p90UpperValue = value;
            }
        }
    }

    private static IReadOnlyList<DimensionSpec> Dimensions(ReportRequest request, ReportMonths months, RightsRuleSet ruleSet) =>
        request.EffectiveDimensions.Select(d => d switch
        {
            ReportDimension.EthnicCategory => new DimensionSpec(d, k => EthnicGroups.Category(k.Ethnic)),
            ReportDimension.EthnicGroup => new DimensionSpec(d, k => EthnicGroups.Group(k.Ethnic)),
            ReportDimension.Sex => new DimensionSpec(d, k => SexGroups.Of(k.Sex)),
            ReportDimension.AgeBand => new DimensionSpec(d, k => AgeBands.All[k.AgeBand]),
            ReportDimension.Provision => new DimensionSpec(d, k => ProvisionGroup(ruleSet, k.Provision)),
            ReportDimension.Month => new DimensionSpec(d, k => months.Groups[k.Month], months.Groups),
            _ => throw new ArgumentOutOfRangeException(nameof(request), d, "Not an episode dimension."),
        }).ToList();

    /// <summary>Key "PROVISION_SECTION_3" (the wire enum name), label from the rule set ("Section 3").</summary>
    internal static ReportGroup ProvisionGroup(RightsRuleSet ruleSet, Provision provision)
    {
        var wire = Api.EnumMaps.ToWire(provision);
        var key = Rendering.WireNames.Of(wire);
        var label = ruleSet.Rules.TryGetValue(provision, out var rule) ? rule.DisplayName : provision.ToString();
        return new ReportGroup(key, label, (int)provision);
    }

    private List<string> Notes(ReportRequest request, DateTime asOf, DateTime generated)
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
                + "suppressed where the headline minus the visible groups would otherwise reveal a suppressed group. "
                + (policy.SuppressHeadlineOnSmallNumerator
                    ? $"A headline is suppressed when its numerator or denominator is below {SmallNumberSuppression.Threshold} (trust setting)."
                    : $"A ratio headline is suppressed only when its denominator is below {SmallNumberSuppression.Threshold}; a small numerator over a larger population is shown."),
            "Ethnic category, sex, date of birth and the episode's hospital and ward are as currently recorded: the service keeps no history of these fields, "
                + "so a report as of an earlier date uses today's values for them.",
        };
        notes.Add("Reasonable adjustments: a record or item is taken as active at the as-of time from its activation (threshold confirmation) "
            + "and removal times; category and impairment rows overlap (a patient may have several), so only small numbers are suppressed there.");
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

/// <summary>
/// Rows with their group in each breakdown worked out once: every measure of the report rolls the same cells up into the
/// same breakdowns, and a ten-year report has hundreds of thousands of cells.
/// </summary>
internal sealed class GroupedCells<T>
    where T : IReportKeys
{
    public GroupedCells(IReadOnlyList<T> cells, IReadOnlyList<DimensionSpec> dimensions)
    {
        Cells = cells;
        Dimensions = dimensions.Select(d => new DimensionGrouping(d, cells.Select(c => (IReportKeys)c))).ToList();
    }

    public IReadOnlyList<T> Cells { get; }

    public IReadOnlyList<DimensionGrouping> Dimensions { get; }

    /// <summary>One value per cell.</summary>
    public long[] Values(Func<T, long> value)
    {
        var values = new long[Cells.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(Cells[i]);
        }

        return values;
    }
}

/// <summary>
/// One breakdown's groups (the groups the dimension lists first, then the others as first met; measures order
/// them by <see cref="ReportGroup.Order"/>) and the group of each row.
/// </summary>
internal sealed class DimensionGrouping
{
    public DimensionGrouping(DimensionSpec spec, IEnumerable<IReportKeys> rows)
    {
        Spec = spec;
        var indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var groups = new List<ReportGroup>();
        foreach (var group in spec.AllGroups ?? [])
        {
            if (indexByKey.TryAdd(group.Key, groups.Count))
            {
                groups.Add(group);
            }
        }

        GroupOfCell = rows.Select(row =>
        {
            var group = spec.GroupOf(row);
            if (!indexByKey.TryGetValue(group.Key, out var index))
            {
                index = groups.Count;
                indexByKey[group.Key] = index;
                groups.Add(group);
            }

            return index;
        }).ToArray();
        Groups = groups;
    }

    public DimensionSpec Spec { get; }

    public IReadOnlyList<ReportGroup> Groups { get; }

    public int[] GroupOfCell { get; }

    /// <summary>Per-row values summed per group.</summary>
    public long[] Sum(long[] values)
    {
        var sums = new long[Groups.Count];
        for (var i = 0; i < values.Length; i++)
        {
            sums[GroupOfCell[i]] += values[i];
        }

        return sums;
    }
}

/// <summary>How one dimension groups rows; <paramref name="AllGroups"/> lists every group even when empty (months).</summary>
public sealed record DimensionSpec(ReportDimension Dimension, Func<IReportKeys, ReportGroup> GroupOf, IReadOnlyList<ReportGroup>? AllGroups = null)
{
    public bool ListsEveryGroup => AllGroups is not null;
}
