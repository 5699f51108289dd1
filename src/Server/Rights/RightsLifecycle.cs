using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace MhaRights.Server.Rights;

/// <summary>
/// Opens, supersedes and closes statutory duties as legal status changes (section-132.md §8.3), raises
/// re-explanations, and records notices. Runs inside the caller's unit of work; never saves by itself.
/// </summary>
public sealed class RightsLifecycle(MhaRightsDbContext db, AuditLog audit, RightsRuleBook rules, TrustPolicy policy, PreloadedReads preloaded, TimeProvider time)
{
    private readonly LegalCalendar _calendar = LegalCalendar.EnglandAndWales;

    public TrustPolicy Policy => policy;

    public ProvisionRule RuleFor(Provision provision, DateTime at) => rules.RuleFor(provision, Instant.FromDateTimeUtc(at));

    /// <summary>
    /// Applies a legal status change to the patient's duties. <paramref name="ending"/> are the episodes whose
    /// authority ends now; <paramref name="current"/> is the episode in force afterwards (null when none).
    /// Provision-scoped duties of ending episodes are superseded (or closed when nothing follows); hospital and
    /// qualifying-period duties carry over while they still apply; new duties open for <paramref name="current"/>
    /// when <paramref name="openProvisionDuties"/> (false when an existing episode simply resumes, e.g. a CTO after
    /// release from recall).
    /// </summary>
    public async Task ApplyLegalStatusChangeAsync(
        Patient patient,
        IReadOnlyCollection<LegalStatusEpisode> ending,
        LegalStatusEpisode? current,
        DutyTrigger trigger,
        DateTime at,
        bool openProvisionDuties,
        CancellationToken cancellationToken)
    {
        var open = await OpenDutiesAsync(patient.Id, cancellationToken);
        var endingIds = ending.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var currentRule = current is null ? null : RuleFor(current.Provision, current.StartTime);

        // The new provision's explanation duty replaces the ending provision's duties of other kinds too
        // (s132A after CTO revocation is superseded by the new s132(1)).
        RightsDuty? successor = null;
        foreach (var rule in DutyRules.OnLegalStatusChange)
        {
            var applies = currentRule is not null && rule.AppliesTo(currentRule);
            var existing = open.Where(d => d.Kind == rule.Kind).ToList();
            RightsDuty? opened = null;
            switch (rule.Scope)
            {
                case DutyScope.Provision:
                    if (applies && openProvisionDuties)
                    {
                        opened = Open(rule, patient, current!, trigger, at);
                        if (!rule.IsNotice)
                        {
                            successor ??= opened;
                        }
                    }

                    foreach (var duty in existing.Where(d => endingIds.Contains(d.EpisodeId)))
                    {
                        await EndDutyAsync(duty, opened ?? (rule.IsNotice ? null : successor), at, cancellationToken);
                    }

                    break;

                case DutyScope.Hospital:
                    var sameHospital = existing.FirstOrDefault(d => current is not null && d.Hospital == current.Hospital);
                    if (applies && sameHospital is null)
                    {
                        opened = Open(rule, patient, current!, trigger, at);
                    }

                    foreach (var duty in existing.Where(d => !applies || d != sameHospital))
                    {
                        // §1.1 s132(2): the sending hospital's duty keeps its hospital and is closed for the new one.
                        var why = opened is not null && trigger == DutyTrigger.Transfer
                            ? $"The patient was transferred to {current!.Hospital} (s19); the receiving hospital's managers' s132(2) duty replaces this one."
                            : null;
                        await EndDutyAsync(duty, opened, at, cancellationToken, why);
                    }

                    break;

                case DutyScope.QualifyingPeriod:
                    // §1.3 s130D(3)(c): becoming a community patient (a CTO made) is a fresh occasion for the IMHA
                    // information even when the patient was already qualifying (s3 -> CTO), so it restarts the duty.
                    if (applies && (existing.Count == 0 || trigger == DutyTrigger.CtoMade))
                    {
                        opened = Open(rule, patient, current!, trigger, at);
                    }

                    if (!applies || opened is not null)
                    {
                        foreach (var duty in existing)
                        {
                            await EndDutyAsync(duty, opened, at, cancellationToken);
                        }
                    }

                    break;

                case DutyScope.Discharge:
                default:
                    break;
            }
        }

        if (current is null)
        {
            // Nothing is in force any more. An s133 notice still unsent is not closed silently: the discharge came
            // before the nearest relative was told, which is recorded as MISSED (section-132.md §1.4).
            foreach (var duty in open.Where(d => IsStillOpen(d) && d.Kind == DutyKind.Section133DischargeNotice))
            {
                // Due by the discharge at the latest: the compliance report counts it from now, and a late notice
                // sent after the discharge can never count as on time.
                duty.DueTime = duty.DueTime is { } due && due < at ? due : at;
                await ResolveNoticeAsync(duty, NoticeEvent.DischargedBeforeNotice, $"Missed: discharged on {LondonTime.Format(at)} before the s133 notice was sent.", at, cancellationToken);
            }
        }
    }

    /// <summary>
    /// §3.3 s68(7): a revoked CTO obliges the managers to refer the case to the tribunal as soon as possible; opened
    /// on the detention that follows, due <see cref="TrustPolicy.RevocationReferenceTarget"/> after revocation.
    /// </summary>
    public RightsDuty OpenRevocationReference(Patient patient, LegalStatusEpisode detention, DateTime revokedAt)
    {
        var duty = Open(DutyRules.RevocationReference, patient, detention, DutyTrigger.CtoRevoked, revokedAt);
        duty.DueTime = _calendar.PlusLocal(Instant.FromDateTimeUtc(revokedAt), policy.RevocationReferenceTarget).ToDateTimeUtc();
        return duty;
    }

    /// <summary>
    /// The authority of <paramref name="episode"/> lapsed at <paramref name="lapsedAt"/> with nothing recorded. Its
    /// open explanation duties stop demanding explanation as if the patient were lawfully held: each is flagged
    /// (<see cref="RightsDuty.AuthorityLapsedTime"/>) and audited with the reason, which takes it off the due,
    /// overdue, re-attempt and reminder worklists and out of the sweeper's overdue and reminder steps. The state is
    /// kept, so an explanation given while the authority ran can still be recorded, and the office's later
    /// ChangeProvision or EndEpisode supersedes or closes the duties as usual. Notices (NR copies, s133, s68(7)) are
    /// untouched: they concern what was owed before the lapse. For a CTO recall only the recall's duties are flagged.
    /// </summary>
    public async Task<int> HoldDutiesForLapseAsync(LegalStatusEpisode episode, ProvisionRule rule, DateTime lapsedAt, CancellationToken cancellationToken)
    {
        var note = $"Authority lapsed: {rule.DisplayName} ended {LondonTime.Format(lapsedAt)} with no renewal, change of provision or "
            + "discharge recorded, so this duty no longer asks for an explanation as if the patient were lawfully held. "
            + "Record the true legal position on the episode.";
        var held = 0;
        foreach (var duty in (await OpenDutiesAsync(episode.PatientId, cancellationToken)).Where(IsStillOpen))
        {
            var scoped = episode.Provision != Provision.CommunityTreatmentOrderRecall || duty.EpisodeId == episode.Id;
            if (scoped && !DutyRules.IsNotice(duty.Kind) && duty.AuthorityLapsedTime is null)
            {
                duty.AuthorityLapsedTime = lapsedAt;
                duty.UpdateTime = lapsedAt;
                audit.Record(new AuditEntry("AuthorityLapsed", ResourceNames.Duty(duty.PatientId, duty.Id), duty.PatientId, duty.State.ToString(), duty.State.ToString(), "AuthorityLapsed", note));
                held++;
            }
        }

        return held;
    }

    /// <summary>A renewal recorded late but made in time: the authority never lapsed, so its duties ask for work again.</summary>
    public async Task ReleaseLapseHoldAsync(LegalStatusEpisode episode, CancellationToken cancellationToken)
    {
        foreach (var duty in (await OpenDutiesAsync(episode.PatientId, cancellationToken)).Where(d => d.AuthorityLapsedTime is not null))
        {
            duty.AuthorityLapsedTime = null;
            audit.Record(new AuditEntry("AuthorityLapseWithdrawn", ResourceNames.Duty(duty.PatientId, duty.Id), duty.PatientId, duty.State.ToString(), duty.State.ToString(), "Renewal", "The renewal was made before the authority expired."));
        }
    }

    /// <summary>Moves open duties to the patient's new hospital/ward so worklists follow the patient.</summary>
    public async Task RelocateOpenDutiesAsync(string patientId, string hospital, string? ward, CancellationToken cancellationToken)
    {
        // Re-checked in memory: a duty closed earlier in this unit of work is still open in the database.
        foreach (var duty in (await OpenDutiesAsync(patientId, cancellationToken)).Where(IsStillOpen))
        {
            duty.Hospital = hospital;
            duty.Ward = ward;
        }
    }

    /// <summary>
    /// Raises a re-explanation (renewal, tribunal window, Part 4, patient request, periodic...): an understood
    /// s132(1)/s132A duty becomes REMINDER_DUE with a fresh deadline; a duty still awaiting explanation keeps its
    /// state and records the trigger.
    /// </summary>
    public async Task<IReadOnlyList<RightsDuty>> RaiseReexplanationAsync(
        string patientId, DutyTrigger trigger, DateTime at, string? note, CancellationToken cancellationToken)
    {
        var affected = new List<RightsDuty>();
        foreach (var duty in await OpenDutiesAsync(patientId, cancellationToken))
        {
            var rule = DutyRules.For(duty.Kind);
            if (rule.IsNotice || !rule.HasPeriodicReminder)
            {
                continue;
            }

            duty.LastTrigger = trigger;
            duty.UpdateTime = at;
            var context = Context(duty, reason: note, cause: trigger.ToString());
            if (duty.State == DutyState.Understood)
            {
                duty.DueTime = at + policy.SlaFor(duty.Provision).ToTimeSpan();
                duty.NextReminderTime = null;
                await DutyWorkflow.For(context).FireAsync(DutyEvent.ReexplanationRaised, cancellationToken);
            }
            else
            {
                audit.Record(new AuditEntry("ReexplanationRaised", context.Resource, duty.PatientId, duty.State.ToString(), duty.State.ToString(), trigger.ToString(), note));
            }

            affected.Add(duty);
        }

        return affected;
    }

    /// <summary>Opens (or supersedes) the s133 discharge notice for a planned discharge.</summary>
    public async Task<RightsDuty> PlanDischargeNoticeAsync(
        Patient patient, LegalStatusEpisode episode, DateTime plannedDischarge, bool orderedByNearestRelative, bool optedOut, DateTime now, CancellationToken cancellationToken)
    {
        var previous = (await OpenDutiesAsync(patient.Id, cancellationToken)).Where(d => d.Kind == DutyKind.Section133DischargeNotice).ToList();
        var duty = Open(DutyRules.DischargeNotice, patient, episode, DutyTrigger.DischargePlanned, now);
        duty.DueTime = _calendar.PlusLocal(Instant.FromDateTimeUtc(plannedDischarge), Period.Zero - policy.DischargeNoticeLead).ToDateTimeUtc();
        foreach (var old in previous)
        {
            await EndDutyAsync(old, duty, now, cancellationToken);
        }

        // s133(1): not needed when the nearest relative ordered the discharge; s133(2): not if either asked not to be told.
        string? notRequired = orderedByNearestRelative ? "Discharge ordered by the nearest relative (s133(1))."
            : optedOut ? "The patient or nearest relative asked not to be told (s133(2))."
            : patient.NearestRelativeStatus == NearestRelativeStatus.NoneIdentified ? NoticeWorkflow.NoNearestRelativeNote
            : null;
        if (notRequired is not null)
        {
            await ResolveNoticeAsync(duty, NoticeEvent.NoticeNotRequired, notRequired, now, cancellationToken);
        }

        return duty;
    }

    /// <summary>A nearest-relative copy or s133 notice was sent.</summary>
    public Task MarkNoticeSentAsync(RightsDuty duty, DateTime sentTime, string method, string recipient, CancellationToken cancellationToken)
    {
        RequireNotice(duty);
        return ResolveNoticeAsync(duty, NoticeEvent.NoticeSent, $"Sent by {method} to {recipient}.", sentTime, cancellationToken);
    }

    /// <summary>A notice is not required; the reason is kept on the duty and in the audit trail.</summary>
    public Task MarkNoticeNotRequiredAsync(RightsDuty duty, string note, DateTime at, CancellationToken cancellationToken)
    {
        RequireNotice(duty);
        return ResolveNoticeAsync(duty, NoticeEvent.NoticeNotRequired, note, at, cancellationToken);
    }

    /// <summary>MHA office: the duty does not apply (e.g. s136 in a police station, §1.5).</summary>
    public async Task MarkNotApplicableAsync(RightsDuty duty, string reason, DateTime at, CancellationToken cancellationToken)
    {
        duty.ResolvedTime = at;
        duty.ResolutionNote = reason;
        duty.UpdateTime = at;
        var context = Context(duty, reason: reason);
        if (DutyRules.IsNotice(duty.Kind))
        {
            await NoticeWorkflow.For(context).FireAsync(NoticeEvent.MarkNotApplicable, cancellationToken);
        }
        else
        {
            await DutyWorkflow.For(context).FireAsync(DutyEvent.MarkNotApplicable, cancellationToken);
        }
    }

    /// <summary>
    /// The patient's wishes or nearest-relative status changed: copies become not required (patient objects, no
    /// nearest relative) or due again (a nearest relative is now identified).
    /// </summary>
    public async Task ApplyNearestRelativeChangeAsync(Patient patient, DateTime at, CancellationToken cancellationToken)
    {
        var notices = await db.Duties
            .Where(d => d.PatientId == patient.Id
                && (d.Kind == DutyKind.NearestRelativeCopy132 || d.Kind == DutyKind.NearestRelativeCopy130D)
                && (d.State == DutyState.Due || d.State == DutyState.Overdue || d.State == DutyState.NotRequired))
            .ToListAsync(cancellationToken);
        foreach (var duty in notices)
        {
            if (patient.NearestRelativeStatus == NearestRelativeStatus.NoneIdentified && NoticeWorkflow.IsOpen(duty.State))
            {
                await ResolveNoticeAsync(duty, NoticeEvent.NoticeNotRequired, NoticeWorkflow.NoNearestRelativeNote, at, cancellationToken);
            }
            else if (patient.NearestRelativeStatus == NearestRelativeStatus.Identified && !patient.ObjectsToNearestRelativeCopy
                && duty.State == DutyState.NotRequired && NoticeWorkflow.IsNoNearestRelative(duty.ResolutionNote))
            {
                await RequireCopyAgainAsync(duty, "Nearest relative identified.", at, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A nearest-relative copy that was not required (no nearest relative, or the patient objected) becomes due
    /// again from <paramref name="at"/>, with the policy's target.
    /// </summary>
    public async Task RequireCopyAgainAsync(RightsDuty duty, string reason, DateTime at, CancellationToken cancellationToken)
    {
        duty.DueTime = _calendar.PlusLocal(Instant.FromDateTimeUtc(at), policy.NearestRelativeCopyTarget).ToDateTimeUtc();
        duty.ResolvedTime = null;
        duty.UpdateTime = at;
        // The guard reads the note, so clear it only after the transition.
        await NoticeWorkflow.For(Context(duty, reason: reason)).FireAsync(NoticeEvent.NoticeRequiredAgain, cancellationToken);
        duty.ResolutionNote = null;
    }

    /// <summary>The patient objected to the nearest relative receiving copies (s132(4) "except where the patient otherwise requests").</summary>
    public async Task ApplyPatientObjectionAsync(string patientId, string note, DateTime at, CancellationToken cancellationToken)
    {
        var notices = (await OpenDutiesAsync(patientId, cancellationToken))
            .Where(d => d.Kind is DutyKind.NearestRelativeCopy132 or DutyKind.NearestRelativeCopy130D && NoticeWorkflow.IsOpen(d.State));
        foreach (var duty in notices)
        {
            await ResolveNoticeAsync(duty, NoticeEvent.NoticeNotRequired, note, at, cancellationToken);
        }
    }

    public Task<List<RightsDuty>> OpenDutiesAsync(string patientId, CancellationToken cancellationToken) =>
        preloaded.OpenDuties.TryGet(patientId, out var duties)
            ? Task.FromResult<List<RightsDuty>>([.. duties])
            : OpenDuties(db.Duties.Where(d => d.PatientId == patientId)).ToListAsync(cancellationToken);

    /// <summary>Reads the open duties of <paramref name="patientIds"/> in one query, for <see cref="OpenDutiesAsync"/> until the next save.</summary>
    public async Task PreloadOpenDutiesAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken)
    {
        var byPatient = (await OpenDuties(db.Duties.Where(d => patientIds.Contains(d.PatientId))).ToListAsync(cancellationToken))
            .ToLookup(d => d.PatientId, StringComparer.Ordinal);
        preloaded.OpenDuties.Set(patientIds, id => byPatient[id].ToList());
    }

    internal TransitionContext<RightsDuty> Context(RightsDuty duty, string? reason = null, string? cause = null) =>
        new(duty, audit, ResourceNames.Duty(duty.PatientId, duty.Id), duty.PatientId) { Reason = reason, Cause = cause };

    private RightsDuty Open(DutyRule rule, Patient patient, LegalStatusEpisode episode, DutyTrigger trigger, DateTime at)
    {
        var duty = new RightsDuty
        {
            // The id from the service's clock, not the duty's open time (an import opens duties years back): Common/Ids.
            Id = Ids.New(time.GetUtcNow().UtcDateTime),
            PatientId = patient.Id,
            EpisodeId = episode.Id,
            Kind = rule.Kind,
            State = DutyState.Due,
            Trigger = trigger,
            LastTrigger = trigger,
            Provision = episode.Provision,
            Hospital = episode.Hospital,
            Ward = episode.Ward,
            OpenTime = at,
            UpdateTime = at,
        };
        duty.DueTime = rule.IsNotice
            ? _calendar.PlusLocal(Instant.FromDateTimeUtc(at), policy.NearestRelativeCopyTarget).ToDateTimeUtc()
            : at + policy.SlaFor(episode.Provision).ToTimeSpan();
        db.Duties.Add(duty);
        audit.Record(new AuditEntry("OpenDuty", ResourceNames.Duty(patient.Id, duty.Id), patient.Id, null, nameof(DutyState.Due), trigger.ToString(), rule.Citation));

        if (rule.IsNotice && rule.Kind != DutyKind.Section133DischargeNotice && patient.NearestRelativeStatus == NearestRelativeStatus.NoneIdentified)
        {
            // Opened and resolved at once, so the record shows why no copy was sent.
            duty.State = DutyState.NotRequired;
            duty.ResolvedTime = at;
            duty.ResolutionNote = NoticeWorkflow.NoNearestRelativeNote;
            audit.Record(new AuditEntry(nameof(NoticeEvent.NoticeNotRequired), ResourceNames.Duty(patient.Id, duty.Id), patient.Id, nameof(DutyState.Due), nameof(DutyState.NotRequired), nameof(NoticeEvent.NoticeNotRequired), duty.ResolutionNote));
        }

        return duty;
    }

    private async Task EndDutyAsync(RightsDuty duty, RightsDuty? replacement, DateTime at, CancellationToken cancellationToken, string? why = null)
    {
        if (!IsStillOpen(duty))
        {
            return;
        }

        duty.ResolvedTime = at;
        duty.UpdateTime = at;
        duty.SupersededById = replacement?.Id;
        var reason = why ?? (replacement is null ? "The legal authority ended." : "Replaced by a duty for the new legal position.");
        duty.ResolutionNote = reason;
        var context = Context(duty, reason: reason);
        if (DutyRules.IsNotice(duty.Kind))
        {
            await NoticeWorkflow.For(context).FireAsync(replacement is null ? NoticeEvent.Close : NoticeEvent.Supersede, cancellationToken);
        }
        else
        {
            await DutyWorkflow.For(context).FireAsync(replacement is null ? DutyEvent.Close : DutyEvent.Supersede, cancellationToken);
        }
    }

    private async Task ResolveNoticeAsync(RightsDuty duty, NoticeEvent trigger, string note, DateTime at, CancellationToken cancellationToken)
    {
        duty.ResolvedTime = at;
        duty.ResolutionNote = note;
        duty.UpdateTime = at;
        await NoticeWorkflow.For(Context(duty, reason: note)).FireAsync(trigger, cancellationToken);
    }

    /// <summary>
    /// The open duties among <paramref name="duties"/>, oldest first. Duties opened together are ordered by kind
    /// (then id), not as the rows happen to be stored, so whatever the reads or the saves, a change applied to several
    /// of them (an objection closing both copies) is audited in the same order.
    /// </summary>
    private static IQueryable<RightsDuty> OpenDuties(IQueryable<RightsDuty> duties) =>
        duties.Where(d => DutyWorkflow.OpenStates.Contains(d.State)).OrderBy(d => d.OpenTime).ThenBy(d => d.Kind).ThenBy(d => d.Id);

    private static bool IsStillOpen(RightsDuty duty) => DutyWorkflow.OpenStates.Contains(duty.State);

    private static void RequireNotice(RightsDuty duty)
    {
        if (!DutyRules.IsNotice(duty.Kind))
        {
            throw new PreconditionFailedException("NOTICE_DUTY_ONLY", $"{duty.Kind} is an explanation duty; record an explanation attempt instead.");
        }
    }
}
