using System.Globalization;
using MhaRights.Server.Adjustments;
using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Api;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Rights.Rules;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Reporting;

/// <summary>The reasonable-adjustment measures and the flagged-patient list of the report.</summary>
internal sealed record AdjustmentReport(IReadOnlyList<MeasureResult> Measures, IReadOnlyList<string> FlaggedPatients);

/// <summary>What the adjustment measures read from the database: flagged groups, patients per category and impairment, flagged ids.</summary>
internal sealed record AdjustmentReads(
    List<FlaggedGroup> Groups,
    List<(string Code, long Patients)> Categories,
    List<(string Code, long Patients)> Impairments,
    List<string> FlaggedIds);

/// <summary>One (ethnic category, sex) group of flagged patients of the population.</summary>
internal sealed class FlaggedGroup : IReportKeys
{
    public string? Ethnic { get; init; }

    public PatientSex Sex { get; init; }

    public long Patients { get; init; }

    public long Overdue { get; init; }

    Provision IReportKeys.Provision => default;

    int IReportKeys.AgeBand => AgeBands.Unknown;

    int IReportKeys.Month => 0;
}

/// <summary>
/// The reasonable-adjustment measures (MeasureCatalog.AdjustmentMeasures) over the issue 4 entities, read-only.
/// A record or item is taken as it stood at T from its time columns (activation = threshold confirmation time, end =
/// removal time; the adjustment lifecycle stamps both with the recording time).
/// </summary>
internal static class AdjustmentMeasures
{
    /// <summary>
    /// The records and items as they stood at <paramref name="t"/> (two statements, on the context of
    /// <paramref name="queries"/>: the report runs them on a context of their own alongside the cells). Each record is
    /// tested against the population once: the flagged groups, the flagged list and the categories and impairments
    /// were four statements that each tested every record again (on SQLite a search of the episodes per record, by
    /// far the largest part of each statement: ~1.4 s of CPU for the four at 1,000,000 episodes, taken from the scan
    /// they run beside), and are counted here from the one list of records and the items.
    /// </summary>
    public static async Task<AdjustmentReads> ReadAsync(MhaRightsDbContext db, ComplianceQueries queries, ReportRequest request, DateTime t, CancellationToken cancellationToken)
    {
        var population = queries.Episodes(request.Start, request.End);

        // In the patients' id order (the flagged list's, as the database orders ids); a record whose patient row is
        // missing is flagged but in no group, as with an inner join.
        var flagged = await (
            from r in Standing(db, t).Where(r => population.Any(e => e.PatientId == r.PatientId))
            join p in db.Patients.AsNoTracking() on r.PatientId equals p.Id into patients
            from p in patients.DefaultIfEmpty()
            orderby r.PatientId
            select new FlaggedRecord(r.Id, r.PatientId, p != null, p!.EthnicCategory, (PatientSex?)p.Sex, r.ReviewDueTime < t))
            .ToListAsync(cancellationToken);
        return await CountAsync(db, t, flagged, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ReadAsync(MhaRightsDbContext, ComplianceQueries, ReportRequest, DateTime, CancellationToken)"/>,
    /// with the population's patients and their breakdown columns as the report scan read them (SQLite, current
    /// record): the records are read alone, without a search of the episodes and a patient row per record (~0.5 s of
    /// CPU at 1,000,000 episodes).
    /// </summary>
    public static async Task<AdjustmentReads> ReadAsync(MhaRightsDbContext db, DateTime t, IPopulationPatients population, CancellationToken cancellationToken)
    {
        var records = await Standing(db, t)
            .OrderBy(r => r.PatientId)
            .Select(r => new { r.Id, r.PatientId, Overdue = r.ReviewDueTime < t })
            .ToListAsync(cancellationToken);
        var flagged = new List<FlaggedRecord>();
        foreach (var r in records)
        {
            if (population.Contains(r.PatientId))
            {
                var found = population.TryGetBreakdown(r.PatientId, out var ethnic, out var sex);
                flagged.Add(new FlaggedRecord(r.Id, r.PatientId, found, found ? ethnic : null, found ? sex : null, r.Overdue));
            }
        }

        return await CountAsync(db, t, flagged, cancellationToken);
    }

    /// <summary>The records standing at <paramref name="t"/> (activated, not removed by then).</summary>
    private static IQueryable<AdjustmentRecord> Standing(MhaRightsDbContext db, DateTime t) =>
        db.Set<AdjustmentRecord>().AsNoTracking()
            .Where(r => r.ThresholdConfirmed.Time != null && r.ThresholdConfirmed.Time <= t
                && (r.State == AdjustmentRecordState.Active
                    || ((r.State == AdjustmentRecordState.Removed || r.State == AdjustmentRecordState.EnteredInError) && r.Removal.By.Time > t)));

    /// <summary>The groups, categories and impairments of the flagged records (in the flagged list's order).</summary>
    private static async Task<AdjustmentReads> CountAsync(MhaRightsDbContext db, DateTime t, List<FlaggedRecord> flagged, CancellationToken cancellationToken)
    {
        // Ordered as SQLite's GROUP BY returned them (NULL first, then by the stored text), which decides the order of
        // groups that sort alike (ethnic codes outside the code list).
        var groups = flagged
            .Where(f => f.HasPatient)
            .GroupBy(f => (f.Ethnic, Sex: f.Sex!.Value))
            .OrderBy(g => g.Key.Ethnic, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Sex.ToString(), StringComparer.Ordinal)
            .Select(g => new FlaggedGroup { Ethnic = g.Key.Ethnic, Sex = g.Key.Sex, Patients = g.LongCount(), Overdue = g.LongCount(f => f.Overdue) })
            .ToList();

        // The standing items with a code (a scan of a small table), kept where their record is flagged.
        var recordIds = flagged.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var items = (await db.Set<AdjustmentItem>().AsNoTracking()
            .Where(i => i.CreateTime <= t && (i.State == AdjustmentItemState.Active || i.Removal.By.Time > t))
            .Where(i => (i.Kind == AdjustmentItemKind.Adjustment && i.CategoryCode != null) || (i.Kind == AdjustmentItemKind.Impairment && i.ImpairmentCode != null))
            .Select(i => new { i.RecordId, i.PatientId, i.Kind, Code = i.Kind == AdjustmentItemKind.Adjustment ? i.CategoryCode! : i.ImpairmentCode! })
            .ToListAsync(cancellationToken))
            .Where(i => recordIds.Contains(i.RecordId))
            .ToList();
        return new AdjustmentReads(groups, PatientsByCode(AdjustmentItemKind.Adjustment), PatientsByCode(AdjustmentItemKind.Impairment), flagged.Select(f => f.PatientId).ToList());

        // Distinct patients per code, in code order.
        List<(string Code, long Patients)> PatientsByCode(AdjustmentItemKind kind) => items
            .Where(i => i.Kind == kind)
            .GroupBy(i => i.Code, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (long)g.Select(i => i.PatientId).Distinct(StringComparer.Ordinal).Count()))
            .ToList();
    }

    /// <summary>
    /// The measures from what <see cref="ReadAsync"/> read and the communication-needs cells (counted by the streaming
    /// scan when it ran, SQLite current record; otherwise by their own statement, whose joins cost SQLite ~30 s at
    /// 1,000,000 episodes).
    /// </summary>
    public static AdjustmentReport Build(
        AdjustmentReads reads, ComplianceQueries queries, ReportRequest request, AdjustmentCodeTables codes, IReadOnlyList<DimensionSpec> episodeDimensions,
        IReadOnlyList<CommunicationCell> communication)
    {
        var (groups, categories, impairments, flaggedIds) = reads;
        var patientDimensions = episodeDimensions.Where(d => d.Dimension is ReportDimension.EthnicCategory or ReportDimension.EthnicGroup or ReportDimension.Sex).ToList();
        var total = groups.Sum(g => g.Patients);
        var flags = ComplianceReportService.Count(MeasureCatalog.AdjustmentFlagsActive, groups, g => g.Patients, patientDimensions);
        var wanted = request.Dimensions is { Count: > 0 } asked ? asked : [ReportDimension.AdjustmentCategory, ReportDimension.Impairment];
        var overlapping = new List<BreakdownResult>();
        if (wanted.Contains(ReportDimension.AdjustmentCategory))
        {
            overlapping.Add(ComplianceReportService.Overlapping(ReportDimension.AdjustmentCategory, categories.Select(c => (Category(codes, c.Code), c.Patients)), total));
        }

        if (wanted.Contains(ReportDimension.Impairment))
        {
            overlapping.Add(ComplianceReportService.Overlapping(ReportDimension.Impairment, impairments.Select(c => (Impairment(codes, c.Code), c.Patients)), total));
        }

        flags = flags with { Breakdowns = [.. overlapping, .. flags.Breakdowns] };
        var measures = new List<MeasureResult>
        {
            flags,
            ComplianceReportService.Ratio(MeasureCatalog.AdjustmentReviewsOverdue, groups, g => g.Overdue, g => g.Patients, patientDimensions, queries.Policy.SuppressHeadlineOnSmallNumerator),
            ComplianceReportService.Ratio(MeasureCatalog.UnmetCommunicationNeeds, communication, c => c.Unmet, c => c.Attempts, episodeDimensions, queries.Policy.SuppressHeadlineOnSmallNumerator),
        };
        return new AdjustmentReport(measures, flaggedIds.Select(ResourceNames.Patient).ToList());
    }

    private static ReportGroup Category(AdjustmentCodeTables codes, string code) =>
        new(code, codes.FindCategory(code)?.Display ?? code, Order(code));

    private static ReportGroup Impairment(AdjustmentCodeTables codes, string code) =>
        new(code, codes.FindImpairment(code)?.Display ?? code, Order(code));

    private static int Order(string code) => int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
}

/// <summary>A flagged patient's record with the patient's breakdown columns (none when the patient row is missing).</summary>
internal sealed record FlaggedRecord(string Id, string PatientId, bool HasPatient, string? Ethnic, PatientSex? Sex, bool Overdue);

/// <summary>The report population's patients, as a reader that has them in memory (the report scan) can answer.</summary>
internal interface IPopulationPatients
{
    /// <summary>Whether the patient has an episode in the population.</summary>
    bool Contains(string patientId);

    /// <summary>The patient's ethnic category and sex, if the patient row exists.</summary>
    bool TryGetBreakdown(string patientId, out string? ethnic, out PatientSex sex);
}
