using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using MhaRights.Server.Adjustments;
using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;
using Microsoft.EntityFrameworkCore;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Api;

/// <summary>
/// mharights.v1.AdjustmentService: the local Reasonable Adjustment Flag (DAPB4019) and its national projection. Every
/// write runs in one unit of work (idempotency, etag, transaction, audit); every read of RA content is audited (§7.3
/// "view-of-content"); callers whose role may not see content see only that a flag exists (§1.1, §3.6).
/// </summary>
public sealed class AdjustmentApi(
    MhaRightsDbContext db,
    UnitOfWork unitOfWork,
    PatientDirectory patients,
    AdjustmentLifecycle lifecycle,
    AdjustmentApiMapping map,
    AdjustmentFhirExporter exporter,
    ICallerContext caller,
    Security.PatientScope scope,
    TimeProvider time) : V1.AdjustmentService.AdjustmentServiceBase
{
    private static readonly IReadOnlyDictionary<V1.AdjustmentCodeTable, string> TableNames = new Dictionary<V1.AdjustmentCodeTable, string>
    {
        [V1.AdjustmentCodeTable.AdjustmentCategories] = CodeTableNames.AdjustmentCategories,
        [V1.AdjustmentCodeTable.AdjustmentCodes] = CodeTableNames.AdjustmentCodes,
        [V1.AdjustmentCodeTable.ImpairmentCodes] = CodeTableNames.ImpairmentCodes,
        [V1.AdjustmentCodeTable.ConditionCategories] = CodeTableNames.ConditionCategories,
        [V1.AdjustmentCodeTable.RemovalReasons] = CodeTableNames.RemovalReasons,
        [V1.AdjustmentCodeTable.ConsentProxyRoles] = CodeTableNames.ConsentProxyRoles,
        [V1.AdjustmentCodeTable.ConsentPurposes] = CodeTableNames.ConsentPurposes,
        [V1.AdjustmentCodeTable.PatientFlagCategories] = CodeTableNames.PatientFlagCategories,
        [V1.AdjustmentCodeTable.AnchorCodes] = CodeTableNames.AnchorCodes,
        [V1.AdjustmentCodeTable.SdsJobRoles] = CodeTableNames.SdsJobRoles,
    };

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private bool ContentVisible => Roles.MaySeeAdjustmentContent(caller.Caller.Role);

    public override async Task<V1.AdjustmentRecord> GetAdjustmentRecord(V1.GetAdjustmentRecordRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        var ct = context.CancellationToken;
        var record = await lifecycle.GetRecordAsync(patientId, tracked: false, ct);
        var visible = ContentVisible;
        if (visible)
        {
            await AuditViewAsync(nameof(GetAdjustmentRecord), request.Name, patientId, null, ct);
        }

        return map.ToProto(record, await lifecycle.CountActiveItemsAsync(record.Id, ct), visible, Now);
    }

    public override Task<V1.AdjustmentRecord> IdentifyAdjustmentNeeds(V1.IdentifyAdjustmentNeedsRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("parent", request.Parent);
        var v = new RequestValidator();
        var source = v.Capture(() => EnumMaps.Cast<V1.AdjustmentRecord.Types.IdentificationSource, AdjustmentIdentificationSource>("identification_source", request.IdentificationSource));
        if (source == AdjustmentIdentificationSource.Other)
        {
            v.RequiredText("identification_note", request.IdentificationNote, AdjustmentApiMapping.MaxComment);
        }
        else
        {
            v.MaxLength("identification_note", request.IdentificationNote, AdjustmentApiMapping.MaxComment);
        }

        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return RecordWrite(nameof(IdentifyAdjustmentNeeds), request.RequestId, request, context, async ct =>
        {
            await patients.GetAsync(patientId, ct);
            var existing = await lifecycle.FindRecordAsync(patientId, tracked: true, ct);
            if (existing is not null && !AdjustmentRules.IsOpen(existing.State))
            {
                Etags.Check(AdjustmentNames.Record(patientId), request.Etag, existing.Version);
            }

            return await lifecycle.IdentifyAsync(patientId, existing, source, RequestValidator.OrNull(request.IdentificationNote), ct);
        });
    }

    public override Task<V1.AdjustmentRecord> ActivateAdjustmentRecord(V1.ActivateAdjustmentRecordRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        var v = new RequestValidator();
        if (!request.ThresholdConfirmed)
        {
            // §1.3: the flag records that the Equality Act threshold is met; a clinician must say so.
            v.Add("threshold_confirmed", "must be true: confirm the patient has an impairment with a substantial and long-term adverse effect (Equality Act 2010)");
        }

        var decision = request.SharingDecision is null ? null : map.Decision(v, "sharing_decision", request.SharingDecision);
        var review = AdjustmentApiMapping.ReviewTime(v, "review_due_time", request.ReviewDueTime, Now);
        var nhsUser = AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ExistingRecordWrite(nameof(ActivateAdjustmentRecord), request.RequestId, request, patientId, request.Etag, context,
            (record, ct) => lifecycle.ActivateAsync(record, decision, review, nhsUser, ct));
    }

    public override Task<V1.AdjustmentRecord> RemoveAdjustmentRecord(V1.RemoveAdjustmentRecordRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        var v = new RequestValidator();
        var removal = map.Removal(v, request.RemovalReasonCode, request.RemovalComment, request.BestInterestDecision, allowError: false);
        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ExistingRecordWrite(nameof(RemoveAdjustmentRecord), request.RequestId, request, patientId, request.Etag, context,
            (record, ct) => lifecycle.EndRecordAsync(record, removal!, nameof(RemoveAdjustmentRecord), ct));
    }

    public override Task<V1.AdjustmentRecord> MarkAdjustmentRecordEnteredInError(V1.MarkAdjustmentRecordEnteredInErrorRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        var v = new RequestValidator();
        var removal = AdjustmentApiMapping.EnteredInError(v, request.RemovalComment);
        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ExistingRecordWrite(nameof(MarkAdjustmentRecordEnteredInError), request.RequestId, request, patientId, request.Etag, context,
            (record, ct) => lifecycle.EndRecordAsync(record, removal!, nameof(MarkAdjustmentRecordEnteredInError), ct));
    }

    public override Task<V1.AdjustmentItem> CreateAdjustmentItem(V1.CreateAdjustmentItemRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("parent", request.Parent);
        var v = new RequestValidator();
        var input = map.Item(v, "adjustment_item", request.AdjustmentItem);
        var id = RequestValidator.OrNull(request.AdjustmentItemId);
        if (id is not null && (!Ids.IsValid(id) || !char.IsAsciiLetterLower(id[0])))
        {
            v.Add("adjustment_item_id", "must be 1-63 characters of [a-z0-9-] starting with a letter");
        }

        var nhsUser = AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return unitOfWork.ExecuteAsync<V1.AdjustmentItem>(nameof(CreateAdjustmentItem), request.RequestId, request, async ct =>
        {
            var record = await lifecycle.GetRecordAsync(patientId, tracked: true, ct);
            var item = await lifecycle.CreateItemAsync(record, input!, id, nhsUser, nameof(CreateAdjustmentItem), ct);
            return () => map.ToProto(item);
        }, context.CancellationToken);
    }

    public override async Task<V1.ListAdjustmentItemsResponse> ListAdjustmentItems(V1.ListAdjustmentItemsRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("parent", request.Parent);
        RequireContent(nameof(ListAdjustmentItems));
        var v = new RequestValidator();
        v.PageSize(request.PageSize);
        for (var i = 0; i < request.States.Count; i++)
        {
            v.DefinedEnum($"states[{i}]", request.States[i], allowUnspecified: true);
        }

        for (var i = 0; i < request.Kinds.Count; i++)
        {
            v.DefinedEnum($"kinds[{i}]", request.Kinds[i], allowUnspecified: true);
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var size = PageTokens.Size(request.PageSize);
        var fingerprint = $"{request.Parent}|{string.Join(',', request.States)}|{string.Join(',', request.Kinds)}";
        var after = PageTokens.DecodeTimeAndId(request.PageToken, fingerprint);
        var record = await lifecycle.GetRecordAsync(patientId, tracked: false, ct);
        var query = db.Set<AdjustmentItem>().AsNoTracking().Where(i => i.RecordId == record.Id);
        if (!request.States.Contains(V1.AdjustmentItem.Types.State.Unspecified))
        {
            // Empty means ACTIVE only: the clinical view (§7.1 hides entered-in-error items).
            var states = request.States.Count == 0
                ? [AdjustmentItemState.Active]
                : request.States.Select(s => EnumMaps.Same<V1.AdjustmentItem.Types.State, AdjustmentItemState>(s)).ToArray();
            query = query.Where(i => states.Contains(i.State));
        }

        if (request.Kinds.Count > 0 && !request.Kinds.Contains(V1.AdjustmentItem.Types.Kind.Unspecified))
        {
            var kinds = request.Kinds.Select(k => EnumMaps.Same<V1.AdjustmentItem.Types.Kind, AdjustmentItemKind>(k)).ToArray();
            query = query.Where(i => kinds.Contains(i.Kind));
        }

        if (after is { } position)
        {
            query = query.Where(i => i.CreateTime > position.Time || (i.CreateTime == position.Time && string.Compare(i.Id, position.Id) > 0));
        }

        var page = await query.OrderBy(i => i.CreateTime).ThenBy(i => i.Id).Take(size + 1).ToListAsync(ct);
        await AuditViewAsync(nameof(ListAdjustmentItems), request.Parent, patientId, new { items = Math.Min(page.Count, size) }, ct);
        var response = new V1.ListAdjustmentItemsResponse();
        response.AdjustmentItems.AddRange(page.Take(size).Select(map.ToProto));
        if (page.Count > size)
        {
            response.NextPageToken = PageTokens.EncodeTimeAndId(fingerprint, page[size - 1].CreateTime, page[size - 1].Id);
        }

        return response;
    }

    public override Task<V1.ReplaceAdjustmentItemResponse> ReplaceAdjustmentItem(V1.ReplaceAdjustmentItemRequest request, ServerCallContext context)
    {
        var (patientId, itemId) = AdjustmentNames.ParseItem("name", request.Name);
        var v = new RequestValidator();
        var input = map.Item(v, "replacement", request.Replacement);
        var removal = map.Removal(v, request.RemovalReasonCode, request.RemovalComment, request.BestInterestDecision, allowError: true);
        var nhsUser = AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return unitOfWork.ExecuteAsync<V1.ReplaceAdjustmentItemResponse>(nameof(ReplaceAdjustmentItem), request.RequestId, request, async ct =>
        {
            var old = await lifecycle.GetItemAsync(patientId, itemId, tracked: true, ct);
            Etags.Check(request.Name, request.Etag, old.Version);
            if (old.Kind != input!.Kind)
            {
                throw new ValidationFailedException("replacement.detail", $"must be a {old.Kind} like the item it replaces; remove the item and create a new one to change its kind");
            }

            var record = await lifecycle.GetRecordAsync(patientId, tracked: true, ct);
            var created = await lifecycle.ReplaceItemAsync(record, old, input, removal!, nhsUser, ct);
            return () => new V1.ReplaceAdjustmentItemResponse { ReplacedItem = map.ToProto(old), NewItem = map.ToProto(created) };
        }, context.CancellationToken);
    }

    public override Task<V1.AdjustmentItem> RemoveAdjustmentItem(V1.RemoveAdjustmentItemRequest request, ServerCallContext context)
    {
        var (patientId, itemId) = AdjustmentNames.ParseItem("name", request.Name);
        var v = new RequestValidator();
        var removal = map.Removal(v, request.RemovalReasonCode, request.RemovalComment, request.BestInterestDecision, allowError: false);
        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ItemWrite(nameof(RemoveAdjustmentItem), request.RequestId, request, patientId, itemId, request.Etag, removal!, context);
    }

    public override Task<V1.AdjustmentItem> MarkAdjustmentItemEnteredInError(V1.MarkAdjustmentItemEnteredInErrorRequest request, ServerCallContext context)
    {
        var (patientId, itemId) = AdjustmentNames.ParseItem("name", request.Name);
        var v = new RequestValidator();
        var removal = AdjustmentApiMapping.EnteredInError(v, request.RemovalComment);
        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ItemWrite(nameof(MarkAdjustmentItemEnteredInError), request.RequestId, request, patientId, itemId, request.Etag, removal!, context);
    }

    public override Task<V1.AdjustmentRecord> RecordSharingDecision(V1.RecordSharingDecisionRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        var v = new RequestValidator();
        var decision = map.Decision(v, "sharing_decision", request.SharingDecision);
        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ExistingRecordWrite(nameof(RecordSharingDecision), request.RequestId, request, patientId, request.Etag, context,
            (record, ct) => lifecycle.RecordSharingDecisionAsync(record, decision!, ct));
    }

    public override Task<V1.AdjustmentRecord> MarkAdjustmentRecordReviewed(V1.MarkAdjustmentRecordReviewedRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        var v = new RequestValidator();
        var next = AdjustmentApiMapping.ReviewTime(v, "next_review_time", request.NextReviewTime, Now);
        v.MaxLength("review_note", request.ReviewNote, AdjustmentApiMapping.MaxComment);
        AdjustmentApiMapping.NhsUser(v, "nhs_user", request.NhsUser);
        v.ThrowIfInvalid();
        return ExistingRecordWrite(nameof(MarkAdjustmentRecordReviewed), request.RequestId, request, patientId, request.Etag, context,
            (record, ct) => lifecycle.MarkReviewedAsync(record, next, RequestValidator.OrNull(request.ReviewNote), ct));
    }

    public override async Task<V1.ListAdjustmentReviewsDueResponse> ListAdjustmentReviewsDue(V1.ListAdjustmentReviewsDueRequest request, ServerCallContext context)
    {
        RequireContent(nameof(ListAdjustmentReviewsDue));
        var now = Now;
        var v = new RequestValidator();
        v.OptionalCode("hospital", request.Hospital, 64);
        v.OptionalCode("ward", request.Ward, 64);
        var dueBefore = v.Timestamp("due_before", request.DueBefore, required: false) ?? now;
        v.PageSize(request.PageSize);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var size = PageTokens.Size(request.PageSize);
        // An empty due_before means "now"; pin the resolved instant into the fingerprint so later pages stay consistent.
        var fingerprint = $"{request.Hospital}|{request.Ward}|{request.DueBefore}";
        var after = PageTokens.DecodeTimeAndId(request.PageToken, fingerprint);
        var hospital = RequestValidator.OrNull(request.Hospital);
        var ward = RequestValidator.OrNull(request.Ward);

        var rows = db.Set<AdjustmentRecord>().AsNoTracking()
            .Where(r => r.State == AdjustmentRecordState.Active && r.ReviewDueTime < dueBefore)
            .Join(db.Patients.AsNoTracking(), r => r.PatientId, p => p.Id, (r, p) => new { Record = r, Patient = p });
        if (hospital is not null)
        {
            rows = rows.Where(x => x.Patient.Hospital == hospital);
        }

        if (ward is not null)
        {
            rows = rows.Where(x => x.Patient.Ward == ward);
        }

        if (scope.PatientIdsInScope() is { } reached)
        {
            rows = rows.Where(x => reached.Contains(x.Record.PatientId));
        }

        if (after is { } position)
        {
            rows = rows.Where(x => x.Record.ReviewDueTime > position.Time || (x.Record.ReviewDueTime == position.Time && string.Compare(x.Record.PatientId, position.Id) > 0));
        }

        var page = await rows.OrderBy(x => x.Record.ReviewDueTime).ThenBy(x => x.Record.PatientId).Take(size + 1).ToListAsync(ct);
        var shown = page.Take(size).ToList();
        var recordIds = shown.Select(x => x.Record.Id).ToArray();
        var counts = await db.Set<AdjustmentItem>().AsNoTracking()
            .Where(i => recordIds.Contains(i.RecordId) && i.State == AdjustmentItemState.Active)
            .GroupBy(i => i.RecordId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        await AuditViewAsync(nameof(ListAdjustmentReviewsDue), "adjustmentReviews", null, new { patients = shown.Select(x => x.Record.PatientId), hospital, ward }, ct);

        var response = new V1.ListAdjustmentReviewsDueResponse();
        foreach (var x in shown)
        {
            response.Reviews.Add(new V1.AdjustmentReviewDue
            {
                AdjustmentRecord = AdjustmentNames.Record(x.Record.PatientId),
                ReviewDueTime = ProtoMapper.Ts(x.Record.ReviewDueTime),
                ReviewDueTimeLocal = LondonTime.Format(x.Record.ReviewDueTime),
                LastReviewedTime = ProtoMapper.Ts(x.Record.LastReviewed.Time),
                Overdue = x.Record.ReviewDueTime < now,
                Hospital = x.Patient.Hospital ?? string.Empty,
                Ward = x.Patient.Ward ?? string.Empty,
                ActiveItemCount = counts.GetValueOrDefault(x.Record.Id),
                Patient = ResourceNames.Patient(x.Record.PatientId),
                PatientLocalId = x.Patient.LocalId,
                PatientDisplayName = x.Patient.DisplayName,
            });
        }

        if (page.Count > size)
        {
            var last = shown[^1].Record;
            response.NextPageToken = PageTokens.EncodeTimeAndId(fingerprint, last.ReviewDueTime!.Value, last.PatientId);
        }

        return response;
    }

    public override async Task<V1.ExportAdjustmentFhirBundleResponse> ExportAdjustmentFhirBundle(V1.ExportAdjustmentFhirBundleRequest request, ServerCallContext context)
    {
        var patientId = AdjustmentNames.ParseRecord("name", request.Name);
        RequireContent(nameof(ExportAdjustmentFhirBundle));
        var ct = context.CancellationToken;
        var record = await lifecycle.GetRecordAsync(patientId, tracked: false, ct);

        // §7.5 step 1: only an ACTIVE record is exported. Checked on the workflow, not fired: an export changes nothing.
        AdjustmentRecordWorkflow.For(lifecycle.Context(record)).EnsureCanFire(AdjustmentRecordEvent.Export);

        var patient = await patients.GetAsync(patientId, ct);
        var items = await db.Set<AdjustmentItem>().AsNoTracking()
            .Where(i => i.RecordId == record.Id && i.State == AdjustmentItemState.Active)
            .ToListAsync(ct);
        var now = Now;
        var export = exporter.Export(record, patient, items, now);
        await AuditViewAsync(nameof(ExportAdjustmentFhirBundle), request.Name, patientId, new { items = export.Items.Count }, ct);
        var response = new V1.ExportAdjustmentFhirBundleResponse
        {
            Bundle = ByteString.CopyFrom(export.Bundle),
            ContentType = PatientFlagProfiles.MediaType,
            Etag = Etags.Format(record.Version),
            GenerateTime = ProtoMapper.Ts(now),
        };
        response.ExportedItems.AddRange(export.Items.Select(i => AdjustmentNames.Item(i.PatientId, i.Id)));
        response.TableVersions.AddRange(TableNames.Select(t => Version(t.Key, t.Value)));
        return response;
    }

    public override Task<V1.ListAdjustmentCodesResponse> ListAdjustmentCodes(V1.ListAdjustmentCodesRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        v.DefinedEnum("table", request.Table, allowUnspecified: true);
        v.PageSize(request.PageSize);
        var category = RequestValidator.OrNull(request.CategoryCode);
        if (category is not null)
        {
            if (request.Table != V1.AdjustmentCodeTable.AdjustmentCodes)
            {
                v.Add("category_code", "is only allowed with table ADJUSTMENT_CODE_TABLE_ADJUSTMENT_CODES");
            }
            else if (map.Tables.FindCategory(category) is null)
            {
                v.Add("category_code", $"'{category}' is not an adjustment category: use 001-011 or a kebab-case code");
            }
        }

        v.ThrowIfInvalid();
        var selected = TableNames.Where(t => request.Table == V1.AdjustmentCodeTable.Unspecified || t.Key == request.Table).ToList();
        var numericCategory = category is null ? null : map.Tables.FindCategory(category)!.Code;
        var rows = selected
            .SelectMany(t => map.Tables.GetEntries(t.Value)
                .Where(e => numericCategory is null || e.CategoryCode == numericCategory)
                .Select(e => (Table: t.Key, Entry: e)))
            .ToList();
        var size = PageTokens.Size(request.PageSize);
        // The versions are part of the fingerprint: a token from before a table reload is refused (proto).
        var fingerprint = $"{request.Table}|{category}|{string.Join(',', selected.Select(t => map.Tables.GetTableVersion(t.Value)))}";
        var keys = PageTokens.Decode(request.PageToken, fingerprint);
        var offset = 0;
        if (keys is not null && (keys.Length != 1 || !int.TryParse(keys[0], System.Globalization.CultureInfo.InvariantCulture, out offset) || offset < 0 || offset > rows.Count))
        {
            throw new ValidationFailedException("page_token", "is not a token returned by this method");
        }

        var response = new V1.ListAdjustmentCodesResponse();
        response.AdjustmentCodes.AddRange(rows.Skip(offset).Take(size).Select(r => new V1.AdjustmentCode
        {
            Table = r.Table,
            Code = r.Entry.Code,
            AlternateCode = r.Entry.AlternateCode,
            Display = r.Entry.Display,
            System = r.Entry.System,
            AlternateSystem = r.Entry.AlternateSystem,
            CategoryCode = r.Entry.CategoryCode,
            RequiresText = r.Entry.RequiresText,
            Key = r.Entry.Key,
            TableVersion = r.Entry.TableVersion,
        }));
        response.TableVersions.AddRange(selected.Select(t => Version(t.Key, t.Value)));
        if (offset + size < rows.Count)
        {
            response.NextPageToken = PageTokens.Encode(fingerprint, (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Task.FromResult(response);
    }

    private V1.AdjustmentCodeTableVersion Version(V1.AdjustmentCodeTable table, string name)
    {
        var info = map.Tables.GetTableInfo(name);
        return new V1.AdjustmentCodeTableVersion { Table = table, Version = info.Version, RowCount = info.RowCount };
    }

    /// <summary>§1.1, §3.6: the content is for roles with content access (NCRS B0257); existence is for everyone.</summary>
    private void RequireContent(string method)
    {
        var role = caller.Caller.Role;
        if (!Roles.MaySeeAdjustmentContent(role))
        {
            throw new PermissionDeniedException(method, role);
        }
    }

    /// <summary>§7.3: every view of RA content is audited (who viewed whose adjustments), even if nothing follows.</summary>
    private Task AuditViewAsync(string method, string resource, string? patientId, object? details, CancellationToken cancellationToken) =>
        unitOfWork.RecordAccessAsync(
            new AuditEntry("View" + method, resource, patientId, DetailsJson: details is null ? null : JsonSerializer.Serialize(details)),
            cancellationToken);

    private Task<V1.AdjustmentRecord> RecordWrite(
        string method, string requestId, IMessage request, ServerCallContext context, Func<CancellationToken, Task<AdjustmentRecord>> act) =>
        unitOfWork.ExecuteAsync<V1.AdjustmentRecord>(method, requestId, request, async ct =>
        {
            var record = await act(ct);
            var count = await ActiveItemCountAsync(record, ct);
            var visible = ContentVisible;
            return () => map.ToProto(record, count, visible, Now);
        }, context.CancellationToken);

    private Task<V1.AdjustmentRecord> ExistingRecordWrite(
        string method, string requestId, IMessage request, string patientId, string etag, ServerCallContext context, Func<AdjustmentRecord, CancellationToken, Task> act) =>
        RecordWrite(method, requestId, request, context, async ct =>
        {
            var record = await lifecycle.GetRecordAsync(patientId, tracked: true, ct);
            Etags.Check(AdjustmentNames.Record(patientId), etag, record.Version);
            await act(record, ct);
            return record;
        });

    private Task<V1.AdjustmentItem> ItemWrite(
        string method, string requestId, IMessage request, string patientId, string itemId, string etag, AdjustmentRemovalInput removal, ServerCallContext context) =>
        unitOfWork.ExecuteAsync<V1.AdjustmentItem>(method, requestId, request, async ct =>
        {
            var item = await lifecycle.GetItemAsync(patientId, itemId, tracked: true, ct);
            Etags.Check(AdjustmentNames.Item(patientId, itemId), etag, item.Version);
            var record = await lifecycle.GetRecordAsync(patientId, tracked: true, ct);
            await lifecycle.EndItemAsync(record, item, removal, method, ct);
            return () => map.ToProto(item);
        }, context.CancellationToken);

    /// <summary>Active items as they will be after this unit of work commits (saved rows overlaid with tracked changes).</summary>
    private async Task<int> ActiveItemCountAsync(AdjustmentRecord record, CancellationToken cancellationToken)
    {
        var active = (await db.Set<AdjustmentItem>().AsNoTracking()
            .Where(i => i.RecordId == record.Id && i.State == AdjustmentItemState.Active)
            .Select(i => i.Id)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in db.ChangeTracker.Entries<AdjustmentItem>().Where(e => e.Entity.RecordId == record.Id))
        {
            if (entry.Entity.State == AdjustmentItemState.Active)
            {
                active.Add(entry.Entity.Id);
            }
            else
            {
                active.Remove(entry.Entity.Id);
            }
        }

        return active.Count;
    }
}
