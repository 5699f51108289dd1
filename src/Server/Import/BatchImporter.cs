using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Import;

/// <summary>
/// Applies a batch of validated import rows inside the caller's unit of work, through the same domain code as the
/// single-record methods (CreatePatient, SetNearestRelative, StartEpisode, RecordExplanationAttempt, EndEpisode),
/// so duties, deadlines and audit events are those of an import done row by row.
/// </summary>
/// <remarks>
/// The domain code reads the database (open duties, the active episode, pending triggers), so a patient's next
/// step must see the previous one saved. Rows are therefore applied in rounds - patients, then each patient's
/// first episode start, its attempts, its end, then the second episode... - with one SaveChanges per round for
/// the whole batch instead of one transaction per step. Lookups the import itself needs (patients by local id,
/// existing episodes, attempts and duties) are one query per round, not one per row, and so are the domain code's
/// own reads: before each step the importer preloads them for the round's patients (PreloadedReads), which the
/// domain methods use instead of reading one patient's. Each save appends the added rows in bulk (see
/// <see cref="SaveAsync"/>). Any refusal is rethrown as a field violation naming the row, and the unit of work
/// rolls the whole batch back.
/// </remarks>
public sealed class BatchImporter(
    MhaRightsDbContext db,
    LegalStatusLifecycle legalStatus,
    RightsLifecycle rights,
    ExplanationRecorder recorder,
    AuditLog audit,
    PreloadedReads preloaded,
    TimeProvider time)
{
    /// <summary>What a batch adds, in foreign-key order.</summary>
    private static readonly Type[] AppendedTypes = [typeof(LegalStatusEpisode), typeof(RightsDuty), typeof(ExplanationAttempt), typeof(ScheduledTrigger)];

    public async Task<IReadOnlyList<ImportRowOutcome>> ApplyAsync(IReadOnlyList<ImportRowData> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        try
        {
            return await ApplyRoundsAsync(rows, cancellationToken);
        }
        finally
        {
            // Also after a refusal: nothing preloaded outlives the batch.
            preloaded.Clear();
        }
    }

    private async Task<IReadOnlyList<ImportRowOutcome>> ApplyRoundsAsync(IReadOnlyList<ImportRowData> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var outcomes = rows.Select(_ => new ImportRowOutcome()).ToArray();

        // A patient's rows in the order a person would record them: by episode start, then attempt time.
        var plans = rows
            .GroupBy(r => r.LocalId, StringComparer.Ordinal)
            .Select(g => new PatientPlan(g.OrderBy(r => r.StartTime).ThenBy(r => r.Attempt?.AttemptTime).ThenBy(r => r.Index).ToList()))
            .ToList();

        await ResolvePatientsAsync(plans, outcomes, now, cancellationToken);
        await SaveAsync(cancellationToken);

        var existingIds = plans.Where(p => !p.IsNew).Select(p => p.Patient.Id).ToList();
        var existingEpisodes = existingIds.Count == 0
            ? []
            : await db.Episodes.Where(e => existingIds.Contains(e.PatientId)).ToListAsync(cancellationToken);
        var existingAttempts = existingIds.Count == 0
            ? []
            : await db.Attempts.AsNoTracking().Where(a => existingIds.Contains(a.PatientId))
                .Select(a => new AttemptKey(a.PatientId, a.AttemptTime, a.ExplainedBy, a.Outcome)).ToListAsync(cancellationToken);
        var attemptKeys = existingAttempts.ToHashSet();
        var episodesByPatient = existingEpisodes.ToLookup(e => e.PatientId, StringComparer.Ordinal);

        var rounds = plans.Max(p => p.Episodes.Count);
        for (var round = 0; round < rounds; round++)
        {
            var current = plans.Where(p => p.Episodes.Count > round).Select(p => (Plan: p, Rows: p.Episodes[round])).ToList();

            // 1. Start each episode that is not there yet (matched like the CLI did: provision and start time).
            var found = current.ConvertAll(c => episodesByPatient[c.Plan.Patient.Id].FirstOrDefault(e => e.Provision == c.Rows[0].Provision && e.StartTime == c.Rows[0].StartTime));
            await legalStatus.PreloadAsync(current.Where((_, i) => found[i] is null).Select(c => c.Plan.Patient.Id).ToList(), [], cancellationToken);
            foreach (var ((plan, episodeRows), existing) in current.Zip(found))
            {
                var definer = episodeRows[0];
                var episode = existing;
                var started = false;
                if (episode is null)
                {
                    episode = await Guard(definer.Index, "episode", () => legalStatus.StartAsync(
                        plan.Patient, definer.Provision, definer.SuspendedProvision, definer.Hospital, definer.Ward, definer.StartTime, cancellationToken));
                    started = true;
                }

                plan.CurrentEpisode = episode;
                plan.CurrentEpisodeIsNew = started;
                foreach (var row in episodeRows)
                {
                    outcomes[row.Index].EpisodeId = episode.Id;
                }

                outcomes[definer.Index].EpisodeStarted = started;
            }

            await SaveAsync(cancellationToken);

            // 2. Attempts, the n-th of every episode together: each must see the duty as the previous one left it.
            var attemptRounds = current.Max(c => c.Rows.Count(r => r.Attempt is not null));
            for (var n = 0; n < attemptRounds; n++)
            {
                var due = current
                    .Select(c => (c.Plan, Row: c.Rows.Where(r => r.Attempt is not null).OrderBy(r => r.Attempt!.AttemptTime).ElementAtOrDefault(n)))
                    .Where(c => c.Row is not null)
                    .ToList();
                var episodeIds = due.Select(d => d.Plan.CurrentEpisode!.Id).ToList();
                await recorder.PreloadAsync(due.Select(d => d.Plan.Patient).ToList(), cancellationToken);
                var duties = (await db.Duties.Where(d => episodeIds.Contains(d.EpisodeId)).ToListAsync(cancellationToken))
                    .ToLookup(d => d.EpisodeId, StringComparer.Ordinal);
                foreach (var (plan, row) in due)
                {
                    var details = row!.Attempt!;
                    if (attemptKeys.Contains(new AttemptKey(plan.Patient.Id, details.AttemptTime, details.ExplainedBy, details.Outcome)))
                    {
                        continue;
                    }

                    var episode = plan.CurrentEpisode!;
                    var duty = duties[episode.Id]
                        .Where(d => d.Kind == row.Duty)
                        .OrderBy(d => d.State is DutyState.Superseded or DutyState.Closed or DutyState.NotApplicable ? 1 : 0)
                        .ThenByDescending(d => d.OpenTime)
                        .FirstOrDefault()
                        ?? throw new ValidationFailedException(Field(row.Index, "duty"), $"the {episode.Provision} episode has no {row.Duty} duty");
                    var attempt = await Guard(row.Index, "attempt", () => recorder.RecordAsync(duty, details, cancellationToken));
                    outcomes[row.Index].DutyId = duty.Id;
                    outcomes[row.Index].AttemptId = attempt.Id;
                    outcomes[row.Index].AttemptRecorded = true;
                }

                await SaveAsync(cancellationToken);
            }

            // 3. The end, from the first row that gives one, unless the episode is already over.
            var ending = current
                .Select(c => (c.Plan, Ender: c.Rows.FirstOrDefault(r => r.EndTime is not null)))
                .Where(c => c.Ender is not null && (c.Plan.CurrentEpisodeIsNew || c.Plan.CurrentEpisode!.IsOpen))
                .ToList();
            await legalStatus.PreloadAsync(ending.ConvertAll(c => c.Plan.Patient.Id), ending.ConvertAll(c => c.Plan.CurrentEpisode!.Id), cancellationToken);
            foreach (var (plan, ender) in ending)
            {
                var episode = plan.CurrentEpisode!;
                await Guard(ender!.Index, "end_time", async () =>
                {
                    await legalStatus.EndAsync(plan.Patient, episode, ender.EndTime!.Value, ender.EndReason, ender.EndNote, cancellationToken);
                    return episode;
                });
                outcomes[ender.Index].EpisodeEnded = true;
            }

            await SaveAsync(cancellationToken);
        }

        return outcomes;
    }

    /// <summary>
    /// Saves a round. The rows a batch adds (episodes, duties, attempts, triggers; parents first) go in multi-row
    /// INSERTs instead of one statement each. Then the duties, attempts and triggers are no longer tracked: the
    /// domain reads them afresh in later rounds, and each save would otherwise compare all of the batch's again.
    /// Patients and episodes stay tracked, as the plans hold them for the rounds that follow.
    /// </summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        // What was preloaded is what the database held before this save.
        preloaded.Clear();
        await db.SaveChangesAppendingAsync(AppendedTypes, cancellationToken);
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        // Just saved, so there is nothing to detect.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is RightsDuty or ExplanationAttempt or ScheduledTrigger).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>The <c>rows[i].</c> path of a field of row <paramref name="index"/>.</summary>
    public static string Field(int index, string field) => $"rows[{index}].{field}";

    /// <summary>Prefixes every violation of a row's validation with its <c>rows[i].</c> path.</summary>
    public static IEnumerable<FieldViolation> ForRow(int index, ValidationFailedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Violations.Select(v => new FieldViolation(Field(index, v.Field), v.Description));
    }

    /// <summary>
    /// Finds each patient by local id or creates it from its first row (with CreatePatient's identity rule: no
    /// other patient may hold the NHS number), then sets the nearest relative where none is recorded.
    /// </summary>
    private async Task ResolvePatientsAsync(List<PatientPlan> plans, ImportRowOutcome[] outcomes, DateTime now, CancellationToken cancellationToken)
    {
        var localIds = plans.Select(p => p.First.LocalId).ToList();
        var known = await db.Patients.Where(p => localIds.Contains(p.LocalId)).ToDictionaryAsync(p => p.LocalId, StringComparer.Ordinal, cancellationToken);
        var nhsNumbers = plans.Where(p => !known.ContainsKey(p.First.LocalId) && p.First.NewPatient.NhsNumber is not null)
            .Select(p => p.First.NewPatient.NhsNumber!).Distinct(StringComparer.Ordinal).ToList();
        var nhsHolders = nhsNumbers.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Patients.AsNoTracking().Where(p => p.NhsNumber != null && nhsNumbers.Contains(p.NhsNumber))
                .ToDictionaryAsync(p => p.NhsNumber!, p => p.LocalId, StringComparer.Ordinal, cancellationToken);

        var violations = new List<FieldViolation>();
        foreach (var plan in plans)
        {
            var first = plan.First;
            if (known.TryGetValue(first.LocalId, out var existing))
            {
                plan.Patient = existing;
                continue;
            }

            var patient = first.NewPatient;
            if (patient.NhsNumber is { } nhs && !nhsHolders.TryAdd(nhs, patient.LocalId))
            {
                violations.Add(new FieldViolation(Field(first.Index, "patient.nhs_number"), "A patient with this NHS number already exists."));
                continue;
            }

            patient.CreateTime = now;
            patient.UpdateTime = now;
            db.Patients.Add(patient);
            audit.Record(new AuditEntry("CreatePatient", ResourceNames.Patient(patient.Id), patient.Id));
            plan.Patient = patient;
            plan.IsNew = true;
            outcomes[first.Index].PatientCreated = true;
        }

        if (violations.Count > 0)
        {
            throw new ValidationFailedException(violations);
        }

        foreach (var plan in plans)
        {
            foreach (var row in plan.Rows)
            {
                outcomes[row.Index].PatientId = plan.Patient.Id;
            }

            var nrRow = plan.Rows.FirstOrDefault(r => r.NearestRelative is not null);
            var patient = plan.Patient;
            if (nrRow is null || patient.NearestRelativeStatus != NearestRelativeStatus.Unspecified)
            {
                continue;
            }

            var nr = nrRow.NearestRelative!;
            var previous = patient.NearestRelativeStatus;
            patient.NearestRelativeStatus = nr.Status;
            patient.NearestRelativeName = nr.FullName;
            patient.NearestRelativeRelationship = nr.Relationship;
            patient.NearestRelativeAddress = nr.Address;
            patient.NearestRelativeContact = nr.Contact;
            patient.UpdateTime = now;
            audit.Record(new AuditEntry("SetNearestRelative", ResourceNames.Patient(patient.Id), patient.Id, previous.ToString(), nr.Status.ToString()));
            if (!plan.IsNew)
            {
                // A patient created in this batch has no duties yet, so there are no copies to change.
                await Guard(nrRow.Index, "nearest_relative", async () =>
                {
                    await rights.ApplyNearestRelativeChangeAsync(patient, now, cancellationToken);
                    return patient;
                });
            }

            outcomes[nrRow.Index].NearestRelativeSet = true;
        }
    }

    /// <summary>
    /// Runs one domain step of row <paramref name="index"/>; a refusal becomes a field violation of that row (its
    /// own fields when it names them, else <paramref name="field"/>) so the caller learns which row to fix.
    /// </summary>
    private static async Task<T> Guard<T>(int index, string field, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (ValidationFailedException ex)
        {
            throw new ValidationFailedException(ForRow(index, ex).ToList());
        }
        catch (ResourceAlreadyExistsException ex)
        {
            throw new ValidationFailedException(Field(index, string.IsNullOrEmpty(ex.Field) ? field : ex.Field), ex.Message);
        }
        catch (DomainException ex)
        {
            throw new ValidationFailedException(Field(index, field), ex.Message);
        }
        catch (InvalidTransitionException ex)
        {
            throw new ValidationFailedException(Field(index, field), ex.Message);
        }
    }

    private sealed record AttemptKey(string PatientId, DateTime Time, string ExplainedBy, AttemptOutcome Outcome);

    /// <summary>One patient's rows, grouped into episodes in start order, and where applying them has got to.</summary>
    private sealed class PatientPlan(List<ImportRowData> rows)
    {
        public List<ImportRowData> Rows { get; } = rows;

        public ImportRowData First => Rows[0];

        public List<List<ImportRowData>> Episodes { get; } = rows
            .GroupBy(r => (r.Provision, r.StartTime))
            .OrderBy(g => g.Key.StartTime)
            .Select(g => g.ToList())
            .ToList();

        public Patient Patient { get; set; } = null!;

        public bool IsNew { get; set; }

        public LegalStatusEpisode? CurrentEpisode { get; set; }

        public bool CurrentEpisodeIsNew { get; set; }
    }
}
