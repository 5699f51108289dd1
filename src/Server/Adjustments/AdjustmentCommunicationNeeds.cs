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

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CommunicationNeedInfo>>> ForPatientsAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken)
    {
        var items = await Needs(db.Set<AdjustmentItem>().Where(i => patientIds.Contains(i.PatientId)), AdjustmentRecordState.Active).ToListAsync(cancellationToken);
        return items.GroupBy(i => i.PatientId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CommunicationNeedInfo>)g.Select(Info).ToList(), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<CommunicationNeedInfo>> ForRecordStateAsync(string patientId, AdjustmentRecordState recordState, CancellationToken cancellationToken)
    {
        var items = await Needs(db.Set<AdjustmentItem>().Where(i => i.PatientId == patientId), recordState).ToListAsync(cancellationToken);
        return items.Select(Info).ToList();
    }

    /// <summary>The active communication adjustments among <paramref name="items"/> of records in <paramref name="recordState"/>.</summary>
    private IQueryable<AdjustmentItem> Needs(IQueryable<AdjustmentItem> items, AdjustmentRecordState recordState)
    {
        var categories = AdjustmentRules.CommunicationCategories.ToArray();
        return items.AsNoTracking()
            .Where(i => i.Kind == AdjustmentItemKind.Adjustment
                && i.State == AdjustmentItemState.Active
                && categories.Contains(i.CategoryCode!)
                && db.Set<AdjustmentRecord>().Any(r => r.Id == i.RecordId && r.State == recordState))
            .OrderBy(i => i.CategoryCode).ThenBy(i => i.CreateTime).ThenBy(i => i.Id);
    }

    private CommunicationNeedInfo Info(AdjustmentItem i) => new(
        i.CategoryCode!,
        tables.GetCategoryDisplay(i.CategoryCode) ?? i.CategoryCode!,
        i.SnomedCode ?? string.Empty,
        i.BespokeText ?? i.Display ?? string.Empty);
}
