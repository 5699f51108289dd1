using System.Text.Json;
using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Rights;

/// <summary>What staff recorded about one explanation (section-132.md §2.4).</summary>
public sealed record AttemptDetails(
    DateTime AttemptTime,
    string ExplainedBy,
    string ExplainedByRole,
    bool OralGiven,
    bool WrittenGiven,
    string? LeafletId,
    string? LeafletVersion,
    string? LeafletLanguage,
    bool InterpreterUsed,
    string? AccessibleFormat,
    AttemptOutcome Outcome,
    string? CapacityNote,
    bool ImhaInformationGiven,
    NearestRelativeSharing NearestRelativeSharing,
    DateTime? NextAttemptTime,
    IReadOnlyList<CommunicationNeedResult> CommunicationNeeds,
    string? Note);

/// <summary>How one recorded communication need was handled in an attempt.</summary>
public sealed record CommunicationNeedResult(string CategoryCode, bool Met, string Detail);

/// <summary>
/// Records explanation attempts and applies them to their duty; corrects and voids them for the MHA office. An
/// attempt is immutable: a correction is a new attempt linked to the one it replaces, which stays readable.
/// </summary>
public sealed class ExplanationRecorder(
    MhaRightsDbContext db, AuditLog audit, RightsLifecycle lifecycle, NearestRelativeCopies nearestRelativeCopies, ICallerContext caller, ICommunicationNeeds communicationNeeds, PreloadedReads preloaded, TimeProvider time)
{
    /// <summary>ErrorInfo metadata "rule" when UNDERSTOOD is refused because a communication need was not met.</summary>
    public const string CommunicationNeedNotMetRule = "COMMUNICATION_NEED_NOT_MET";

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, CancellationToken, Task<bool>>> InterpreterNeededQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, CancellationToken ct) =>
            db.Patients.Where(p => p.Id == patientId).Select(p => p.InterpreterNeeded).FirstOrDefault()));

    /// <summary>The duty's standing attempts (for the report projection of a duty that already has some).</summary>
    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, IAsyncEnumerable<StandingAttempt>>> StandingAttemptsQuery = new(() => EF.CompileAsyncQuery(
        (MhaRightsDbContext db, string dutyId) => db.Attempts.AsNoTracking()
            .Where(a => a.DutyId == dutyId && a.State == AttemptState.Recorded)
            .Select(a => new StandingAttempt(a.AttemptTime, a.Outcome, a.Trigger, a.OralGiven, a.WrittenGiven))));

    private readonly LegalCalendar _calendar = LegalCalendar.EnglandAndWales;

    public Task<ExplanationAttempt> RecordAsync(RightsDuty duty, AttemptDetails details, CancellationToken cancellationToken) =>
        RecordAsync(duty, details, correction: null, cancellationToken);

    /// <param name="correction">For a correction: the attempt it replaces and the duty's other standing attempts
    /// (already read by <see cref="VoidAsync"/>; the replaced one is still RECORDED in the database until the save).</param>
    private async Task<ExplanationAttempt> RecordAsync(
        RightsDuty duty, AttemptDetails details, (string CorrectsId, IReadOnlyList<ExplanationAttempt> Others)? correction, CancellationToken cancellationToken)
    {
        var correctsId = correction?.CorrectsId;
        if (DutyRules.IsNotice(duty.Kind))
        {
            throw new PreconditionFailedException("EXPLANATION_DUTY_ONLY", $"{duty.Kind} is a notice; record it with RecordNoticeSent or RecordNoticeNotRequired.");
        }

        if (details.AttemptTime < duty.OpenTime)
        {
            throw new ValidationFailedException("attempt.attempt_time", "must not be before the duty opened");
        }

        if (details.NextAttemptTime is { } next && next <= details.AttemptTime)
        {
            throw new ValidationFailedException("attempt.next_attempt_time", "must be after attempt_time");
        }

        await RequireCommunicationNeedsAddressedAsync(duty.PatientId, details.CommunicationNeeds, cancellationToken);
        if (details.Outcome == AttemptOutcome.Understood)
        {
            await RequireCommunicationNeedsMetAsync(duty.PatientId, details, cancellationToken);
        }

        var who = caller.Caller;
        // One reading of the clock: the id's time part is the record's CreateTime (Common/Ids).
        var now = time.GetUtcNow().UtcDateTime;
        var attempt = new ExplanationAttempt
        {
            Id = Ids.New(now),
            DutyId = duty.Id,
            PatientId = duty.PatientId,
            AttemptTime = details.AttemptTime,
            ExplainedBy = details.ExplainedBy,
            ExplainedByRole = details.ExplainedByRole,
            Provision = duty.Provision,
            Trigger = duty.LastTrigger,
            OralGiven = details.OralGiven,
            WrittenGiven = details.WrittenGiven,
            LeafletId = details.LeafletId,
            LeafletVersion = details.LeafletVersion,
            LeafletLanguage = details.LeafletLanguage,
            InterpreterUsed = details.InterpreterUsed,
            AccessibleFormat = details.AccessibleFormat,
            Outcome = details.Outcome,
            CapacityNote = details.CapacityNote,
            ImhaInformationGiven = details.ImhaInformationGiven,
            NearestRelativeSharing = details.NearestRelativeSharing,
            NextAttemptTime = details.NextAttemptTime,
            CommunicationNeedsJson = details.CommunicationNeeds.Count == 0 ? null : JsonSerializer.Serialize(details.CommunicationNeeds),
            UnmetCommunicationNeeds = details.CommunicationNeeds.Count(n => !n.Met),
            Note = details.Note,
            State = AttemptState.Recorded,
            CorrectsId = correctsId,
            RecordedByPrincipal = who.Principal,
            RecordedByRole = who.Role,
            RecordedByDisplayName = who.DisplayName,
            CreateTime = now,
        };
        db.Attempts.Add(attempt);
        audit.Record(new AuditEntry(
            correctsId is null ? "RecordExplanationAttempt" : "CorrectExplanationAttempt",
            ResourceNames.Attempt(duty.PatientId, duty.Id, attempt.Id),
            duty.PatientId,
            ToState: attempt.Outcome.ToString(),
            Trigger: duty.LastTrigger.ToString(),
            DetailsJson: JsonSerializer.Serialize(new { attempt.OralGiven, attempt.WrittenGiven, attempt.LeafletId, attempt.InterpreterUsed, attempt.ImhaInformationGiven, correctsId })));

        duty.AttemptCount++;
        if (duty.FirstAttemptTime is null || details.AttemptTime < duty.FirstAttemptTime)
        {
            duty.FirstAttemptTime = details.AttemptTime;
        }

        if (details.OralGiven && (duty.OralGivenTime is null || details.AttemptTime > duty.OralGivenTime))
        {
            duty.OralGivenTime = details.AttemptTime;
        }

        if (details.WrittenGiven && (duty.WrittenGivenTime is null || details.AttemptTime > duty.WrittenGivenTime))
        {
            duty.WrittenGivenTime = details.AttemptTime;
        }

        // The report projection: a duty's first attempt needs no read; later ones read the others (few rows, by index).
        var standing = new List<StandingAttempt> { StandingAttempt.Of(attempt) };
        if (correction is { } replaced)
        {
            standing.AddRange(replaced.Others.Select(StandingAttempt.Of));
        }
        else if (duty.AttemptCount > 1)
        {
            await foreach (var other in StandingAttemptsQuery.For(db)(db, duty.Id).WithCancellation(cancellationToken))
            {
                standing.Add(other);
            }
        }

        DutyReportFacts.Apply(duty, standing);
        await ApplyOutcomeAsync(duty, attempt, cancellationToken);
        await nearestRelativeCopies.RecordAnswerAsync(duty.PatientId, details.NearestRelativeSharing, details.AttemptTime, cancellationToken);
        return attempt;
    }

    /// <summary>
    /// Reads what recording an attempt for each of <paramref name="patients"/> needs (communication needs, the
    /// interpreter flag, the open duties and the tracked patient) in one query each, until the next save.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyCollection<Patients.Patient> patients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patients);
        var ids = patients.Select(p => p.Id).ToList();
        var needs = await communicationNeeds.ForPatientsAsync(ids, cancellationToken);
        preloaded.CommunicationNeeds.Set(ids, id => needs.TryGetValue(id, out var n) ? n : []);
        var interpreter = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.InterpreterNeeded })
            .ToDictionaryAsync(p => p.Id, p => p.InterpreterNeeded, StringComparer.Ordinal, cancellationToken);
        preloaded.InterpreterNeeded.Set(ids, id => interpreter.GetValueOrDefault(id));
        var byId = patients.ToDictionary(p => p.Id, StringComparer.Ordinal);
        preloaded.Patients.Set(ids, id => byId[id]);
        await lifecycle.PreloadOpenDutiesAsync(ids, cancellationToken);
    }

    /// <summary>Voids (or, with a replacement, corrects) the duty's latest standing attempt and recomputes the duty.</summary>
    public async Task<ExplanationAttempt> VoidAsync(ExplanationAttempt attempt, RightsDuty duty, string reason, AttemptDetails? correction, DateTime now, CancellationToken cancellationToken)
    {
        if (attempt.State != AttemptState.Recorded)
        {
            throw new InvalidTransitionException<AttemptState, string>(attempt.State, correction is null ? "VoidExplanationAttempt" : "CorrectExplanationAttempt", []);
        }

        var later = await db.Attempts.AnyAsync(
            a => a.DutyId == duty.Id && a.State == AttemptState.Recorded && a.Id != attempt.Id && a.AttemptTime > attempt.AttemptTime,
            cancellationToken);
        if (later)
        {
            throw new PreconditionFailedException("LATEST_ATTEMPT_ONLY", "Only the duty's latest standing attempt can be corrected or voided; void the later attempts first.");
        }

        attempt.State = correction is null ? AttemptState.Voided : AttemptState.Corrected;
        attempt.VoidReason = reason;
        attempt.VoidTime = now;
        audit.Record(new AuditEntry(
            correction is null ? "VoidExplanationAttempt" : "SupersedeAttemptByCorrection",
            ResourceNames.Attempt(duty.PatientId, duty.Id, attempt.Id),
            duty.PatientId,
            nameof(AttemptState.Recorded),
            attempt.State.ToString(),
            Reason: reason));

        duty.AttemptCount--;
        var machine = DutyWorkflow.For(lifecycle.Context(duty, reason: reason));
        if (machine.CanFire(DutyEvent.AttemptVoided))
        {
            duty.UnderstoodTime = null;
            duty.NextAttemptTime = null;
            duty.NextReminderTime = null;
            await machine.FireAsync(DutyEvent.AttemptVoided, cancellationToken);
        }

        var previous = await db.Attempts
            .Where(a => a.DutyId == duty.Id && a.State == AttemptState.Recorded && a.Id != attempt.Id)
            .OrderByDescending(a => a.AttemptTime)
            .ToListAsync(cancellationToken);
        duty.FirstAttemptTime = previous.Count == 0 ? null : previous.Min(a => a.AttemptTime);
        duty.OralGivenTime = previous.Where(a => a.OralGiven).Select(a => (DateTime?)a.AttemptTime).Max();
        duty.WrittenGivenTime = previous.Where(a => a.WrittenGiven).Select(a => (DateTime?)a.AttemptTime).Max();
        DutyReportFacts.Apply(duty, previous.Select(StandingAttempt.Of));
        if (correction is null && previous.Count > 0 && duty.State == DutyState.Due)
        {
            await ApplyOutcomeAsync(duty, previous[0], cancellationToken);
        }

        if (correction is null)
        {
            return attempt;
        }

        var replacement = await RecordAsync(duty, correction, (attempt.Id, previous), cancellationToken);
        attempt.CorrectedById = replacement.Id;
        return replacement;
    }

    /// <summary>
    /// Every recorded communication need must be answered: met (how) or not met (why). An attempt that is silent
    /// about a BSL interpreter the patient needs is exactly the failure CQC finds, so it is refused.
    /// </summary>
    private async Task RequireCommunicationNeedsAddressedAsync(string patientId, IReadOnlyList<CommunicationNeedResult> answered, CancellationToken cancellationToken)
    {
        var needs = preloaded.CommunicationNeeds.TryGet(patientId, out var known) ? known : await communicationNeeds.ForPatientAsync(patientId, cancellationToken);
        var missing = needs
            .Where(n => !answered.Any(a => string.Equals(a.CategoryCode, n.CategoryCode, StringComparison.Ordinal)))
            .ToList();
        if (missing.Count > 0)
        {
            throw new PreconditionFailedException(
                "COMMUNICATION_NEEDS_ADDRESSED",
                "The patient has recorded communication needs that this attempt does not address: "
                    + string.Join("; ", missing.Select(n => $"{n.CategoryCode} {n.CategoryDisplay}: {n.Display}"))
                    + ". Add attempt.communication_needs saying how each was met, or why it was not.",
                ErrorReasons.CommunicationNeedUnaddressed);
        }
    }

    /// <summary>
    /// s130D: an s130D duty is met only by giving the IMHA information (§1.3); an attempt recorded with
    /// imha_information_given=false leaves it awaiting explanation (a re-attempt is scheduled) whatever the outcome.
    /// </summary>
    private static bool MeetsImhaDuty(RightsDuty duty, ExplanationAttempt attempt) =>
        duty.Kind != DutyKind.Section130D || attempt.ImhaInformationGiven;

    /// <summary>
    /// The patient cannot be recorded as having understood information given without the adjustment they need
    /// (Equality Act 2010 s20; section-132.md §2.6): an answered need marked not met, or an interpreter the patient
    /// record says is needed but was not used, refuses an UNDERSTOOD outcome. Staff record NOT_UNDERSTOOD or UNABLE
    /// instead, which schedules a re-attempt with the need met.
    /// </summary>
    private async Task RequireCommunicationNeedsMetAsync(string patientId, AttemptDetails details, CancellationToken cancellationToken)
    {
        var unmet = details.CommunicationNeeds.Where(n => !n.Met).Select(n => $"{n.CategoryCode} ({n.Detail})").ToList();
        var interpreterNeeded = preloaded.InterpreterNeeded.TryGet(patientId, out var needed) ? needed : await InterpreterNeededQuery.For(db)(db, patientId, cancellationToken);
        if (interpreterNeeded && !details.InterpreterUsed)
        {
            unmet.Add("the patient record says an interpreter is needed and attempt.interpreter_used is false");
        }

        if (unmet.Count > 0)
        {
            throw new PreconditionFailedException(
                CommunicationNeedNotMetRule,
                "The outcome cannot be UNDERSTOOD while a communication need was not met: " + string.Join("; ", unmet)
                    + ". Record the outcome as NOT_UNDERSTOOD or UNABLE (a re-attempt is scheduled) and explain again with the need met.");
        }
    }

    private async Task ApplyOutcomeAsync(RightsDuty duty, ExplanationAttempt attempt, CancellationToken cancellationToken)
    {
        var context = lifecycle.Context(duty, cause: duty.LastTrigger.ToString());
        var machine = DutyWorkflow.For(context);
        duty.UpdateTime = attempt.AttemptTime;
        var outstanding = Section132_3.Outstanding(duty);
        if (attempt.Outcome == AttemptOutcome.Understood && MeetsImhaDuty(duty, attempt) && outstanding != OutstandingInformation.None)
        {
            // s132(3): understood, but not yet given both orally and in writing. The duty keeps its state and
            // deadline (it can still become overdue) and lists what is missing; a planned re-attempt is due now.
            if (duty.State == DutyState.ReattemptScheduled)
            {
                duty.NextAttemptTime = attempt.AttemptTime;
            }

            audit.Record(new AuditEntry("ExplanationIncomplete", context.Resource, duty.PatientId, duty.State.ToString(), duty.State.ToString(), duty.LastTrigger.ToString(), Section132_3.Describe(duty, outstanding)));
            return;
        }

        if (attempt.Outcome == AttemptOutcome.Understood && MeetsImhaDuty(duty, attempt))
        {
            duty.UnderstoodTime = attempt.AttemptTime;
            duty.NextAttemptTime = null;
            var rule = DutyRules.For(duty.Kind);
            duty.NextReminderTime = rule.HasPeriodicReminder
                ? _calendar.PlusLocal(Instant.FromDateTimeUtc(attempt.AttemptTime), lifecycle.Policy.PeriodicIntervalFor(lifecycle.RuleFor(duty.Provision, duty.OpenTime))).ToDateTimeUtc()
                : null;
            await machine.FireAsync(DutyEvent.AttemptUnderstood, cancellationToken);
            return;
        }

        // §2.5: not understood, declined or unable - keep trying; schedule the next attempt.
        await machine.FireAsync(DutyEvent.AttemptUnsuccessful, cancellationToken);
        duty.NextAttemptTime = attempt.NextAttemptTime ?? attempt.AttemptTime + lifecycle.Policy.ReattemptInterval.ToTimeSpan();
        duty.LastTrigger = DutyTrigger.NotUnderstood;
        await machine.FireAsync(DutyEvent.ScheduleReattempt, cancellationToken);
    }
}
