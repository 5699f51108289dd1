using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Adjustments;

/// <summary>
/// The patient's ACTIVE communication adjustments (categories 001-006, §1.4, §2.3) from an ACTIVE record: what staff
/// must meet when explaining rights (the link of issue 4 item 7). An IDENTIFIED record is not yet confirmed by a
/// clinician and a removed record no longer applies, so neither contributes.
/// </summary>
public sealed class AdjustmentCommunicationNeeds(MhaRightsDbContext db, AdjustmentCodeTables tables) : ICommunicationNeeds
{
    public async Task<IReadOnlyList<CommunicationNeedInfo>> ForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        var categories = AdjustmentRules.CommunicationCategories.ToArray();
        var items = await db.Set<AdjustmentItem>().AsNoTracking()
            .Where(i => i.PatientId == patientId
                && i.Kind == AdjustmentItemKind.Adjustment
                && i.State == AdjustmentItemState.Active
                && categories.Contains(i.CategoryCode!)
                && db.Set<AdjustmentRecord>().Any(r => r.Id == i.RecordId && r.State == AdjustmentRecordState.Active))
            .OrderBy(i => i.CategoryCode).ThenBy(i => i.CreateTime).ThenBy(i => i.Id)
            .ToListAsync(cancellationToken);
        return items
            .Select(i => new CommunicationNeedInfo(
                i.CategoryCode!,
                tables.GetCategoryDisplay(i.CategoryCode) ?? i.CategoryCode!,
                i.SnomedCode ?? string.Empty,
                i.BespokeText ?? i.Display ?? string.Empty))
            .ToList();
    }
}
