using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;

namespace MhaRights.Server.Reporting;

/// <summary>What an adjustment-measure source gets: the database, the report's population and the as-of time.</summary>
public sealed record AdjustmentReportContext(MhaRightsDbContext Db, IQueryable<LegalStatusEpisode> Population, DateTime AsOf);

/// <summary>The reasonable-adjustment measures, the flagged-patient list and any notes about them.</summary>
public sealed record AdjustmentReport(IReadOnlyList<MeasureResult> Measures, IReadOnlyList<string> FlaggedPatients, IReadOnlyList<string> Notes);

/// <summary>
/// Supplies the reasonable-adjustment measures (issue 4 entities). Kept behind an interface so the rights report
/// works, and says so in its notes, when no source is registered.
/// </summary>
public interface IAdjustmentReportSource
{
    Task<AdjustmentReport> ComputeAsync(AdjustmentReportContext context, CancellationToken cancellationToken);
}
