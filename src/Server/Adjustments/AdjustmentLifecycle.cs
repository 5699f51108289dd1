using System.Text.Json;
using MhaRights.Server.Api;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Adjustments;

/// <summary>A validated item: codes already checked against the code tables and normalised to numeric form.</summary>
public sealed record AdjustmentItemInput(
    AdjustmentItemKind Kind,
    string? CategoryCode,
    string? SnomedCode,
    string Display,
    string? BespokeText,
    string? ImpairmentCode,
    string? OtherText,
    string? ConditionCategoryCode,
    string? FreeText,
    string CodeTableVersion);

/// <summary>A validated removal: national reason, mandatory comment and, for BestInterest, the decision.</summary>
public sealed record AdjustmentRemovalInput(string ReasonCode, string Comment, string? DecisionMaker, string? Summary);

/// <summary>A validated sharing decision.</summary>
public sealed record SharingDecisionInput(
    SharingDecision Decision,
    string? ConsentProxyRoleCode,
    string? RepresentativeName,
    string? RepresentativeRelationship,
    string? DecisionMaker,
    string? Summary);

/// <summary>
/// The reasonable-adjustment record and its items (domain notes §7): every change goes through the workflows, so each
/// state change is checked and audited. Runs inside the caller's unit of work; never saves by itself.
/// </summary>
public sealed class AdjustmentLifecycle(MhaRightsDbContext db, AuditLog audit, ICallerContext caller, AdjustmentPolicy policy, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public AdjustmentPolicy Policy => policy;

    public async Task<AdjustmentRecord?> FindRecordAsync(string patientId, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Set<AdjustmentRecord>() : db.Set<AdjustmentRecord>().AsNoTracking();
        return await query.FirstOrDefaultAsync(r => r.PatientId == patientId, cancellationToken);
    }

    public async Task<AdjustmentRecord> GetRecordAsync(string patientId, bool tracked, CancellationToken cancellationToken) =>
        await FindRecordAsync(patientId, tracked, cancellationToken)
            ?? throw new ResourceNotFoundException(AdjustmentNames.Record(patientId));

    public async Task<AdjustmentItem> GetItemAsync(string patientId, string itemId, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Set<AdjustmentItem>() : db.Set<AdjustmentItem>().AsNoTracking();
        return await query.FirstOrDefaultAsync(i => i.PatientId == patientId && i.Id == itemId, cancellationToken)
            ?? throw new ResourceNotFoundException(AdjustmentNames.Item(patientId, itemId));
    }

    public Task<int> CountActiveItemsAsync(string recordId, CancellationToken cancellationToken) =>
        db.Set<AdjustmentItem>().CountAsync(i => i.RecordId == recordId && i.State == AdjustmentItemState.Active, cancellationToken);

    /// <summary>NONE → IDENTIFIED (a new record) or REMOVED / ENTERED_IN_ERROR → IDENTIFIED (reopened).</summary>
    public async Task<AdjustmentRecord> IdentifyAsync(
        string patientId, AdjustmentRecord? existing, AdjustmentIdentificationSource source, string? note, CancellationToken cancellationToken)
    {
        var now = Now;
        var record = existing ?? new AdjustmentRecord { Id = Ids.New(now), PatientId = patientId, CreateTime = now };
        if (existing is null)
        {
            db.Set<AdjustmentRecord>().Add(record);
        }
        else if (AdjustmentRules.IsOpen(existing.State))
        {
            throw new ResourceAlreadyExistsException("parent", $"{AdjustmentNames.Record(patientId)} already exists in state {existing.State}.");
        }

        record.IdentificationSource = source;
        record.IdentificationNote = note;
        record.Identified = Stamp(now);
        Touch(record, now);
        var previous = existing is null ? null : new { existing.Removal.ReasonCode, existing.Removal.Comment };
        await AdjustmentRecordWorkflow.For(Context(record, note, details: new { source = source.ToString(), reopenedFrom = previous }))
            .FireAsync(AdjustmentRecordEvent.Identify, cancellationToken);

        // A reopened record starts over: the threshold must be confirmed again and the old removal no longer applies
        // (the audit log keeps both).
        record.Removal = new AdjustmentRemoval();
        record.ThresholdConfirmed = new AdjustmentActor();
        record.ThresholdConfirmedByNhsUser = new AdjustmentNhsUser();
        record.ReviewDueTime = null;
        return record;
    }

    /// <summary>IDENTIFIED → ACTIVE: the clinician confirms the Equality Act threshold (§1.3, §7.2).</summary>
    public async Task ActivateAsync(
        AdjustmentRecord record, SharingDecisionInput? decision, DateTime? reviewDue, AdjustmentNhsUser? nhsUser, CancellationToken cancellationToken)
    {
        var now = Now;
        if (record.State != AdjustmentRecordState.Identified)
        {
            // Leave the entity untouched so the refusal reports the real state and guards.
            await AdjustmentRecordWorkflow.For(Context(record)).FireAsync(AdjustmentRecordEvent.Activate, cancellationToken);
        }

        record.ThresholdConfirmed = Stamp(now);
        record.ThresholdConfirmedByNhsUser = nhsUser ?? new AdjustmentNhsUser();
        record.ReviewDueTime = reviewDue ?? policy.NextReview(now);
        Touch(record, now);
        if (decision is not null)
        {
            ApplyDecision(record, decision, now);
            Audit("RecordSharingDecision", record, decision);
        }

        var context = Context(record, details: new { reviewDue = record.ReviewDueTime });
        await AdjustmentRecordWorkflow.For(context).FireAsync(AdjustmentRecordEvent.Activate, cancellationToken);
        await AdjustmentReviewWorkflow.For(context).FireAsync(AdjustmentReviewEvent.Schedule, cancellationToken);
        await SyncSharingAsync(record, cancellationToken);
    }

    /// <summary>
    /// Ends the record (§7.1): REMOVED for a national reason, ENTERED_IN_ERROR for "Error". Active items end with it;
    /// a national copy is queued for deletion and the review closes.
    /// </summary>
    public async Task EndRecordAsync(AdjustmentRecord record, AdjustmentRemovalInput removal, string cause, CancellationToken cancellationToken)
    {
        var now = Now;
        record.Removal = Removal(removal, now);
        Touch(record, now);
        var trigger = removal.ReasonCode == AdjustmentRules.ErrorReason ? AdjustmentRecordEvent.MarkEnteredInError : AdjustmentRecordEvent.Remove;
        var context = Context(record, removal.Comment, cause, new { reason = removal.ReasonCode });
        await AdjustmentRecordWorkflow.For(context).FireAsync(trigger, cancellationToken);

        var items = await db.Set<AdjustmentItem>()
            .Where(i => i.RecordId == record.Id && i.State == AdjustmentItemState.Active)
            .ToListAsync(cancellationToken);
        foreach (var item in items)
        {
            item.Removal = Removal(removal, now);
            item.UpdateTime = now;
            var itemTrigger = trigger == AdjustmentRecordEvent.MarkEnteredInError ? AdjustmentItemEvent.MarkEnteredInError : AdjustmentItemEvent.Remove;
            await AdjustmentItemWorkflow.For(ItemContext(item, removal.Comment, cause)).FireAsync(itemTrigger, cancellationToken);
        }

        await AdjustmentReviewWorkflow.For(context).FireAsync(AdjustmentReviewEvent.Close, cancellationToken);
        await SyncSharingAsync(record, cancellationToken);
    }

    /// <summary>
    /// Adds an item to an open record (§7.2 "ACTIVE → ACTIVE (add item)"). <paramref name="field"/> names the request
    /// field the item came from; <paramref name="replacing"/> is the item a replacement supersedes.
    /// </summary>
    public async Task<AdjustmentItem> CreateItemAsync(
        AdjustmentRecord record, AdjustmentItemInput input, string? itemId, AdjustmentNhsUser? nhsUser, string cause, CancellationToken cancellationToken,
        string field = "adjustment_item", string? replacing = null)
    {
        var now = Now;
        var id = itemId ?? Ids.New(now);
        if (itemId is not null && await db.Set<AdjustmentItem>().AnyAsync(i => i.PatientId == record.PatientId && i.Id == itemId, cancellationToken))
        {
            throw new ResourceAlreadyExistsException("adjustment_item_id", $"{AdjustmentNames.Item(record.PatientId, itemId)} already exists.");
        }

        await RefuseDuplicateActiveItemAsync(record, input, nhsUser, field, replacing, cancellationToken);

        Touch(record, now);
        await AdjustmentRecordWorkflow.For(Context(record, cause: cause, details: new { item = id, kind = input.Kind.ToString() }))
            .FireAsync(AdjustmentRecordEvent.ChangeItems, cancellationToken);
        var item = new AdjustmentItem
        {
            Id = id,
            PatientId = record.PatientId,
            RecordId = record.Id,
            Kind = input.Kind,
            State = AdjustmentItemState.Active,
            CategoryCode = input.CategoryCode,
            SnomedCode = input.SnomedCode,
            Display = input.Display,
            BespokeText = input.BespokeText,
            ImpairmentCode = input.ImpairmentCode,
            OtherText = input.OtherText,
            ConditionCategoryCode = input.ConditionCategoryCode,
            FreeText = input.FreeText,
            CodeTableVersion = input.CodeTableVersion,
            Recorded = Stamp(now),
            RecordedByNhsUser = nhsUser ?? new AdjustmentNhsUser(),
            CreateTime = now,
            UpdateTime = now,
        };
        db.Set<AdjustmentItem>().Add(item);
        audit.Record(new AuditEntry(
            cause,
            AdjustmentNames.Item(record.PatientId, id),
            record.PatientId,
            ToState: item.State.ToString(),
            DetailsJson: JsonSerializer.Serialize(new { kind = item.Kind.ToString(), item.CategoryCode, item.SnomedCode, item.ImpairmentCode, item.CodeTableVersion })));
        await SyncSharingAsync(record, cancellationToken);
        return item;
    }

    /// <summary>
    /// Duplicate adjustments are allowed nationally so that <em>different organisations</em> can each add the same one
    /// with their own comments (RAU005, §3.2). The same organisation adding an item that is already active on the
    /// record is a duplicate entry: refused, so worklists and the national flag do not show it twice.
    /// </summary>
    private async Task RefuseDuplicateActiveItemAsync(
        AdjustmentRecord record, AdjustmentItemInput input, AdjustmentNhsUser? nhsUser, string field, string? replacing, CancellationToken cancellationToken)
    {
        var organisation = nhsUser?.OdsOrganizationCode;
        var candidates = await db.Set<AdjustmentItem>()
            .Where(i => i.RecordId == record.Id && i.Kind == input.Kind && i.CategoryCode == input.CategoryCode && i.SnomedCode == input.SnomedCode && i.ImpairmentCode == input.ImpairmentCode)
            .ToListAsync(cancellationToken);

        // Tracked items carry this unit of work's changes (an item ended earlier in the same request no longer counts).
        var duplicate = candidates.FirstOrDefault(i =>
            i.State == AdjustmentItemState.Active
            && i.Id != replacing
            && i.RecordedByNhsUser.OdsOrganizationCode == organisation
            && string.Equals(i.BespokeText, input.BespokeText, StringComparison.OrdinalIgnoreCase)
            && string.Equals(i.OtherText, input.OtherText, StringComparison.OrdinalIgnoreCase));
        if (duplicate is not null)
        {
            var codeField = input.Kind switch
            {
                AdjustmentItemKind.Impairment => "impairment.impairment_code",
                AdjustmentItemKind.UnderlyingCondition => "underlying_condition.snomed_code",
                _ => "adjustment.snomed_code",
            };
            throw new ValidationFailedException(
                $"{field}.{codeField}",
                $"is already active on this record as {AdjustmentNames.Item(record.PatientId, duplicate.Id)}: amend that item instead of adding it again "
                + "(another organisation may add the same adjustment with its own ODS code)");
        }
    }

    /// <summary>Removes one item (§7.1): REMOVED for a national reason, ENTERED_IN_ERROR for "Error".</summary>
    public async Task EndItemAsync(AdjustmentRecord record, AdjustmentItem item, AdjustmentRemovalInput removal, string cause, CancellationToken cancellationToken)
    {
        var now = Now;
        item.Removal = Removal(removal, now);
        item.UpdateTime = now;
        var trigger = removal.ReasonCode == AdjustmentRules.ErrorReason ? AdjustmentItemEvent.MarkEnteredInError : AdjustmentItemEvent.Remove;

        // Correcting a removed item to "entered in error" is history, allowed whatever the record's state; any other
        // change needs an open record.
        if (item.State == AdjustmentItemState.Active)
        {
            Touch(record, now);
            await AdjustmentRecordWorkflow.For(Context(record, removal.Comment, cause, new { item = item.Id }))
                .FireAsync(AdjustmentRecordEvent.ChangeItems, cancellationToken);
        }

        await AdjustmentItemWorkflow.For(ItemContext(item, removal.Comment, cause, new { reason = removal.ReasonCode })).FireAsync(trigger, cancellationToken);
        await SyncSharingAsync(record, cancellationToken);
    }

    /// <summary>
    /// Edits an item the national way (§3.3, §7.1): the old item ends (superseded, or entered in error) and a new item
    /// names it in supersedes. Both in one unit of work.
    /// </summary>
    public async Task<AdjustmentItem> ReplaceItemAsync(
        AdjustmentRecord record, AdjustmentItem old, AdjustmentItemInput replacement, AdjustmentRemovalInput removal, AdjustmentNhsUser? nhsUser, CancellationToken cancellationToken)
    {
        const string Cause = "ReplaceAdjustmentItem";
        if (old.State != AdjustmentItemState.Active)
        {
            // Report the item's own state before anything else changes.
            await AdjustmentItemWorkflow.For(ItemContext(old)).FireAsync(AdjustmentItemEvent.Supersede, cancellationToken);
        }

        var created = await CreateItemAsync(record, replacement, null, nhsUser, Cause, cancellationToken, field: "replacement", replacing: old.Id);
        created.SupersedesId = old.Id;
        var now = Now;
        old.Removal = Removal(removal, now);
        old.SupersededById = created.Id;
        old.UpdateTime = now;
        var trigger = removal.ReasonCode == AdjustmentRules.ErrorReason ? AdjustmentItemEvent.MarkEnteredInError : AdjustmentItemEvent.Supersede;
        await AdjustmentItemWorkflow.For(ItemContext(old, removal.Comment, Cause, new { reason = removal.ReasonCode, supersededBy = created.Id }))
            .FireAsync(trigger, cancellationToken);
        return created;
    }

    /// <summary>Records the sharing decision (§3.1, §7.3) and moves national sharing accordingly (§7.2).</summary>
    public async Task RecordSharingDecisionAsync(AdjustmentRecord record, SharingDecisionInput decision, CancellationToken cancellationToken)
    {
        var now = Now;
        if (AdjustmentRules.IsOpen(record.State))
        {
            ApplyDecision(record, decision, now);
            Touch(record, now);
        }

        await AdjustmentRecordWorkflow.For(Context(record, details: DecisionDetails(decision))).FireAsync(AdjustmentRecordEvent.RecordSharingDecision, cancellationToken);
        await SyncSharingAsync(record, cancellationToken);
    }

    /// <summary>Records a review (DAPB1605 step 6, §3.5) and schedules the next one.</summary>
    public async Task MarkReviewedAsync(AdjustmentRecord record, DateTime? nextReview, string? note, CancellationToken cancellationToken)
    {
        var now = Now;
        var context = Context(record, note, details: new { nextReview });
        await AdjustmentRecordWorkflow.For(context).FireAsync(AdjustmentRecordEvent.MarkReviewed, cancellationToken);
        record.LastReviewed = Stamp(now);
        record.ReviewDueTime = nextReview ?? policy.NextReview(now);
        Touch(record, now);
        await AdjustmentReviewWorkflow.For(context).FireAsync(AdjustmentReviewEvent.MarkReviewed, cancellationToken);
    }

    /// <summary>§7.2 "any → REVIEW_DUE: review interval elapsed (scheduler)": ACTIVE records whose review date passed.</summary>
    public async Task<int> MarkReviewsDueAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = Now;
        var due = await db.Set<AdjustmentRecord>()
            .Where(r => r.State == AdjustmentRecordState.Active && r.ReviewState == AdjustmentReviewState.Reviewed && r.ReviewDueTime <= now)
            .OrderBy(r => r.ReviewDueTime)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        foreach (var record in due)
        {
            Touch(record, now);
            await AdjustmentReviewWorkflow.For(Context(record)).FireAsync(AdjustmentReviewEvent.ReviewFallsDue, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>
    /// For the national sync job (§7.5 step 7): the result of the last Patient Flags call. A success records the
    /// national id; a failure keeps the OperationOutcome.
    /// </summary>
    public async Task RecordNationalResultAsync(
        AdjustmentRecord record, string requestId, bool succeeded, string? nationalFlagId, string? outcomeCode, string? diagnostics, CancellationToken cancellationToken)
    {
        var now = Now;
        record.NationalSync.LastAttemptTime = now;
        record.NationalSync.LastRequestId = requestId;
        record.NationalSync.LastOutcomeCode = succeeded ? null : outcomeCode;
        record.NationalSync.LastOutcomeDiagnostics = succeeded ? null : diagnostics;
        if (succeeded)
        {
            record.NationalSync.LastSuccessTime = now;
            record.NationalSync.NationalFlagId = record.State == AdjustmentRecordState.Active ? nationalFlagId : null;
        }

        Touch(record, now);
        await AdjustmentSharingWorkflow.For(Context(record, diagnostics))
            .FireAsync(succeeded ? AdjustmentSharingEvent.NationalSucceeded : AdjustmentSharingEvent.NationalFailed, cancellationToken);
    }

    /// <summary>For the national sync job: a read found the national copy different from the local record (§7.5 step 2).</summary>
    public Task MarkNationalDiffersAsync(AdjustmentRecord record, string reason, CancellationToken cancellationToken)
    {
        Touch(record, Now);
        return AdjustmentSharingWorkflow.For(Context(record, reason)).FireAsync(AdjustmentSharingEvent.NationalDiffers, cancellationToken);
    }

    public TransitionContext<AdjustmentRecord> Context(AdjustmentRecord record, string? reason = null, string? cause = null, object? details = null) =>
        new(record, audit, AdjustmentNames.Record(record.PatientId), record.PatientId)
        {
            Reason = reason,
            Cause = cause,
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details),
        };

    public TransitionContext<AdjustmentItem> ItemContext(AdjustmentItem item, string? reason = null, string? cause = null, object? details = null) =>
        new(item, audit, AdjustmentNames.Item(item.PatientId, item.Id), item.PatientId)
        {
            Reason = reason,
            Cause = cause,
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details),
        };

    /// <summary>
    /// Moves national sharing after a local change (§7.2), as data: an ended record deletes a national copy, a
    /// declined decision withholds, an ACTIVE record with a decision that allows sharing is (re)queued.
    /// </summary>
    private async Task SyncSharingAsync(AdjustmentRecord record, CancellationToken cancellationToken)
    {
        AdjustmentSharingEvent? trigger =
            !AdjustmentRules.IsOpen(record.State) ? AdjustmentSharingEvent.Unshare
            : record.SharingDecision.Decision == SharingDecision.Declined ? AdjustmentSharingEvent.Withhold
            : record.State == AdjustmentRecordState.Active && AdjustmentRules.DecisionAllowsSharing[record.SharingDecision.Decision] ? AdjustmentSharingEvent.Queue
            : null;
        var machine = AdjustmentSharingWorkflow.For(Context(record));
        if (trigger is { } t && machine.CanFire(t))
        {
            await machine.FireAsync(t, cancellationToken);
        }
    }

    private void ApplyDecision(AdjustmentRecord record, SharingDecisionInput decision, DateTime now) =>
        record.SharingDecision = new AdjustmentSharingDecision
        {
            Decision = decision.Decision,
            ConsentProxyRoleCode = decision.ConsentProxyRoleCode,
            RepresentativeName = decision.RepresentativeName,
            RepresentativeRelationship = decision.RepresentativeRelationship,
            BestInterest = new AdjustmentBestInterest { DecisionMaker = decision.DecisionMaker, Summary = decision.Summary },
            Recorded = Stamp(now),
        };

    private void Audit(string action, AdjustmentRecord record, SharingDecisionInput decision) =>
        audit.Record(new AuditEntry(action, AdjustmentNames.Record(record.PatientId), record.PatientId,
            record.State.ToString(), record.State.ToString(), DetailsJson: JsonSerializer.Serialize(DecisionDetails(decision))));

    private static object DecisionDetails(SharingDecisionInput d) =>
        new { decision = d.Decision.ToString(), d.ConsentProxyRoleCode, hasRepresentative = d.RepresentativeName is not null, bestInterest = d.DecisionMaker is not null };

    private AdjustmentRemoval Removal(AdjustmentRemovalInput removal, DateTime now) => new()
    {
        ReasonCode = removal.ReasonCode,
        Comment = removal.Comment,
        BestInterest = new AdjustmentBestInterest { DecisionMaker = removal.DecisionMaker, Summary = removal.Summary },
        By = Stamp(now),
    };

    /// <summary>
    /// Marks the record changed even when only its items changed, so its version (etag) and update_time move with
    /// every change to the flag (proto: update_time includes items being added or removed).
    /// </summary>
    private void Touch(AdjustmentRecord record, DateTime now)
    {
        record.UpdateTime = now;
        var entry = db.Entry(record);
        if (entry.State == EntityState.Unchanged)
        {
            entry.State = EntityState.Modified;
        }
    }

    private AdjustmentActor Stamp(DateTime now)
    {
        var who = caller.Caller;
        return new AdjustmentActor { Principal = who.Principal, Role = who.Role, DisplayName = who.DisplayName, Time = now };
    }
}
