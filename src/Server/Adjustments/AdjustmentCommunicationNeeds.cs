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

    /// <summary>The needs of many patients at once (the import's rounds): patients with none are absent.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CommunicationNeedInfo>>> ForPatientsAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patientIds);
        var needs = new Dictionary<string, List<CommunicationNeedInfo>>(StringComparer.Ordinal);
        await foreach (var row in NeedsQuery.For(db)(db, [.. patientIds], AdjustmentRecordState.Active).WithCancellation(cancellationToken))
        {
            if (!needs.TryGetValue(row.PatientId, out var list))
            {
                needs[row.PatientId] = list = [];
            }

            list.Add(Info(row));
        }

        return needs.ToDictionary(n => n.Key, n => (IReadOnlyList<CommunicationNeedInfo>)n.Value, StringComparer.Ordinal);
    }

    // Compiled: it runs on the write path of every explanation attempt, where building and translating the LINQ query
    // each time was about a third of the request's managed CPU in a profile (bench/RESULTS.md). One definition for one
    // patient and for many.
    private static readonly string[] Categories = [.. AdjustmentRules.CommunicationCategories.Order(StringComparer.Ordinal)];

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string[], AdjustmentRecordState, IAsyncEnumerable<NeedRow>>> NeedsQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string[] patientIds, AdjustmentRecordState recordState) =>
            db.Set<AdjustmentItem>().AsNoTracking()
                .Where(i => patientIds.Contains(i.PatientId)
                    && i.Kind == AdjustmentItemKind.Adjustment
                    && i.State == AdjustmentItemState.Active
                    && Categories.Contains(i.CategoryCode!)
                    && db.Set<AdjustmentRecord>().Any(r => r.Id == i.RecordId && r.State == recordState))
                .OrderBy(i => i.CategoryCode).ThenBy(i => i.CreateTime).ThenBy(i => i.Id)
                .Select(i => new NeedRow(i.PatientId, i.CategoryCode!, i.SnomedCode, i.BespokeText, i.Display))));

    private async Task<IReadOnlyList<CommunicationNeedInfo>> ForRecordStateAsync(string patientId, AdjustmentRecordState recordState, CancellationToken cancellationToken)
    {
        var needs = new List<CommunicationNeedInfo>();
        await foreach (var row in NeedsQuery.For(db)(db, [patientId], recordState).WithCancellation(cancellationToken))
        {
            needs.Add(Info(row));
        }

        return needs;
    }

    private CommunicationNeedInfo Info(NeedRow row) => new(
        row.CategoryCode,
        tables.GetCategoryDisplay(row.CategoryCode) ?? row.CategoryCode,
        row.SnomedCode ?? string.Empty,
        row.BespokeText ?? row.Display ?? string.Empty);

    private sealed record NeedRow(string PatientId, string CategoryCode, string? SnomedCode, string? BespokeText, string? Display);
}
