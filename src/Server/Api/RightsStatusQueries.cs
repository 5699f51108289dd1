using MhaRights.Server.LegalStatus;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Api;

/// <summary>
/// GetRightsStatus in one compiled, untracked query: the patient row (its existence is the NOT_FOUND check) with its
/// current episodes and open duties as two correlated collections, so the three answers need one command instead of
/// two or three. A patient has at most a handful of current episodes, so the joined rows stay about one per open duty.
/// </summary>
internal static class RightsStatusQueries
{
    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<StatusRows?>>> StatusQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, CancellationToken ct) =>
            db.Patients.AsNoTracking()
                .Where(p => p.Id == patientId)
                .Select(p => new StatusRows
                {
                    CurrentEpisodes = db.Episodes
                        .Where(e => e.PatientId == p.Id && (e.State == EpisodeState.Active || e.State == EpisodeState.Recalled))
                        .OrderByDescending(e => e.StartTime)
                        .ToList(),
                    OpenDuties = db.Duties
                        .Where(d => d.PatientId == p.Id && DutyWorkflow.OpenStates.Contains(d.State))
                        .OrderBy(d => d.DueTime)
                        .ToList(),
                })
                .FirstOrDefault()));

    /// <summary>
    /// The patient's current episode (active or recalled, latest start first, as LegalStatusLifecycle.CurrentEpisodeAsync)
    /// and open duties by due time (as before); NOT_FOUND naming the patient when there is none.
    /// </summary>
    public static async Task<(LegalStatusEpisode? Episode, List<RightsDuty> OpenDuties)> StatusAsync(
        MhaRightsDbContext db, string patientId, CancellationToken cancellationToken)
    {
        var rows = await StatusQuery.For(db)(db, patientId, cancellationToken).ConfigureAwait(false)
            ?? throw new Common.ResourceNotFoundException(ResourceNames.Patient(patientId));
        return (rows.CurrentEpisodes.Count == 0 ? null : rows.CurrentEpisodes[0], rows.OpenDuties);
    }

    internal sealed class StatusRows
    {
        public required List<LegalStatusEpisode> CurrentEpisodes { get; init; }

        public required List<RightsDuty> OpenDuties { get; init; }
    }
}
