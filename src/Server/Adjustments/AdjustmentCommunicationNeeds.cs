using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Adjustments;

/// <summary>
/// The patient's ACTIVE communication adjustments (categories 001-006, §1.4, §2.3) from an ACTIVE record: what staff
/// must meet when explaining rights (the link of issue 4 item 7). An IDENTIFIED record is not yet confirmed by a
/// clinician, so it is not binding on an attempt (but the briefing shows it, marked unconfirmed); a removed record no
/// longer applies.
/// </summary>
public sealed class AdjustmentCommunicationNeeds(MhaRightsDbContext db, AdjustmentCodeTables tables) : ICommunicationNeeds
{
    public Task<IReadOnlyList<CommunicationNeedInfo>> ForPatientAsync(string patientId, CancellationToken cancellationToken) =>
        ForRecordStateAsync(patientId, AdjustmentRecordState.Active, cancellationToken);

    public Task<IReadOnlyList<CommunicationNeedInfo>> UnconfirmedForPatientAsync(string patientId, CancellationToken cancellationToken) =>
        ForRecordStateAsync(patientId, AdjustmentRecordState.Identified, cancellationToken);

    // Compiled: it runs on the write path of every explanation attempt, where building and translating the LINQ query
    // each time was about a third of the request's managed CPU in a profile (bench/RESULTS.md).
    private static readonly string[] Categories = [.. AdjustmentRules.CommunicationCategories.Order(StringComparer.Ordinal)];

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, AdjustmentRecordState, IAsyncEnumerable<NeedRow>>> NeedsQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, AdjustmentRecordState recordState) =>
            db.Set<AdjustmentItem>().AsNoTracking()
                .Where(i => i.PatientId == patientId
                    && i.Kind == AdjustmentItemKind.Adjustment
                    && i.State == AdjustmentItemState.Active
                    && Categories.Contains(i.CategoryCode!)
                    && db.Set<AdjustmentRecord>().Any(r => r.Id == i.RecordId && r.State == recordState))
                .OrderBy(i => i.CategoryCode).ThenBy(i => i.CreateTime).ThenBy(i => i.Id)
                .Select(i => new NeedRow(i.CategoryCode!, i.SnomedCode, i.BespokeText, i.Display))));

    private async Task<IReadOnlyList<CommunicationNeedInfo>> ForRecordStateAsync(string patientId, AdjustmentRecordState recordState, CancellationToken cancellationToken)
    {
        var needs = new List<CommunicationNeedInfo>();
        await foreach (var i in NeedsQuery.For(db)(db, patientId, recordState).WithCancellation(cancellationToken))
        {
            needs.Add(new CommunicationNeedInfo(
                i.CategoryCode,
                tables.GetCategoryDisplay(i.CategoryCode) ?? i.CategoryCode,
                i.SnomedCode ?? string.Empty,
                i.BespokeText ?? i.Display ?? string.Empty));
        }

        return needs;
    }

    private sealed record NeedRow(string CategoryCode, string? SnomedCode, string? BespokeText, string? Display);
}
