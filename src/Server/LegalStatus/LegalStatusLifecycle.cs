using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.LegalStatus;

/// <summary>
/// Legal status changes (start, change of provision, renewal, transfer, CTO recall/release/revocation, planned
/// discharge, end). Each is a transition of the episode workflow followed by the duty changes it implies; all in
/// the caller's unit of work.
/// </summary>
public sealed class LegalStatusLifecycle(MhaRightsDbContext db, AuditLog audit, RightsLifecycle rights, PreloadedReads preloaded, TimeProvider time)
{
    /// <summary>Indefinite provisions (s37/41...) get dated triggers this far ahead; renewal-free, so recomputed on access.</summary>
    private static readonly Period IndefiniteHorizon = Period.FromYears(3);

    private readonly LegalCalendar _calendar = LegalCalendar.EnglandAndWales;

    public async Task<LegalStatusEpisode> StartAsync(Patient patient, Provision provision, Provision? suspended, string hospital, string? ward, DateTime start, CancellationToken cancellationToken)
    {
        if (provision == Provision.CommunityTreatmentOrderRecall)
        {
            throw new ValidationFailedException("episode.provision", "a CTO recall is recorded with RecallCommunityPatient on the CTO episode");
        }

        ValidateSuspended("episode", provision, suspended);
        RequireMinimumAge("episode.start_time", patient, provision, start);
        var active = await CurrentEpisodeAsync(patient.Id, cancellationToken);
        if (active is not null)
        {
            throw new PreconditionFailedException("ONE_ACTIVE_EPISODE", $"The patient already has an active episode ({ResourceNames.Episode(patient.Id, active.Id)}); use ChangeProvision.");
        }

        var episode = NewEpisode(patient, provision, suspended, hospital, ward, start);
        audit.Record(new AuditEntry("StartEpisode", Name(episode), patient.Id, null, nameof(EpisodeState.Active), provision.ToString()));
        UpdatePatientLocation(patient, hospital, ward, start);
        var trigger = provision == Provision.CommunityTreatmentOrder ? DutyTrigger.CtoMade : DutyTrigger.DetentionStart;
        await rights.ApplyLegalStatusChangeAsync(patient, [], episode, trigger, start, openProvisionDuties: true, cancellationToken);
        Schedule(patient, episode, after: start);
        return episode;
    }

    public async Task<(LegalStatusEpisode Previous, LegalStatusEpisode Current)> ChangeProvisionAsync(
        Patient patient, LegalStatusEpisode current, Provision provision, Provision? suspended, string? hospital, string? ward, DateTime at, CancellationToken cancellationToken)
    {
        ValidateSuspended("", provision, suspended);
        if (provision == current.Provision)
        {
            throw new ValidationFailedException("provision", "must differ from the current provision");
        }

        if (provision == Provision.CommunityTreatmentOrderRecall)
        {
            throw new ValidationFailedException("provision", "use RecallCommunityPatient for a CTO recall");
        }

        RequireNotBefore("change_time", at, current.StartTime);
        RequireMinimumAge("change_time", patient, provision, at);
        await FireAsync(current, EpisodeEvent.ChangeProvision, cancellationToken, provision.ToString());
        EndFields(current, at, EpisodeEndReason.ProvisionChanged, null);
        // §3.1 s4(4), s2(4): a s4 "converted" by the second recommendation has effect as the s2 application, so the
        // 28 days and the 14-day tribunal window count from the s4 admission day, not from the change.
        DateTime? periodStart = current.Provision == Provision.Section4 && provision == Provision.Section2 ? current.PeriodStart : null;
        var next = NewEpisode(patient, provision, suspended, string.IsNullOrEmpty(hospital) ? current.Hospital : hospital, string.IsNullOrEmpty(ward) ? current.Ward : ward, at, periodStart);
        Link(current, next);
        UpdatePatientLocation(patient, next.Hospital, next.Ward, at);
        await CancelScheduleAsync(current, cancellationToken);
        var trigger = provision == Provision.CommunityTreatmentOrder ? DutyTrigger.CtoMade : DutyTrigger.ChangeOfProvision;
        await rights.ApplyLegalStatusChangeAsync(patient, [current], next, trigger, at, openProvisionDuties: true, cancellationToken);
        Schedule(patient, next, after: at);
        return (current, next);
    }

    public async Task RenewAsync(Patient patient, LegalStatusEpisode episode, DateTime renewalTime, CancellationToken cancellationToken)
    {
        var rule = rights.RuleFor(episode.Provision, episode.StartTime);
        if (rule.Renewal is null && episode.ExpiryTime is not null)
        {
            // §3.1: s2, s4, s5, s135/136, s35/36 recall... are not renewable at all; saying "maximum period reached"
            // would suggest a renewal had once been possible.
            throw new PreconditionFailedException("NOT_RENEWABLE", $"{rule.DisplayName} cannot be renewed: the Act makes no provision to renew it. Record the authority that follows it with ChangeProvision (for example an application under section 3), or end the episode.");
        }

        if (rule.Renewal is null || episode.ExpiryTime is null)
        {
            await FireAsync(episode, EpisodeEvent.Renew, cancellationToken);
        }

        RequireNotBefore("renewal_time", renewalTime, episode.StartTime);
        var expiry = episode.ExpiryTime!.Value;
        // §3.1 [verify s20(3)]: the renewal examination falls in the last two months of the period.
        var windowOpens = _calendar.PlusLocal(Instant.FromDateTimeUtc(expiry), Period.FromMonths(-2)).ToDateTimeUtc();
        if (renewalTime > expiry || renewalTime < windowOpens)
        {
            throw new ValidationFailedException("renewal_time", $"must be within the two months before expiry ({LondonTime.Format(windowOpens)} to {LondonTime.Format(expiry)})");
        }

        Instant? renewed;
        try
        {
            renewed = _calendar.ComputeRenewedExpiry(rule, Instant.FromDateTimeUtc(episode.PeriodStart), episode.RenewalCount + 1);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new PreconditionFailedException("RENEWAL_LIMIT", $"{rule.DisplayName} cannot be renewed again (maximum total period reached).");
        }

        await FireAsync(episode, EpisodeEvent.Renew, cancellationToken);
        if (episode.LapsedTime is not null)
        {
            // Recorded after the sweep flagged a lapse, but made before expiry (checked above): it never lapsed.
            episode.LapsedTime = null;
            await rights.ReleaseLapseHoldAsync(episode, cancellationToken);
        }

        var horizon = ScheduleHorizon(rule, episode);
        episode.RenewalCount++;
        episode.LastRenewalTime = renewalTime;
        episode.ExpiryTime = renewed?.ToDateTimeUtc();
        episode.UpdateTime = Now;
        // §2.3 / §8.3: re-explain on renewal (trust policy; statutory under MHA 2025 s132 complaints duty).
        await rights.RaiseReexplanationAsync(patient.Id, DutyTrigger.Renewal, renewalTime, $"Renewal {episode.RenewalCount}", cancellationToken);
        Schedule(patient, episode, after: horizon);
    }

    public async Task TransferAsync(Patient patient, LegalStatusEpisode episode, string hospital, string? ward, DateTime at, CancellationToken cancellationToken)
    {
        RequireNotBefore("transfer_time", at, episode.StartTime);
        var newHospital = !string.Equals(hospital, episode.Hospital, StringComparison.Ordinal);
        await FireAsync(episode, EpisodeEvent.Transfer, cancellationToken, $"{episode.Hospital}/{episode.Ward} -> {hospital}/{ward}");
        episode.Hospital = hospital;
        episode.Ward = ward;
        episode.UpdateTime = Now;
        UpdatePatientLocation(patient, hospital, ward, at);
        if (newHospital)
        {
            // §1.1 s132(2): detention in a different hospital starts the hospital duty afresh for the receiving
            // managers. Done before the relocation below, so the sending hospital's duty is closed where it was
            // (never relabelled as the receiving hospital's).
            await rights.ApplyLegalStatusChangeAsync(patient, [], episode, DutyTrigger.Transfer, at, openProvisionDuties: false, cancellationToken);
        }

        await rights.RelocateOpenDutiesAsync(patient.Id, hospital, ward, cancellationToken);
        if (!newHospital)
        {
            await rights.RaiseReexplanationAsync(patient.Id, DutyTrigger.ChangeOfCircumstances, at, "Ward move", cancellationToken);
        }
    }

    public async Task<LegalStatusEpisode> RecallAsync(Patient patient, LegalStatusEpisode cto, string hospital, string? ward, DateTime at, CancellationToken cancellationToken)
    {
        RequireNotBefore("recall_time", at, cto.StartTime);
        await FireAsync(cto, EpisodeEvent.Recall, cancellationToken);
        cto.UpdateTime = Now;
        var recall = NewEpisode(patient, Provision.CommunityTreatmentOrderRecall, null, hospital, ward, at);
        recall.ParentEpisodeId = cto.Id;
        UpdatePatientLocation(patient, hospital, ward, at);
        // §1.2, CoP 4.9: s132 information at the time of recall; the CTO's own duties continue.
        await rights.ApplyLegalStatusChangeAsync(patient, [], recall, DutyTrigger.CtoRecall, at, openProvisionDuties: true, cancellationToken);
        return recall;
    }

    public async Task<LegalStatusEpisode> ReleaseAsync(Patient patient, LegalStatusEpisode recall, DateTime at, CancellationToken cancellationToken)
    {
        var cto = await ParentOfRecallAsync(recall, cancellationToken);
        RequireNotBefore("release_time", at, recall.StartTime);
        await FireAsync(recall, EpisodeEvent.ReleaseFromRecall, cancellationToken);
        EndFields(recall, at, EpisodeEndReason.ReleasedFromRecall, null);
        await FireAsync(cto, EpisodeEvent.ReleaseFromRecall, cancellationToken);
        cto.UpdateTime = Now;
        await rights.ApplyLegalStatusChangeAsync(patient, [recall], cto, DutyTrigger.CtoRecall, at, openProvisionDuties: false, cancellationToken);
        return cto;
    }

    public async Task<(LegalStatusEpisode Recall, LegalStatusEpisode Detention)> RevokeAsync(Patient patient, LegalStatusEpisode recall, DateTime at, CancellationToken cancellationToken)
    {
        var cto = await ParentOfRecallAsync(recall, cancellationToken);
        RequireNotBefore("revocation_time", at, recall.StartTime);
        await FireAsync(recall, EpisodeEvent.Revoke, cancellationToken);
        await FireAsync(cto, EpisodeEvent.Revoke, cancellationToken);
        EndFields(recall, at, EpisodeEndReason.CommunityTreatmentOrderRevoked, null);
        EndFields(cto, at, EpisodeEndReason.CommunityTreatmentOrderRevoked, null);
        // s17G: detention under the suspended provision resumes, its period starting afresh at revocation.
        var detention = NewEpisode(patient, cto.SuspendedProvision ?? Provision.Section3, null, recall.Hospital, recall.Ward, at);
        Link(recall, detention);
        cto.NextEpisodeId = detention.Id;
        await CancelScheduleAsync(cto, cancellationToken);
        await rights.ApplyLegalStatusChangeAsync(patient, [recall, cto], detention, DutyTrigger.CtoRevoked, at, openProvisionDuties: true, cancellationToken);
        Schedule(patient, detention, after: at);
        // §3.3 s68(7): the managers must refer the case to the tribunal as soon as possible after revocation.
        rights.OpenRevocationReference(patient, detention, at);
        return (recall, detention);
    }

    public async Task PlanDischargeAsync(Patient patient, LegalStatusEpisode episode, DateTime planned, bool orderedByNearestRelative, bool optedOut, CancellationToken cancellationToken)
    {
        if (planned <= Now)
        {
            throw new ValidationFailedException("planned_discharge_time", "must be in the future");
        }

        await FireAsync(episode, EpisodeEvent.PlanDischarge, cancellationToken, LondonTime.Format(planned));
        episode.PlannedDischargeTime = planned;
        episode.UpdateTime = Now;
        await rights.PlanDischargeNoticeAsync(patient, episode, planned, orderedByNearestRelative, optedOut, Now, cancellationToken);
    }

    public async Task RecordMedicationStartAsync(Patient patient, LegalStatusEpisode episode, DateTime firstMedication, CancellationToken cancellationToken)
    {
        RequireNotBefore("first_medication_time", firstMedication, episode.StartTime);
        await FireAsync(episode, EpisodeEvent.RecordMedicationStart, cancellationToken, LondonTime.Format(firstMedication));
        episode.FirstMedicationTime = firstMedication;
        episode.UpdateTime = Now;
        var point = _calendar.ComputePart4ThreeMonthPoint(Instant.FromDateTimeUtc(firstMedication)).ToDateTimeUtc();
        AddTrigger(patient, episode, DutyTrigger.Part4ThreeMonths, point, "Part 4: three months since medication was first given (s58)");
    }

    public async Task EndAsync(Patient patient, LegalStatusEpisode episode, DateTime at, EpisodeEndReason reason, string? note, CancellationToken cancellationToken)
    {
        RequireNotBefore("end_time", at, episode.StartTime);
        var ending = new List<LegalStatusEpisode> { episode };
        if (episode.State == EpisodeState.Recalled)
        {
            // Ending a CTO while its patient is recalled ends the recall too.
            var recall = await db.Episodes.SingleAsync(e => e.ParentEpisodeId == episode.Id && e.State == EpisodeState.Active, cancellationToken);
            EndFields(recall, at, reason, note);
            recall.State = EpisodeState.Ended;
            audit.Record(new AuditEntry(nameof(EpisodeEvent.End), Name(recall), patient.Id, nameof(EpisodeState.Active), nameof(EpisodeState.Ended), reason.ToString(), note));
            ending.Add(recall);
        }

        await FireAsync(episode, EpisodeEvent.End, cancellationToken, reason.ToString(), note);
        EndFields(episode, at, reason, note);
        foreach (var e in ending)
        {
            await CancelScheduleAsync(e, cancellationToken);
        }

        await rights.ApplyLegalStatusChangeAsync(patient, ending, null, DutyTrigger.Unspecified, at, openProvisionDuties: false, cancellationToken);
    }

    /// <summary>
    /// The deadline sweep found <paramref name="episode"/> past its expiry with nothing recorded: flag it lapsed (it
    /// stays in its state: only a person can record whether it was renewed late, replaced or the patient left),
    /// audit it, stop its dated re-explanation triggers and take its explanation duties off the worklists.
    /// </summary>
    public async Task MarkLapsedAsync(LegalStatusEpisode episode, CancellationToken cancellationToken)
    {
        var lapsedAt = episode.ExpiryTime ?? throw new InvalidOperationException("Only an authority with an expiry can lapse.");
        var rule = rights.RuleFor(episode.Provision, episode.StartTime);
        episode.LapsedTime = lapsedAt;
        episode.UpdateTime = Now;
        audit.Record(new AuditEntry(
            "AuthorityLapsed", Name(episode), episode.PatientId, episode.State.ToString(), episode.State.ToString(), "DeadlinePassed",
            $"{rule.DisplayName} passed its end ({LondonTime.Format(lapsedAt)}) with no renewal, change of provision or end recorded."));
        await CancelScheduleAsync(episode, cancellationToken);
        await rights.HoldDutiesForLapseAsync(episode, rule, lapsedAt, cancellationToken);
    }

    public Task<LegalStatusEpisode?> CurrentEpisodeAsync(string patientId, CancellationToken cancellationToken) =>
        preloaded.CurrentEpisodes.TryGet(patientId, out var episode)
            ? Task.FromResult(episode)
            : CurrentEpisodes(db.Episodes.Where(e => e.PatientId == patientId)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Reads what starting or ending an episode of each of <paramref name="patientIds"/> needs (the current episode,
    /// the open duties, and the pending triggers of <paramref name="episodeIds"/>, the episodes about to end) in one
    /// query each, until the next save (see <see cref="PreloadedReads"/>).
    /// </summary>
    public async Task PreloadAsync(IReadOnlyCollection<string> patientIds, IReadOnlyCollection<string> episodeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patientIds);
        ArgumentNullException.ThrowIfNull(episodeIds);
        if (patientIds.Count > 0)
        {
            var current = (await CurrentEpisodes(db.Episodes.Where(e => patientIds.Contains(e.PatientId))).ToListAsync(cancellationToken))
                .ToLookup(e => e.PatientId, StringComparer.Ordinal);
            preloaded.CurrentEpisodes.Set(patientIds, id => current[id].FirstOrDefault());
            await rights.PreloadOpenDutiesAsync(patientIds, cancellationToken);
        }

        if (episodeIds.Count > 0)
        {
            var pending = (await PendingTriggers(db.ScheduledTriggers.Where(t => episodeIds.Contains(t.EpisodeId))).ToListAsync(cancellationToken))
                .ToLookup(t => t.EpisodeId, StringComparer.Ordinal);
            preloaded.PendingTriggers.Set(episodeIds, id => pending[id].ToList());
        }
    }

    /// <summary>The active or recalled episodes among <paramref name="episodes"/>, the latest started first.</summary>
    private static IQueryable<LegalStatusEpisode> CurrentEpisodes(IQueryable<LegalStatusEpisode> episodes) =>
        episodes.Where(e => e.State == EpisodeState.Active || e.State == EpisodeState.Recalled).OrderByDescending(e => e.StartTime);

    private static IQueryable<ScheduledTrigger> PendingTriggers(IQueryable<ScheduledTrigger> triggers) =>
        triggers.Where(t => t.FiredTime == null && !t.Cancelled);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string Name(LegalStatusEpisode e) => ResourceNames.Episode(e.PatientId, e.Id);

    private LegalStatusEpisode NewEpisode(Patient patient, Provision provision, Provision? suspended, string hospital, string? ward, DateTime start, DateTime? periodStart = null)
    {
        var rule = rights.RuleFor(provision, start);
        // One reading of the clock: the id's time part is the record's CreateTime (Common/Ids).
        var now = Now;
        var episode = new LegalStatusEpisode
        {
            Id = Ids.New(now),
            PatientId = patient.Id,
            Provision = provision,
            SuspendedProvision = suspended,
            State = EpisodeState.Active,
            Hospital = hospital,
            Ward = ward,
            StartTime = start,
            PeriodStartTime = periodStart,
            ExpiryTime = _calendar.ComputeExpiry(rule, Instant.FromDateTimeUtc(periodStart ?? start))?.ToDateTimeUtc(),
            CreateTime = now,
            UpdateTime = now,
        };
        db.Episodes.Add(episode);
        return episode;
    }

    private static void Link(LegalStatusEpisode previous, LegalStatusEpisode next)
    {
        previous.NextEpisodeId = next.Id;
        next.PreviousEpisodeId = previous.Id;
    }

    private void EndFields(LegalStatusEpisode episode, DateTime at, EpisodeEndReason reason, string? note)
    {
        episode.EndTime = at;
        if (episode.LapsedTime is { } lapsed && at <= lapsed)
        {
            // Recorded late but made in time: the authority never lapsed.
            episode.LapsedTime = null;
        }

        episode.EndReason = reason;
        episode.EndNote = note;
        episode.UpdateTime = Now;
    }

    private static void UpdatePatientLocation(Patient patient, string hospital, string? ward, DateTime at)
    {
        patient.Hospital = hospital;
        patient.Ward = ward;
        patient.UpdateTime = at > patient.UpdateTime ? at : patient.UpdateTime;
    }

    private Task FireAsync(LegalStatusEpisode episode, EpisodeEvent trigger, CancellationToken cancellationToken, string? cause = null, string? reason = null) =>
        EpisodeWorkflow.For(new TransitionContext<LegalStatusEpisode>(episode, audit, Name(episode), episode.PatientId) { Cause = cause, Reason = reason })
            .FireAsync(trigger, cancellationToken);

    private async Task<LegalStatusEpisode> ParentOfRecallAsync(LegalStatusEpisode recall, CancellationToken cancellationToken)
    {
        if (recall.Provision != Provision.CommunityTreatmentOrderRecall || recall.ParentEpisodeId is null)
        {
            throw new PreconditionFailedException("RECALL_EPISODE_ONLY", "Name the CTO recall episode (the one RecallCommunityPatient returned).");
        }

        return await db.Episodes.SingleAsync(e => e.Id == recall.ParentEpisodeId, cancellationToken);
    }

    private static void ValidateSuspended(string prefix, Provision provision, Provision? suspended)
    {
        var field = string.IsNullOrEmpty(prefix) ? "suspended_provision" : $"{prefix}.suspended_provision";
        if (provision == Provision.CommunityTreatmentOrder)
        {
            if (suspended is not (Provision.Section3 or Provision.Section37))
            {
                throw new ValidationFailedException(field, "a CTO must name the section it suspends: PROVISION_SECTION_3 or PROVISION_SECTION_37");
            }
        }
        else if (suspended is not null)
        {
            throw new ValidationFailedException(field, "is only set for a CTO");
        }
    }

    /// <summary>§3.1 s7(1): guardianship only for a patient who has attained 16 on the day (London calendar).</summary>
    private void RequireMinimumAge(string field, Patient patient, Provision provision, DateTime start)
    {
        var rule = rights.RuleFor(provision, start);
        if (rule.MinimumAgeAtStart is not { } years || patient.DateOfBirth is not { } dob)
        {
            return;
        }

        var day = _calendar.LocalDateOf(Instant.FromDateTimeUtc(start));
        var birth = new LocalDate(dob.Year, dob.Month, dob.Day);
        if (Period.Between(birth, day, PeriodUnits.Years).Years < years)
        {
            throw new ValidationFailedException(field, $"{rule.DisplayName} needs the patient to have attained {years} on the day it starts; the patient (born {birth:yyyy-MM-dd}) is under {years} on {day:yyyy-MM-dd}");
        }
    }

    private static void RequireNotBefore(string field, DateTime value, DateTime start)
    {
        if (value < start)
        {
            throw new ValidationFailedException(field, "must not be before the episode started");
        }
    }

    private DateTime ScheduleHorizon(ProvisionRule rule, LegalStatusEpisode episode) =>
        episode.ExpiryTime ?? _calendar.PlusLocal(Instant.FromDateTimeUtc(episode.StartTime), IndefiniteHorizon).ToDateTimeUtc();

    /// <summary>
    /// Dated re-explanation triggers for the episode's authority period (section-132.md §3.2, §3.3, §8.4): each
    /// tribunal window that opens from <paramref name="after"/> on (the initial explanation covers the first) and
    /// each automatic reference date, up to (not including) the current expiry; a renewal schedules from the old
    /// expiry to the new one.
    /// </summary>
    private void Schedule(Patient patient, LegalStatusEpisode episode, DateTime after)
    {
        var rule = rights.RuleFor(episode.Provision, episode.StartTime);
        var start = Instant.FromDateTimeUtc(episode.PeriodStart);
        var from = Instant.FromDateTimeUtc(after);
        var until = Instant.FromDateTimeUtc(ScheduleHorizon(rule, episode));
        // The first window opens with the episode and is covered by the initial explanation.
        foreach (var window in _calendar.ComputeTribunalWindows(rule, start, until).Where(w => w.Opens >= from && w.Opens > start))
        {
            AddTrigger(patient, episode, DutyTrigger.TribunalWindow, window.Opens.ToDateTimeUtc(), $"Tribunal window opens: {window.Label}");
        }

        if (rule.AutomaticReferences.HasAny)
        {
            var dateOfBirth = patient.DateOfBirth is { } dob ? new LocalDate(dob.Year, dob.Month, dob.Day) : new LocalDate(1900, 1, 1);
            foreach (var reference in _calendar.ComputeAutomaticReferenceDates(rule, start, null, dateOfBirth).Where(d => d >= from && d < until))
            {
                AddTrigger(patient, episode, DutyTrigger.AutomaticReference, reference.ToDateTimeUtc(), "Automatic tribunal reference due (s68)");
            }
        }
    }

    private void AddTrigger(Patient patient, LegalStatusEpisode episode, DutyTrigger trigger, DateTime at, string label)
    {
        db.ScheduledTriggers.Add(new ScheduledTrigger
        {
            Id = Ids.New(Now),
            PatientId = patient.Id,
            EpisodeId = episode.Id,
            Trigger = trigger,
            FireTime = at,
            Label = label,
        });
        audit.Record(new AuditEntry("ScheduleTrigger", Name(episode), patient.Id, Trigger: trigger.ToString(), Reason: label, DetailsJson: $"{{\"fire_time\":\"{at:O}\"}}"));
    }

    private async Task CancelScheduleAsync(LegalStatusEpisode episode, CancellationToken cancellationToken)
    {
        var pending = preloaded.PendingTriggers.TryGet(episode.Id, out var triggers)
            ? triggers
            : await PendingTriggers(db.ScheduledTriggers.Where(t => t.EpisodeId == episode.Id)).ToListAsync(cancellationToken);
        foreach (var trigger in pending)
        {
            trigger.Cancelled = true;
        }
    }
}
