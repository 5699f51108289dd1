using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Workflow;
using V1 = MhaRights.Contracts.V1;

namespace MhaRights.Server.Api;

/// <summary>Entities to wire messages. Times go out as UTC timestamps plus a Europe/London string for people.</summary>
public static class ProtoMapper
{
    public static Timestamp? Ts(DateTime? value) =>
        value is null ? null : Timestamp.FromDateTime(DateTime.SpecifyKind(value.Value, DateTimeKind.Utc));

    public static V1.Patient ToProto(Patient p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var proto = new V1.Patient
        {
            Name = ResourceNames.Patient(p.Id),
            LocalId = p.LocalId,
            NhsNumber = p.NhsNumber ?? string.Empty,
            GivenName = p.GivenName ?? string.Empty,
            FamilyName = p.FamilyName ?? string.Empty,
            Sex = EnumMaps.Same<PatientSex, V1.Sex>(p.Sex),
            EthnicCategory = p.EthnicCategory ?? string.Empty,
            PreferredLanguage = p.PreferredLanguage ?? string.Empty,
            InterpreterNeeded = p.InterpreterNeeded,
            Hospital = p.Hospital ?? string.Empty,
            Ward = p.Ward ?? string.Empty,
            NearestRelative = new V1.NearestRelative
            {
                Status = EnumMaps.Same<NearestRelativeStatus, V1.NearestRelative.Types.Status>(p.NearestRelativeStatus),
                FullName = p.NearestRelativeName ?? string.Empty,
                Relationship = p.NearestRelativeRelationship ?? string.Empty,
                Address = p.NearestRelativeAddress ?? string.Empty,
                Contact = p.NearestRelativeContact ?? string.Empty,
            },
            Etag = Etags.Format(p.Version),
            CreateTime = Ts(p.CreateTime),
            UpdateTime = Ts(p.UpdateTime),
            NearestRelativeCopyAskedTime = Ts(p.NearestRelativeCopyAskedTime),
            ObjectsToNearestRelativeCopy = p.ObjectsToNearestRelativeCopy,
        };
        if (p.DateOfBirth is { } dob)
        {
            proto.DateOfBirth = new Google.Type.Date { Year = dob.Year, Month = dob.Month, Day = dob.Day };
        }

        return proto;
    }

    public static V1.LegalStatusEpisode ToProto(LegalStatusEpisode e, Rights.Rules.ProvisionRule rule)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(rule);
        return new V1.LegalStatusEpisode
        {
            Name = ResourceNames.Episode(e.PatientId, e.Id),
            Provision = EnumMaps.ToWire(e.Provision),
            LegalStatusCode = rule.DataDictionaryCode ?? string.Empty,
            SuspendedProvision = EnumMaps.ToWire(e.SuspendedProvision),
            State = EnumMaps.Same<EpisodeState, V1.LegalStatusEpisode.Types.State>(e.State),
            Hospital = e.Hospital,
            Ward = e.Ward ?? string.Empty,
            StartTime = Ts(e.StartTime),
            ExpiryTime = Ts(e.ExpiryTime),
            RenewalCount = e.RenewalCount,
            EndTime = Ts(e.EndTime),
            EndReason = EnumMaps.Same<EpisodeEndReason, V1.LegalStatusEpisode.Types.EndReason>(e.EndReason),
            EndNote = e.EndNote ?? string.Empty,
            PreviousEpisode = e.PreviousEpisodeId is null ? string.Empty : ResourceNames.Episode(e.PatientId, e.PreviousEpisodeId),
            NextEpisode = e.NextEpisodeId is null ? string.Empty : ResourceNames.Episode(e.PatientId, e.NextEpisodeId),
            ParentEpisode = e.ParentEpisodeId is null ? string.Empty : ResourceNames.Episode(e.PatientId, e.ParentEpisodeId),
            PlannedDischargeTime = Ts(e.PlannedDischargeTime),
            FirstMedicationTime = Ts(e.FirstMedicationTime),
            Part3 = rule.IsPart3,
            Restricted = rule.IsRestricted,
            StartTimeLocal = LondonTime.Format(e.StartTime),
            ExpiryTimeLocal = LondonTime.Format(e.ExpiryTime),
            Etag = Etags.Format(e.Version),
            CreateTime = Ts(e.CreateTime),
            UpdateTime = Ts(e.UpdateTime),
        };
    }

    public static V1.RightsDuty ToProto(RightsDuty d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var proto = new V1.RightsDuty
        {
            Name = ResourceNames.Duty(d.PatientId, d.Id),
            Kind = EnumMaps.Same<DutyKind, V1.DutyKind>(d.Kind),
            State = EnumMaps.Same<DutyState, V1.RightsDuty.Types.State>(d.State),
            Trigger = EnumMaps.Same<DutyTrigger, V1.DutyTrigger>(d.Trigger),
            LastTrigger = EnumMaps.Same<DutyTrigger, V1.DutyTrigger>(d.LastTrigger),
            Episode = ResourceNames.Episode(d.PatientId, d.EpisodeId),
            Provision = EnumMaps.ToWire(d.Provision),
            Hospital = d.Hospital,
            Ward = d.Ward ?? string.Empty,
            OpenTime = Ts(d.OpenTime),
            DueTime = Ts(d.DueTime),
            NextAttemptTime = Ts(d.NextAttemptTime),
            NextReminderTime = Ts(d.NextReminderTime),
            FirstAttemptTime = Ts(d.FirstAttemptTime),
            UnderstoodTime = Ts(d.UnderstoodTime),
            ResolvedTime = Ts(d.ResolvedTime),
            ResolutionNote = d.ResolutionNote ?? string.Empty,
            AttemptCount = d.AttemptCount,
            SupersededBy = d.SupersededById is null ? string.Empty : ResourceNames.Duty(d.PatientId, d.SupersededById),
            AuthorityLapseTime = Ts(d.AuthorityLapsedTime),
            DueTimeLocal = LondonTime.Format(d.DueTime),
            Etag = Etags.Format(d.Version),
            UpdateTime = Ts(d.UpdateTime),
            OralGivenTime = Ts(d.OralGivenTime),
            WrittenGivenTime = Ts(d.WrittenGivenTime),
        };
        proto.PermittedActions.AddRange(PermittedActions(d));
        if (DutyWorkflow.IsOpen(d.State))
        {
            var outstanding = Section132_3.Outstanding(d);
            if (outstanding.HasFlag(OutstandingInformation.Oral))
            {
                proto.OutstandingInformation.Add(V1.InformationMode.Oral);
            }

            if (outstanding.HasFlag(OutstandingInformation.Written))
            {
                proto.OutstandingInformation.Add(V1.InformationMode.Written);
            }
        }

        return proto;
    }

    public static V1.ExplanationAttempt ToProto(ExplanationAttempt a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var proto = new V1.ExplanationAttempt
        {
            Name = ResourceNames.Attempt(a.PatientId, a.DutyId, a.Id),
            AttemptTime = Ts(a.AttemptTime),
            ExplainedBy = a.ExplainedBy,
            ExplainedByRole = a.ExplainedByRole,
            Provision = EnumMaps.ToWire(a.Provision),
            Trigger = EnumMaps.Same<DutyTrigger, V1.DutyTrigger>(a.Trigger),
            OralGiven = a.OralGiven,
            WrittenGiven = a.WrittenGiven,
            LeafletId = a.LeafletId ?? string.Empty,
            LeafletVersion = a.LeafletVersion ?? string.Empty,
            LeafletLanguage = a.LeafletLanguage ?? string.Empty,
            InterpreterUsed = a.InterpreterUsed,
            AccessibleFormat = a.AccessibleFormat ?? string.Empty,
            Outcome = EnumMaps.Same<AttemptOutcome, V1.AttemptOutcome>(a.Outcome),
            CapacityNote = a.CapacityNote ?? string.Empty,
            ImhaInformationGiven = a.ImhaInformationGiven,
            NearestRelativeSharing = EnumMaps.Same<NearestRelativeSharing, V1.NearestRelativeSharing>(a.NearestRelativeSharing),
            NextAttemptTime = Ts(a.NextAttemptTime),
            Note = a.Note ?? string.Empty,
            State = EnumMaps.Same<AttemptState, V1.ExplanationAttempt.Types.State>(a.State),
            Corrects = a.CorrectsId is null ? string.Empty : ResourceNames.Attempt(a.PatientId, a.DutyId, a.CorrectsId),
            CorrectedBy = a.CorrectedById is null ? string.Empty : ResourceNames.Attempt(a.PatientId, a.DutyId, a.CorrectedById),
            VoidReason = a.VoidReason ?? string.Empty,
            RecordedBy = new V1.Actor { Principal = a.RecordedByPrincipal, Role = a.RecordedByRole, DisplayName = a.RecordedByDisplayName ?? string.Empty },
            CreateTime = Ts(a.CreateTime),
            AttemptTimeLocal = LondonTime.Format(a.AttemptTime),
            Etag = Etags.Format(a.Version),
        };
        if (a.CommunicationNeedsJson is not null)
        {
            foreach (var need in JsonSerializer.Deserialize<List<CommunicationNeedResult>>(a.CommunicationNeedsJson) ?? [])
            {
                proto.CommunicationNeeds.Add(new V1.CommunicationNeedResponse { CategoryCode = need.CategoryCode, Met = need.Met, Detail = need.Detail });
            }
        }

        return proto;
    }

    public static V1.AuditEvent ToProto(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new V1.AuditEvent
        {
            Name = ResourceNames.AuditEvent(e.Sequence),
            Sequence = e.Sequence,
            EventTime = Ts(e.EventTime),
            Actor = new V1.Actor { Principal = e.ActorPrincipal, Role = e.ActorRole, DisplayName = e.ActorDisplayName ?? string.Empty },
            Action = e.Action,
            Resource = e.Resource,
            Patient = e.PatientId is null ? string.Empty : ResourceNames.Patient(e.PatientId),
            FromState = e.FromState ?? string.Empty,
            ToState = e.ToState ?? string.Empty,
            Trigger = e.Trigger ?? string.Empty,
            Reason = e.Reason ?? string.Empty,
            RequestId = e.RequestId ?? string.Empty,
            DetailsJson = e.DetailsJson ?? string.Empty,
            Hash = e.Hash,
            EventTimeLocal = LondonTime.Format(e.EventTime),
        };
    }

    /// <summary>The RPCs a caller may use on this duty now, from the workflow's permitted triggers.</summary>
    private static IEnumerable<string> PermittedActions(RightsDuty d)
    {
        if (DutyRules.IsNotice(d.Kind))
        {
            return NoticeWorkflow.IsOpen(d.State)
                ? ["RecordNoticeSent", "RecordNoticeNotRequired", "MarkDutyNotApplicable"]
                : d.State == DutyState.Missed ? ["RecordNoticeSent"]
                : [];
        }

        return DutyWorkflow.IsOpen(d.State)
            ? ["RecordExplanationAttempt", "MarkDutyNotApplicable"]
            : [];
    }
}
