using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Rights;

/// <summary>
/// s132(4) / s132A(3) / s130D(5): the nearest relative gets a copy of the written information "except where the
/// patient otherwise requests" (section-132.md §1.1, §1.3). So the patient must be asked first: the answer (asked
/// time, objects yes/no) is kept on the patient, a copy cannot be recorded as sent before the patient was asked, and
/// a later "no objection" makes copies that were not required only because of an earlier objection due again.
/// </summary>
public sealed class NearestRelativeCopies(MhaRightsDbContext db, RightsLifecycle lifecycle, PreloadedReads preloaded)
{
    public const string NotAskedRule = "NEAREST_RELATIVE_OBJECTION_NOT_ASKED";

    // Compiled (tracked: the answer is written to it): it runs on every explanation attempt that records an answer.
    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<Patient>>> PatientQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, CancellationToken ct) => db.Patients.First(p => p.Id == patientId)));

    /// <summary>True for the duties this rule governs (not the s133 discharge notice).</summary>
    public static bool IsCopy(DutyKind kind) => kind is DutyKind.NearestRelativeCopy132 or DutyKind.NearestRelativeCopy130D;

    /// <summary>Refuses to record a copy as sent while the patient has not been asked whether they object.</summary>
    public static void RequireAsked(RightsDuty duty, Patient patient)
    {
        ArgumentNullException.ThrowIfNull(duty);
        ArgumentNullException.ThrowIfNull(patient);
        if (IsCopy(duty.Kind) && patient.NearestRelativeCopyAskedTime is null)
        {
            throw new PreconditionFailedException(
                NotAskedRule,
                "The patient has not been asked whether they object to the nearest relative receiving a copy (s132(4): \"except where the patient otherwise requests\"). "
                    + "Record the patient's answer in an explanation attempt's nearest_relative_sharing before recording the copy as sent.");
        }
    }

    /// <summary>Records the patient's answer from an explanation attempt and applies it to the copy duties.</summary>
    public async Task RecordAnswerAsync(string patientId, NearestRelativeSharing sharing, DateTime askedTime, CancellationToken cancellationToken)
    {
        if (sharing == NearestRelativeSharing.Unspecified)
        {
            return;
        }

        var patient = preloaded.Patients.TryGet(patientId, out var tracked) ? tracked : await PatientQuery.For(db)(db, patientId, cancellationToken);
        if (patient.NearestRelativeCopyAskedTime is { } previous && previous > askedTime)
        {
            // A later answer is already on record (an older attempt recorded late); it stands.
            return;
        }

        var objects = sharing == NearestRelativeSharing.Objects;
        var objectedBefore = patient.NearestRelativeCopyAskedTime is not null && patient.ObjectsToNearestRelativeCopy;
        patient.NearestRelativeCopyAskedTime = askedTime;
        patient.ObjectsToNearestRelativeCopy = objects;
        patient.UpdateTime = askedTime > patient.UpdateTime ? askedTime : patient.UpdateTime;
        if (objects)
        {
            await lifecycle.ApplyPatientObjectionAsync(
                patientId,
                $"{NoticeWorkflow.PatientObjectsNote} to the nearest relative receiving a copy (s132(4)); asked on {LondonTime.Format(askedTime)}.",
                askedTime,
                cancellationToken);
        }
        else if (objectedBefore)
        {
            await ReopenAfterObjectionWithdrawnAsync(patientId, askedTime, cancellationToken);
        }
    }

    /// <summary>Copies of the patient's current episodes not required only because of the objection become due again.</summary>
    private async Task ReopenAfterObjectionWithdrawnAsync(string patientId, DateTime at, CancellationToken cancellationToken)
    {
        var copies = await db.Duties
            .Where(d => d.PatientId == patientId
                && (d.Kind == DutyKind.NearestRelativeCopy132 || d.Kind == DutyKind.NearestRelativeCopy130D)
                && d.State == DutyState.NotRequired
                && db.Episodes.Any(e => e.Id == d.EpisodeId && (e.State == EpisodeState.Active || e.State == EpisodeState.Recalled)))
            .ToListAsync(cancellationToken);
        foreach (var duty in copies.Where(d => NoticeWorkflow.IsPatientObjection(d.ResolutionNote)))
        {
            await lifecycle.RequireCopyAgainAsync(duty, "The patient no longer objects to the nearest relative receiving a copy (s132(4)).", at, cancellationToken);
        }
    }
}
