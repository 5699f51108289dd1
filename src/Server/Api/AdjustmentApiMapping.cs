using MhaRights.Server.Adjustments;
using MhaRights.Server.Adjustments.CodeTables;
using MhaRights.Server.Common;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Api;

/// <summary>
/// Request validation and entity ↔ wire mapping of AdjustmentService: every field violation is collected with its
/// proto path before anything is written, and codes are checked against the versioned code tables (§7.4).
/// </summary>
public sealed partial class AdjustmentApiMapping(AdjustmentCodeTables tables)
{
    public const int MaxComment = 2000;
    public const int MaxName = 200;

    public AdjustmentCodeTables Tables => tables;

    /// <summary>An item detail, codes normalised to numeric form with the display from the table.</summary>
    public AdjustmentItemInput? Item(RequestValidator v, string prefix, V1.AdjustmentItem? item)
    {
        if (item is null)
        {
            v.Add(prefix, "is required");
            return null;
        }

        v.MaxLength($"{prefix}.free_text", item.FreeText, MaxComment);
        var freeText = RequestValidator.OrNull(item.FreeText);
        switch (item.DetailCase)
        {
            case V1.AdjustmentItem.DetailOneofCase.Adjustment:
            {
                var a = item.Adjustment;
                if (!Add(v, $"{prefix}.adjustment", tables.ValidateAdjustment(a.CategoryCode, a.SnomedCode, EmptyAsNull(a.BespokeText))))
                {
                    return null;
                }

                var category = tables.FindCategory(a.CategoryCode)!;
                return new AdjustmentItemInput(
                    AdjustmentItemKind.Adjustment, category.Code, a.SnomedCode, tables.GetAdjustmentDisplay(a.SnomedCode)!,
                    RequestValidator.OrNull(a.BespokeText), null, null, null, freeText, tables.GetTableVersion(CodeTableNames.AdjustmentCodes));
            }

            case V1.AdjustmentItem.DetailOneofCase.Impairment:
            {
                var i = item.Impairment;
                var ok = Add(v, $"{prefix}.impairment", tables.ValidateImpairment(i.ImpairmentCode, EmptyAsNull(i.OtherText)));
                ok &= Add(v, $"{prefix}.impairment", tables.ValidateConditionCategory(i.ConditionCategoryCode));
                if (!ok)
                {
                    return null;
                }

                var impairment = tables.FindImpairment(i.ImpairmentCode)!;
                return new AdjustmentItemInput(
                    AdjustmentItemKind.Impairment, null, null, impairment.Display, null, impairment.Code, RequestValidator.OrNull(i.OtherText),
                    ConditionCategory(i.ConditionCategoryCode), freeText, tables.GetTableVersion(CodeTableNames.ImpairmentCodes));
            }

            case V1.AdjustmentItem.DetailOneofCase.UnderlyingCondition:
            {
                var c = item.UnderlyingCondition;
                var ok = Add(v, $"{prefix}.underlying_condition", AdjustmentCodeTables.ValidateUnderlyingCondition(c.SnomedCode, c.SnomedDisplay));
                ok &= Add(v, $"{prefix}.underlying_condition", tables.ValidateConditionCategory(c.ConditionCategoryCode));
                return ok
                    ? new AdjustmentItemInput(
                        AdjustmentItemKind.UnderlyingCondition, null, c.SnomedCode, c.SnomedDisplay.Trim(), null, null, null,
                        ConditionCategory(c.ConditionCategoryCode), freeText, tables.GetTableVersion(CodeTableNames.ConditionCategories))
                    : null;
            }

            default:
                v.Add($"{prefix}.detail", "is required: set exactly one of adjustment, impairment or underlying_condition");
                return null;
        }
    }

    /// <summary>
    /// A removal (§2.3, §7.1): a national reason, a mandatory comment and, for BestInterest only, the decision.
    /// <paramref name="allowError"/> is false on the methods that have a separate "entered in error" RPC.
    /// </summary>
    public AdjustmentRemovalInput? Removal(
        RequestValidator v, string reason, string comment, V1.AdjustmentBestInterestDecision? bestInterest, bool allowError, string prefix = "")
    {
        var ok = Add(v, prefix.Length == 0 ? null : prefix, tables.ValidateRemovalReason(reason));
        if (ok && !allowError && reason == AdjustmentRules.ErrorReason)
        {
            v.Add(prefix + CodeFields.RemovalReasonCode, "must not be Error here: use the MarkEnteredInError method, which records the error as such");
            ok = false;
        }

        v.RequiredText(prefix + "removal_comment", comment, MaxComment);
        var decision = BestInterest(v, prefix + "best_interest_decision", bestInterest, required: reason == AdjustmentRules.BestInterestReason);
        return ok && !string.IsNullOrWhiteSpace(comment) && comment.Length <= MaxComment
            ? new AdjustmentRemovalInput(reason, comment.Trim(), decision?.DecisionMaker, decision?.Summary)
            : null;
    }

    public static AdjustmentRemovalInput? EnteredInError(RequestValidator v, string comment)
    {
        v.RequiredText("removal_comment", comment, MaxComment);
        return string.IsNullOrWhiteSpace(comment) || comment.Length > MaxComment ? null : new AdjustmentRemovalInput(AdjustmentRules.ErrorReason, comment.Trim(), null, null);
    }

    /// <summary>A sharing decision (§3.1, §7.3) with the proxy-role rules of the proto.</summary>
    public SharingDecisionInput? Decision(RequestValidator v, string prefix, V1.AdjustmentSharingDecision? d)
    {
        if (d is null)
        {
            v.Add(prefix, "is required");
            return null;
        }

        var start = v.HasErrors;
        var decision = v.Capture(() => EnumMaps.Cast<V1.AdjustmentSharingDecision.Types.Decision, SharingDecision>($"{prefix}.decision", d.Decision));
        var role = RequestValidator.OrNull(d.ConsentProxyRoleCode);
        var roleField = $"{prefix}.consent_proxy_role_code";
        switch (decision)
        {
            case SharingDecision.NotRequired when role is not null:
                v.Add(roleField, "must be empty when the decision is NOT_REQUIRED");
                break;
            case SharingDecision.Consented or SharingDecision.Declined:
                Add(v, prefix, tables.ValidateConsentProxyRole(d.ConsentProxyRoleCode));
                break;
            case SharingDecision.BestInterestDecision when role is not null && role != AdjustmentRules.BestInterestProxyRole:
                v.Add(roleField, $"must be {AdjustmentRules.BestInterestProxyRole} or empty for BEST_INTEREST_DECISION");
                break;
        }

        if (decision == SharingDecision.BestInterestDecision)
        {
            role = AdjustmentRules.BestInterestProxyRole;
        }

        var representative = role is not null && AdjustmentRules.RepresentativeProxyRoles.Contains(role);
        if (representative)
        {
            v.RequiredText($"{prefix}.representative_name", d.RepresentativeName, MaxName);
        }
        else if (!string.IsNullOrEmpty(d.RepresentativeName))
        {
            v.Add($"{prefix}.representative_name", "is only allowed with consent proxy role 003 or 004");
        }

        v.MaxLength($"{prefix}.representative_relationship", d.RepresentativeRelationship, MaxName);
        var bestInterest = BestInterest(v, $"{prefix}.best_interest_decision", d.BestInterestDecision, required: decision == SharingDecision.BestInterestDecision);
        if (v.HasErrors && !start)
        {
            return null;
        }

        return new SharingDecisionInput(
            decision, role, RequestValidator.OrNull(d.RepresentativeName), RequestValidator.OrNull(d.RepresentativeRelationship),
            bestInterest?.DecisionMaker, bestInterest?.Summary);
    }

    /// <summary>The NHS identity for Provenance (§3.7): SDS ids are 12 digits, job roles "R" + 4 digits, ODS codes 3-10 alphanumerics.</summary>
    public static AdjustmentNhsUser? NhsUser(RequestValidator v, string field, V1.AdjustmentNhsUser? user)
    {
        if (user is null)
        {
            return null;
        }

        var errors = v.HasErrors;
        Pattern(v, $"{field}.sds_user_id", user.SdsUserId, SdsId(), "must be the 12-digit SDS user id");
        Pattern(v, $"{field}.sds_role_profile_id", user.SdsRoleProfileId, SdsId(), "must be the 12-digit SDS role profile id (URPID)");
        Pattern(v, $"{field}.sds_job_role_code", user.SdsJobRoleCode, JobRole(), "must be an SDS job role code: R followed by 4 digits");
        Pattern(v, $"{field}.ods_organization_code", user.OdsOrganizationCode, Ods(), "must be an ODS code: 3-10 letters or digits");
        return v.HasErrors && !errors ? null : new AdjustmentNhsUser
        {
            SdsUserId = user.SdsUserId,
            SdsRoleProfileId = user.SdsRoleProfileId,
            SdsJobRoleCode = user.SdsJobRoleCode,
            OdsOrganizationCode = user.OdsOrganizationCode.ToUpperInvariant(),
        };
    }

    /// <summary>A review date: in the future and at most 3 years ahead (proto).</summary>
    public static DateTime? ReviewTime(RequestValidator v, string field, Google.Protobuf.WellKnownTypes.Timestamp? value, DateTime nowUtc)
    {
        var time = v.Timestamp(field, value, required: false);
        if (time is null)
        {
            return null;
        }

        if (time <= nowUtc)
        {
            v.Add(field, "must be in the future");
        }
        else if (time > AdjustmentPolicy.Horizon(nowUtc))
        {
            v.Add(field, "must be at most 3 years ahead");
        }

        return time;
    }

    public V1.AdjustmentRecord ToProto(AdjustmentRecord r, int activeItems, bool contentVisible, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(r);
        var proto = new V1.AdjustmentRecord
        {
            Name = AdjustmentNames.Record(r.PatientId),
            Patient = ResourceNames.Patient(r.PatientId),
            State = EnumMaps.Same<AdjustmentRecordState, V1.AdjustmentRecord.Types.State>(r.State),
            ContentVisible = contentVisible,
            CreateTime = ProtoMapper.Ts(r.CreateTime),
            UpdateTime = ProtoMapper.Ts(r.UpdateTime),
            Etag = Etags.Format(r.Version),
        };
        if (!contentVisible)
        {
            // §1.1, §3.6 (NCRS B0264): existence and state only.
            return proto;
        }

        proto.SharingState = EnumMaps.Same<AdjustmentSharingState, V1.AdjustmentRecord.Types.SharingState>(r.SharingState);
        proto.ReviewState = EnumMaps.Same<AdjustmentReviewState, V1.AdjustmentRecord.Types.ReviewState>(EffectiveReviewState(r, nowUtc));
        proto.ReviewDueTime = ProtoMapper.Ts(r.ReviewDueTime);
        proto.LastReviewedTime = ProtoMapper.Ts(r.LastReviewed.Time);
        proto.LastReviewedBy = Actor(r.LastReviewed);
        proto.IdentificationSource = EnumMaps.Same<AdjustmentIdentificationSource, V1.AdjustmentRecord.Types.IdentificationSource>(r.IdentificationSource);
        proto.IdentificationNote = r.IdentificationNote ?? string.Empty;
        proto.IdentifiedBy = Actor(r.Identified);
        proto.ActiveItemCount = activeItems;
        if (r.SharingDecision.Decision != SharingDecision.None)
        {
            proto.SharingDecision = ToProto(r.SharingDecision);
        }

        if (r.ThresholdConfirmed.IsSet)
        {
            proto.ThresholdConfirmation = new V1.AdjustmentThresholdConfirmation
            {
                ConfirmTime = ProtoMapper.Ts(r.ThresholdConfirmed.Time),
                ConfirmedBy = Actor(r.ThresholdConfirmed),
                ConfirmedByNhsUser = NhsUser(r.ThresholdConfirmedByNhsUser),
            };
        }

        proto.Removal = Removal(r.Removal);
        var sync = r.NationalSync;
        proto.NationalSync = new V1.AdjustmentNationalSync
        {
            NationalFlagId = sync.NationalFlagId ?? string.Empty,
            LastAttemptTime = ProtoMapper.Ts(sync.LastAttemptTime),
            LastSuccessTime = ProtoMapper.Ts(sync.LastSuccessTime),
            LastRequestId = sync.LastRequestId ?? string.Empty,
            LastOutcomeCode = sync.LastOutcomeCode ?? string.Empty,
            LastOutcomeDiagnostics = sync.LastOutcomeDiagnostics ?? string.Empty,
        };
        return proto;
    }

    public V1.AdjustmentItem ToProto(AdjustmentItem i)
    {
        ArgumentNullException.ThrowIfNull(i);
        var proto = new V1.AdjustmentItem
        {
            Name = AdjustmentNames.Item(i.PatientId, i.Id),
            Kind = EnumMaps.Same<AdjustmentItemKind, V1.AdjustmentItem.Types.Kind>(i.Kind),
            FreeText = i.FreeText ?? string.Empty,
            State = EnumMaps.Same<AdjustmentItemState, V1.AdjustmentItem.Types.State>(i.State),
            Removal = Removal(i.Removal),
            Supersedes = i.SupersedesId is null ? string.Empty : AdjustmentNames.Item(i.PatientId, i.SupersedesId),
            SupersededBy = i.SupersededById is null ? string.Empty : AdjustmentNames.Item(i.PatientId, i.SupersededById),
            RecordedBy = Actor(i.Recorded),
            RecordedByNhsUser = NhsUser(i.RecordedByNhsUser),
            NationalId = i.NationalId ?? string.Empty,
            CreateTime = ProtoMapper.Ts(i.CreateTime),
            UpdateTime = ProtoMapper.Ts(i.UpdateTime),
            Etag = Etags.Format(i.Version),
        };
        switch (i.Kind)
        {
            case AdjustmentItemKind.Adjustment:
                proto.Adjustment = new V1.AdjustmentDetail
                {
                    CategoryCode = i.CategoryCode ?? string.Empty,
                    CategoryDisplay = tables.GetCategoryDisplay(i.CategoryCode) ?? string.Empty,
                    SnomedCode = i.SnomedCode ?? string.Empty,
                    SnomedDisplay = i.Display ?? string.Empty,
                    BespokeText = i.BespokeText ?? string.Empty,
                };
                break;
            case AdjustmentItemKind.Impairment:
                proto.Impairment = new V1.ImpairmentDetail
                {
                    ImpairmentCode = i.ImpairmentCode ?? string.Empty,
                    ImpairmentDisplay = i.Display ?? string.Empty,
                    OtherText = i.OtherText ?? string.Empty,
                    ConditionCategoryCode = i.ConditionCategoryCode ?? string.Empty,
                };
                break;
            default:
                proto.UnderlyingCondition = new V1.UnderlyingConditionDetail
                {
                    SnomedCode = i.SnomedCode ?? string.Empty,
                    SnomedDisplay = i.Display ?? string.Empty,
                    ConditionCategoryCode = i.ConditionCategoryCode ?? string.Empty,
                };
                break;
        }

        return proto;
    }

    /// <summary>The stored review state, or REVIEW_DUE once the date has passed and the sweep has not yet run.</summary>
    public static AdjustmentReviewState EffectiveReviewState(AdjustmentRecord r, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.ReviewState == AdjustmentReviewState.Reviewed && r.ReviewDueTime <= nowUtc ? AdjustmentReviewState.ReviewDue : r.ReviewState;
    }

    private V1.AdjustmentSharingDecision ToProto(AdjustmentSharingDecision d) => new()
    {
        Decision = EnumMaps.Same<SharingDecision, V1.AdjustmentSharingDecision.Types.Decision>(d.Decision),
        ConsentProxyRoleCode = d.ConsentProxyRoleCode ?? string.Empty,
        ConsentProxyRoleDisplay = tables.GetConsentProxyRoleDisplay(d.ConsentProxyRoleCode) ?? string.Empty,
        RepresentativeName = d.RepresentativeName ?? string.Empty,
        RepresentativeRelationship = d.RepresentativeRelationship ?? string.Empty,
        BestInterestDecision = BestInterest(d.BestInterest),
        LocalSnomedCode = AdjustmentRules.DecisionAnchorKey.TryGetValue(d.Decision, out var key) ? tables.GetAnchorCode(key).Code : string.Empty,
        RecordedBy = Actor(d.Recorded),
        RecordTime = ProtoMapper.Ts(d.Recorded.Time),
    };

    private V1.AdjustmentRemoval? Removal(AdjustmentRemoval r) => !r.IsSet ? null : new V1.AdjustmentRemoval
    {
        RemovalReasonCode = r.ReasonCode,
        RemovalReasonDisplay = tables.GetRemovalReasonDisplay(r.ReasonCode) ?? string.Empty,
        RemovalComment = r.Comment ?? string.Empty,
        BestInterestDecision = BestInterest(r.BestInterest),
        RemovedBy = Actor(r.By),
        RemoveTime = ProtoMapper.Ts(r.By.Time),
    };

    private static V1.AdjustmentBestInterestDecision? BestInterest(AdjustmentBestInterest b) =>
        !b.IsSet ? null : new V1.AdjustmentBestInterestDecision { DecisionMaker = b.DecisionMaker, Summary = b.Summary ?? string.Empty };

    private static V1.Actor? Actor(AdjustmentActor a) =>
        !a.IsSet ? null : new V1.Actor { Principal = a.Principal ?? string.Empty, Role = a.Role ?? string.Empty, DisplayName = a.DisplayName ?? string.Empty };

    private static V1.AdjustmentNhsUser? NhsUser(AdjustmentNhsUser u) => !u.IsSet ? null : new V1.AdjustmentNhsUser
    {
        SdsUserId = u.SdsUserId,
        SdsRoleProfileId = u.SdsRoleProfileId ?? string.Empty,
        SdsJobRoleCode = u.SdsJobRoleCode ?? string.Empty,
        OdsOrganizationCode = u.OdsOrganizationCode ?? string.Empty,
    };

    private static AdjustmentBestInterest? BestInterest(RequestValidator v, string field, V1.AdjustmentBestInterestDecision? decision, bool required)
    {
        if (decision is null)
        {
            if (required)
            {
                v.Add(field, "is required: name the decision maker and summarise the best-interest decision (Mental Capacity Act 2005)");
            }

            return null;
        }

        if (!required)
        {
            v.Add(field, "must be empty unless the decision or removal reason is a best-interest one");
            return null;
        }

        v.RequiredText($"{field}.decision_maker", decision.DecisionMaker, MaxName);
        v.RequiredText($"{field}.summary", decision.Summary, MaxComment);
        return new AdjustmentBestInterest { DecisionMaker = decision.DecisionMaker.Trim(), Summary = decision.Summary.Trim() };
    }

    private string ConditionCategory(string? code) => string.IsNullOrEmpty(code) ? tables.DefaultConditionCategory.Code : code;

    private static string? EmptyAsNull(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Adds code-table violations under <paramref name="prefix"/>; true when there were none.</summary>
    private static bool Add(RequestValidator v, string? prefix, CodeValidationResult result)
    {
        var prefixed = prefix is null ? result : result.WithFieldPrefix(prefix);
        foreach (var violation in prefixed.Violations)
        {
            v.Add(violation.Field, violation.Description);
        }

        return result.IsValid;
    }

    private static void Pattern(RequestValidator v, string field, string? value, System.Text.RegularExpressions.Regex pattern, string description)
    {
        if (v.Required(field, value) && !pattern.IsMatch(value!))
        {
            v.Add(field, description);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{12}$")]
    private static partial System.Text.RegularExpressions.Regex SdsId();

    [System.Text.RegularExpressions.GeneratedRegex("^R[0-9]{4}$")]
    private static partial System.Text.RegularExpressions.Regex JobRole();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9]{3,10}$")]
    private static partial System.Text.RegularExpressions.Regex Ods();
}
