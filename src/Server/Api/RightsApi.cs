using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using Microsoft.EntityFrameworkCore;
using Domain = MhaRights.Server.Rights;
using DutyEntity = MhaRights.Server.Rights.Duties.RightsDuty;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.RightsService.</summary>
public sealed class RightsApi(
    MhaRightsDbContext db,
    UnitOfWork unitOfWork,
    PatientDirectory patients,
    RightsLifecycle lifecycle,
    ExplanationRecorder recorder,
    NearestRelativeCopies nearestRelativeCopies,
    Domain.Worklists worklists,
    AuthorityWorklists authorityWorklists,
    ICommunicationNeeds communicationNeeds,
    Security.PatientScope scope,
    TimeProvider time) : RightsService.RightsServiceBase
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override async Task<Contracts.V1.RightsDuty> GetDuty(GetDutyRequest request, ServerCallContext context)
    {
        var (patientId, dutyId) = ResourceNames.ParseDuty("name", request.Name);
        return ProtoMapper.ToProto(await FindDutyAsync(patientId, dutyId, tracked: false, context.CancellationToken));
    }

    public override async Task<ListDutiesResponse> ListDuties(ListDutiesRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("parent", request.Parent);
        var size = PageTokens.Size(request.PageSize);
        var fingerprint = $"{request.Parent}|{request.OpenOnly}";
        var after = PageTokens.DecodeTimeAndId(request.PageToken, fingerprint);
        var ct = context.CancellationToken;
        var page = await ReadQueries.DutyPageOfExistingPatientAsync(db, patientId, request.OpenOnly, after, size + 1, ct);

        var response = new ListDutiesResponse();
        response.Duties.AddRange(page.Take(size).Select(ProtoMapper.ToProto));
        if (page.Count > size)
        {
            response.NextPageToken = PageTokens.EncodeTimeAndId(fingerprint, page[size - 1].OpenTime, page[size - 1].Id);
        }

        return response;
    }

    public override Task<RecordExplanationAttemptResponse> RecordExplanationAttempt(RecordExplanationAttemptRequest request, ServerCallContext context)
    {
        var (patientId, dutyId) = ResourceNames.ParseDuty("parent", request.Parent);
        var details = ValidateAttempt(request.Attempt, Now);
        // Every read of the work is of this patient's rows (duty, communication needs, patient, its other duties):
        // it runs before the write gate, which then only appends and saves.
        return unitOfWork.ExecuteOptimisticAsync<RecordExplanationAttemptResponse>(nameof(RecordExplanationAttempt), request.RequestId, request, patientId, async ct =>
        {
            var duty = await TrackedDutyQuery.For(db)(db, patientId, dutyId, ct)
                ?? throw new ResourceNotFoundException(ResourceNames.Duty(patientId, dutyId));
            Etags.Check(ResourceNames.Duty(patientId, dutyId), request.Etag, duty.Version);
            var attempt = await recorder.RecordAsync(duty, details, ct);
            return () => new RecordExplanationAttemptResponse { Attempt = ProtoMapper.ToProto(attempt), Duty = ProtoMapper.ToProto(duty) };
        }, context.CancellationToken);
    }

    public override async Task<Contracts.V1.ExplanationAttempt> GetExplanationAttempt(GetExplanationAttemptRequest request, ServerCallContext context)
    {
        var (patientId, dutyId, attemptId) = ResourceNames.ParseAttempt("name", request.Name);
        return ProtoMapper.ToProto(await FindAttemptAsync(patientId, dutyId, attemptId, tracked: false, context.CancellationToken));
    }

    public override async Task<ListExplanationAttemptsResponse> ListExplanationAttempts(ListExplanationAttemptsRequest request, ServerCallContext context)
    {
        var size = PageTokens.Size(request.PageSize);
        var query = db.Attempts.AsNoTracking();
        if (ResourceNames.Matches(request.Parent, "patients/{patient}/duties/{duty}"))
        {
            var (patientId, dutyId) = ResourceNames.ParseDuty("parent", request.Parent);
            await FindDutyAsync(patientId, dutyId, tracked: false, context.CancellationToken);
            query = query.Where(a => a.DutyId == dutyId);
        }
        else
        {
            var patientId = ResourceNames.ParsePatient("parent", request.Parent);
            await patients.GetAsync(patientId, context.CancellationToken);
            query = query.Where(a => a.PatientId == patientId);
        }

        var after = PageTokens.DecodeTimeAndId(request.PageToken, request.Parent);
        if (after is { } position)
        {
            query = query.Where(a => a.AttemptTime < position.Time || (a.AttemptTime == position.Time && string.Compare(a.Id, position.Id) < 0));
        }

        var page = await query.OrderByDescending(a => a.AttemptTime).ThenByDescending(a => a.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListExplanationAttemptsResponse();
        response.Attempts.AddRange(page.Take(size).Select(ProtoMapper.ToProto));
        if (page.Count > size)
        {
            response.NextPageToken = PageTokens.EncodeTimeAndId(request.Parent, page[size - 1].AttemptTime, page[size - 1].Id);
        }

        return response;
    }

    public override Task<Contracts.V1.ExplanationAttempt> CorrectExplanationAttempt(CorrectExplanationAttemptRequest request, ServerCallContext context)
    {
        var (patientId, dutyId, attemptId) = ResourceNames.ParseAttempt("name", request.Name);
        var v = new RequestValidator();
        v.RequiredText("reason", request.Reason, 1000);
        v.ThrowIfInvalid();
        var details = ValidateAttempt(request.Attempt, Now);
        return unitOfWork.ExecuteAsync<Contracts.V1.ExplanationAttempt>(nameof(CorrectExplanationAttempt), request.RequestId, request, async ct =>
        {
            var attempt = await FindAttemptAsync(patientId, dutyId, attemptId, tracked: true, ct);
            Etags.Check(ResourceNames.Attempt(patientId, dutyId, attemptId), request.Etag, attempt.Version);
            var duty = await FindDutyAsync(patientId, dutyId, tracked: true, ct);
            var replacement = await recorder.VoidAsync(attempt, duty, request.Reason, details, Now, ct);
            return () => ProtoMapper.ToProto(replacement);
        }, context.CancellationToken);
    }

    public override Task<Contracts.V1.ExplanationAttempt> VoidExplanationAttempt(VoidExplanationAttemptRequest request, ServerCallContext context)
    {
        var (patientId, dutyId, attemptId) = ResourceNames.ParseAttempt("name", request.Name);
        var v = new RequestValidator();
        v.RequiredText("reason", request.Reason, 1000);
        v.ThrowIfInvalid();
        return unitOfWork.ExecuteAsync<Contracts.V1.ExplanationAttempt>(nameof(VoidExplanationAttempt), request.RequestId, request, async ct =>
        {
            var attempt = await FindAttemptAsync(patientId, dutyId, attemptId, tracked: true, ct);
            Etags.Check(ResourceNames.Attempt(patientId, dutyId, attemptId), request.Etag, attempt.Version);
            var duty = await FindDutyAsync(patientId, dutyId, tracked: true, ct);
            var voided = await recorder.VoidAsync(attempt, duty, request.Reason, null, Now, ct);
            return () => ProtoMapper.ToProto(voided);
        }, context.CancellationToken);
    }

    public override Task<Contracts.V1.RightsDuty> RecordNoticeSent(RecordNoticeSentRequest request, ServerCallContext context)
    {
        var (patientId, dutyId) = ResourceNames.ParseDuty("name", request.Name);
        var v = new RequestValidator();
        var sent = v.PastTimestamp("sent_time", request.SentTime, Now);
        v.RequiredText("method", request.Method, 50);
        v.MaxLength("recipient", request.Recipient, 200);
        v.ThrowIfInvalid();
        return DutyChange(nameof(RecordNoticeSent), request.RequestId, request, patientId, dutyId, request.Etag, context, async (duty, ct) =>
        {
            if (sent!.Value < duty.OpenTime)
            {
                throw new ValidationFailedException("sent_time", "must not be before the duty opened");
            }

            var patient = await patients.GetAsync(patientId, ct);
            NearestRelativeCopies.RequireAsked(duty, patient);
            var recipient = RequestValidator.OrNull(request.Recipient) ?? patient.NearestRelativeName ?? "the nearest relative";
            await lifecycle.MarkNoticeSentAsync(duty, sent.Value, request.Method.Trim(), recipient, ct);
        });
    }

    public override Task<Contracts.V1.RightsDuty> RecordNoticeNotRequired(RecordNoticeNotRequiredRequest request, ServerCallContext context)
    {
        var (patientId, dutyId) = ResourceNames.ParseDuty("name", request.Name);
        var v = new RequestValidator();
        v.DefinedEnum("reason", request.Reason);
        v.RequiredText("note", request.Note, 1000);
        v.ThrowIfInvalid();
        return DutyChange(nameof(RecordNoticeNotRequired), request.RequestId, request, patientId, dutyId, request.Etag, context, async (duty, ct) =>
        {
            var note = request.Reason switch
            {
                RecordNoticeNotRequiredRequest.Types.Reason.NoNearestRelative => $"{Workflow.NoticeWorkflow.NoNearestRelativeNote} {request.Note.Trim()}",
                RecordNoticeNotRequiredRequest.Types.Reason.PatientObjects => $"The patient objects: {request.Note.Trim()}",
                _ => $"The nearest relative asked not to be told: {request.Note.Trim()}",
            };
            if (request.Reason == RecordNoticeNotRequiredRequest.Types.Reason.NearestRelativeOptedOut && duty.Kind != Domain.Duties.DutyKind.Section133DischargeNotice)
            {
                throw new ValidationFailedException("reason", "NEAREST_RELATIVE_OPTED_OUT applies only to s133 discharge notices");
            }

            await lifecycle.MarkNoticeNotRequiredAsync(duty, note, Now, ct);
            if (request.Reason == RecordNoticeNotRequiredRequest.Types.Reason.PatientObjects && NearestRelativeCopies.IsCopy(duty.Kind))
            {
                // The patient's answer is the patient's, not this copy's: it is kept and applies to the other copies too.
                await nearestRelativeCopies.RecordAnswerAsync(patientId, Domain.Duties.NearestRelativeSharing.Objects, Now, ct);
            }
        });
    }

    public override Task<Contracts.V1.RightsDuty> MarkDutyNotApplicable(MarkDutyNotApplicableRequest request, ServerCallContext context)
    {
        var (patientId, dutyId) = ResourceNames.ParseDuty("name", request.Name);
        var v = new RequestValidator();
        v.RequiredText("reason", request.Reason, 1000);
        v.ThrowIfInvalid();
        return DutyChange(nameof(MarkDutyNotApplicable), request.RequestId, request, patientId, dutyId, request.Etag, context,
            (duty, ct) => lifecycle.MarkNotApplicableAsync(duty, request.Reason.Trim(), Now, ct));
    }

    public override Task<RequestReexplanationResponse> RequestReexplanation(RequestReexplanationRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("parent", request.Parent);
        var v = new RequestValidator();
        var trigger = v.Capture(() => EnumMaps.Cast<Contracts.V1.DutyTrigger, Domain.Duties.DutyTrigger>("trigger", request.Trigger));
        if (trigger is not (Domain.Duties.DutyTrigger.PatientRequest or Domain.Duties.DutyTrigger.ChangeOfCircumstances) && !v.HasErrors)
        {
            v.Add("trigger", "must be DUTY_TRIGGER_PATIENT_REQUEST or DUTY_TRIGGER_CHANGE_OF_CIRCUMSTANCES");
        }

        v.MaxLength("note", request.Note, 1000);
        v.ThrowIfInvalid();
        return unitOfWork.ExecuteAsync<RequestReexplanationResponse>(nameof(RequestReexplanation), request.RequestId, request, async ct =>
        {
            await patients.GetAsync(patientId, ct);
            var duties = await lifecycle.RaiseReexplanationAsync(patientId, trigger, Now, RequestValidator.OrNull(request.Note), ct);
            if (duties.Count == 0)
            {
                throw new PreconditionFailedException("NO_OPEN_EXPLANATION_DUTY", "The patient has no open s132(1) or s132A duty to re-explain.");
            }

            return () =>
            {
                var response = new RequestReexplanationResponse();
                response.Duties.AddRange(duties.Select(ProtoMapper.ToProto));
                return response;
            };
        }, context.CancellationToken);
    }

    public override async Task<RightsStatus> GetRightsStatus(GetRightsStatusRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("name", request.Name);
        var ct = context.CancellationToken;
        var (episode, open) = await RightsStatusQueries.StatusAsync(db, patientId, ct);

        var status = new RightsStatus { Patient = request.Name };
        if (episode is not null)
        {
            status.CurrentEpisode = ProtoMapper.ToProto(episode, lifecycle.RuleFor(episode.Provision, episode.StartTime));
        }

        foreach (var duty in open)
        {
            status.OpenDuties.Add(ProtoMapper.ToProto(duty));
        }

        var next = open.Where(d => d.State != DutyState.Understood && d.DueTime is not null).Select(d => d.DueTime).Min();
        status.NextDueTime = ProtoMapper.Ts(next);
        status.HasOverdue = open.Any(d => d.State == DutyState.Overdue);
        return status;
    }

    public override async Task<RightsBriefing> GetRightsBriefing(GetRightsBriefingRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("name", request.Name);
        var ct = context.CancellationToken;
        MhaRights.Server.Patients.Patient patient;
        List<DutyEntity> open;
        IReadOnlyList<CommunicationNeedInfo> needs;
        IReadOnlyList<CommunicationNeedInfo> unconfirmedNeeds;
        await using (await ReadConnection.OpenAsync(db, ct))
        {
            patient = await ReadQueries.PatientAsync(db, patientId, ct);
            open = await ReadQueries.OpenDutiesByOpenTimeAsync(db, patientId, ct);
            needs = await communicationNeeds.ForPatientAsync(patientId, ct);
            unconfirmedNeeds = await communicationNeeds.UnconfirmedForPatientAsync(patientId, ct);
        }

        var briefing = new RightsBriefing
        {
            Patient = request.Name,
            PreferredLanguage = patient.PreferredLanguage ?? string.Empty,
            InterpreterNeeded = patient.InterpreterNeeded,
        };
        briefing.OpenDuties.AddRange(open.Where(d => !DutyRules.IsNotice(d.Kind)).Select(ProtoMapper.ToProto));
        foreach (var (need, unconfirmed) in needs.Select(n => (n, false)).Concat(unconfirmedNeeds.Select(n => (n, true))))
        {
            briefing.CommunicationNeeds.Add(new CommunicationNeed
            {
                CategoryCode = need.CategoryCode,
                CategoryDisplay = need.CategoryDisplay,
                SnomedCode = need.SnomedCode,
                Display = need.Display,
                Unconfirmed = unconfirmed,
            });
        }

        return briefing;
    }

    public override async Task<ListWorklistItemsResponse> ListWorklistItems(ListWorklistItemsRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        var kind = v.Capture(() => EnumMaps.Cast<Contracts.V1.WorklistKind, Domain.WorklistKind>("kind", request.Kind));
        v.OptionalCode("hospital", request.Hospital, 64);
        v.OptionalCode("ward", request.Ward, 64);
        v.PageSize(request.PageSize);
        if (request.Kind == Contracts.V1.WorklistKind.AuthoritiesExpiring)
        {
            if (request.WithinDays is < 1 or > MaxWithinDays)
            {
                v.Add("within_days", $"must be between 1 and {MaxWithinDays} for WORKLIST_KIND_AUTHORITIES_EXPIRING");
            }
        }
        else if (request.WithinDays != 0)
        {
            v.Add("within_days", "is only used with WORKLIST_KIND_AUTHORITIES_EXPIRING");
        }

        v.ThrowIfInvalid();
        var size = PageTokens.Size(request.PageSize);
        var fingerprint = $"{request.Kind}|{request.Hospital}|{request.Ward}|{request.WithinDays}";
        var after = PageTokens.DecodeTimeAndId(request.PageToken, fingerprint);
        var now = Now;
        if (Domain.Worklists.IsEpisodeList(kind))
        {
            return await ListAuthoritiesAsync(kind, request, fingerprint, after, size, now, context.CancellationToken);
        }

        var rows = await InScopePageAsync(
            (from, take, ct) => worklists.ListAsync(kind, RequestValidator.OrNull(request.Hospital), RequestValidator.OrNull(request.Ward), now, from, take, ct),
            r => (r.ActionTime, r.Duty.Id), r => r.Duty.PatientId, after, size + 1, context.CancellationToken);
        var response = new ListWorklistItemsResponse();
        foreach (var row in rows.Take(size))
        {
            response.Items.Add(new WorklistItem
            {
                Duty = ProtoMapper.ToProto(row.Duty),
                Patient = ResourceNames.Patient(row.Duty.PatientId),
                PatientLocalId = row.PatientLocalId,
                PatientDisplayName = row.PatientDisplayName,
                ActionTime = ProtoMapper.Ts(row.ActionTime),
                ActionTimeLocal = LondonTime.Format(row.ActionTime),
                PastDue = row.ActionTime <= now,
            });
        }

        if (rows.Count > size)
        {
            response.NextPageToken = PageTokens.EncodeTimeAndId(fingerprint, rows[size - 1].ActionTime, rows[size - 1].Duty.Id);
        }

        return response;
    }

    /// <summary>
    /// A worklist page holding only the caller's patients (Security/PatientScope.cs). The worklists' compiled
    /// queries stay as they are; for a site-bound caller, batches are read in list order and filtered until the
    /// page is full or the list ends, so keyset paging (the token is the last row returned) still holds.
    /// </summary>
    private async Task<IReadOnlyList<T>> InScopePageAsync<T>(
        Func<(DateTime Time, string Id)?, int, CancellationToken, Task<IReadOnlyList<T>>> fetch,
        Func<T, (DateTime Time, string Id)> position,
        Func<T, string> patientId,
        (DateTime Time, string Id)? after,
        int want,
        CancellationToken cancellationToken)
    {
        if (scope.Scope.TrustWide)
        {
            return await fetch(after, want, cancellationToken);
        }

        var batchSize = Math.Max(want, 200);
        var kept = new List<T>(want);
        while (kept.Count < want)
        {
            var batch = await fetch(after, batchSize, cancellationToken);
            var reached = await scope.InScopeAsync(batch.Select(patientId), cancellationToken);
            kept.AddRange(batch.Where(r => reached.Contains(patientId(r))).Take(want - kept.Count));
            if (batch.Count < batchSize)
            {
                break;
            }

            after = position(batch[^1]);
        }

        return kept;
    }

    /// <summary>Days ahead the expiring-authorities worklist may look: a year and a day covers a 12-month renewal.</summary>
    private const int MaxWithinDays = 366;

    private async Task<ListWorklistItemsResponse> ListAuthoritiesAsync(
        Domain.WorklistKind kind, ListWorklistItemsRequest request, string fingerprint, (DateTime Time, string Id)? after, int size, DateTime now, CancellationToken cancellationToken)
    {
        var rows = await InScopePageAsync(
            (from, take, ct) => authorityWorklists.ListAsync(kind, RequestValidator.OrNull(request.Hospital), RequestValidator.OrNull(request.Ward), request.WithinDays, now, from, take, ct),
            r => (r.ActionTime, r.Episode.Id), r => r.Episode.PatientId, after, size + 1, cancellationToken);
        var response = new ListWorklistItemsResponse();
        foreach (var row in rows.Take(size))
        {
            var episode = row.Episode;
            response.Items.Add(new WorklistItem
            {
                Episode = LegalStatusApiMapping.ToProto(episode, lifecycle.RuleFor(episode.Provision, episode.StartTime), null, now),
                Patient = ResourceNames.Patient(episode.PatientId),
                PatientLocalId = row.PatientLocalId,
                PatientDisplayName = row.PatientDisplayName,
                ActionTime = ProtoMapper.Ts(row.ActionTime),
                ActionTimeLocal = LondonTime.Format(row.ActionTime),
                PastDue = row.ActionTime <= now,
                Reason = row.Reason,
            });
        }

        if (rows.Count > size)
        {
            response.NextPageToken = PageTokens.EncodeTimeAndId(fingerprint, rows[size - 1].ActionTime, rows[size - 1].Episode.Id);
        }

        return response;
    }

    private Task<Contracts.V1.RightsDuty> DutyChange(
        string method, string requestId, Google.Protobuf.IMessage request, string patientId, string dutyId, string etag,
        ServerCallContext context, Func<DutyEntity, CancellationToken, Task> act) =>
        unitOfWork.ExecuteAsync<Contracts.V1.RightsDuty>(method, requestId, request, async ct =>
        {
            var duty = await FindDutyAsync(patientId, dutyId, tracked: true, ct);
            Etags.Check(ResourceNames.Duty(patientId, dutyId), etag, duty.Version);
            await act(duty, ct);
            return () => ProtoMapper.ToProto(duty);
        }, context.CancellationToken);

    private static readonly CompiledPerModel<Func<MhaRightsDbContext, string, string, CancellationToken, Task<DutyEntity?>>> TrackedDutyQuery = new(() =>
        EF.CompileAsyncQuery((MhaRightsDbContext db, string patientId, string dutyId, CancellationToken ct) =>
            db.Duties.FirstOrDefault(d => d.Id == dutyId && d.PatientId == patientId)));

    private async Task<DutyEntity> FindDutyAsync(string patientId, string dutyId, bool tracked, CancellationToken cancellationToken)
    {
        var duty = tracked
            ? await db.Duties.FirstOrDefaultAsync(d => d.Id == dutyId && d.PatientId == patientId, cancellationToken)
            : await ReadQueries.DutyAsync(db, patientId, dutyId, cancellationToken);
        return duty
            ?? throw new ResourceNotFoundException(ResourceNames.Duty(patientId, dutyId));
    }

    private async Task<Domain.Duties.ExplanationAttempt> FindAttemptAsync(string patientId, string dutyId, string attemptId, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Attempts : db.Attempts.AsNoTracking();
        return await query.FirstOrDefaultAsync(a => a.Id == attemptId && a.DutyId == dutyId && a.PatientId == patientId, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceNames.Attempt(patientId, dutyId, attemptId));
    }

    /// <summary>Checks an attempt as RecordExplanationAttempt does; shared with the bulk import (Import/).</summary>
    internal static AttemptDetails ValidateAttempt(Contracts.V1.ExplanationAttempt? a, DateTime now)
    {
        if (a is null)
        {
            throw new ValidationFailedException("attempt", "is required");
        }

        var v = new RequestValidator();
        var when = v.PastTimestamp("attempt.attempt_time", a.AttemptTime, now);
        v.RequiredText("attempt.explained_by", a.ExplainedBy, 200);
        v.RequiredText("attempt.explained_by_role", a.ExplainedByRole, 100);
        var outcome = v.Capture(() => EnumMaps.Cast<Contracts.V1.AttemptOutcome, Domain.Duties.AttemptOutcome>("attempt.outcome", a.Outcome));
        var sharing = v.Capture(() => EnumMaps.Cast<Contracts.V1.NearestRelativeSharing, Domain.Duties.NearestRelativeSharing>("attempt.nearest_relative_sharing", a.NearestRelativeSharing, allowUnspecified: true));
        if (!a.OralGiven && !a.WrittenGiven && outcome is not (Domain.Duties.AttemptOutcome.Declined or Domain.Duties.AttemptOutcome.Unable))
        {
            // s132(3): information is given orally and in writing; an attempt that gave neither only makes sense if it could not take place.
            v.Add("attempt.oral_given", "an attempt must give the information orally or in writing unless the outcome is DECLINED or UNABLE");
        }

        if (a.WrittenGiven)
        {
            v.RequiredText("attempt.leaflet_id", a.LeafletId, 64);
        }
        else
        {
            v.MaxLength("attempt.leaflet_id", a.LeafletId, 64);
        }

        v.MaxLength("attempt.leaflet_version", a.LeafletVersion, 32);
        v.MaxLength("attempt.leaflet_language", a.LeafletLanguage, 16);
        v.MaxLength("attempt.accessible_format", a.AccessibleFormat, 100);
        v.MaxLength("attempt.capacity_note", a.CapacityNote, 2000);
        v.MaxLength("attempt.note", a.Note, 2000);
        var next = v.Timestamp("attempt.next_attempt_time", a.NextAttemptTime, required: false);
        if (next is not null && outcome == Domain.Duties.AttemptOutcome.Understood)
        {
            v.Add("attempt.next_attempt_time", "must be empty when the outcome is UNDERSTOOD");
        }

        var needs = new List<CommunicationNeedResult>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < a.CommunicationNeeds.Count; i++)
        {
            var need = a.CommunicationNeeds[i];
            var field = $"attempt.communication_needs[{i}].category_code";
            v.Code(field, need.CategoryCode, 16);
            // One answer per need: two answers for one category could say both "met" and "not met".
            if (!string.IsNullOrEmpty(need.CategoryCode) && !Adjustments.AdjustmentRules.CommunicationCategories.Contains(need.CategoryCode))
            {
                v.Add(field, $"must be a communication category ({string.Join(", ", Adjustments.AdjustmentRules.CommunicationCategories.Order(StringComparer.Ordinal))})");
            }
            else if (!string.IsNullOrEmpty(need.CategoryCode) && !answered.Add(need.CategoryCode))
            {
                v.Add(field, $"repeats category {need.CategoryCode}; give one answer per communication need");
            }

            v.RequiredText($"attempt.communication_needs[{i}].detail", need.Detail, 500);
            needs.Add(new CommunicationNeedResult(need.CategoryCode, need.Met, need.Detail?.Trim() ?? string.Empty));
        }

        v.ThrowIfInvalid();
        return new AttemptDetails(
            when!.Value, a.ExplainedBy.Trim(), a.ExplainedByRole.Trim(), a.OralGiven, a.WrittenGiven,
            RequestValidator.OrNull(a.LeafletId), RequestValidator.OrNull(a.LeafletVersion), RequestValidator.OrNull(a.LeafletLanguage),
            a.InterpreterUsed, RequestValidator.OrNull(a.AccessibleFormat), outcome, RequestValidator.OrNull(a.CapacityNote),
            a.ImhaInformationGiven, sharing, next, needs, RequestValidator.OrNull(a.Note));
    }
}
