using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using Microsoft.EntityFrameworkCore;
using Entity = MhaRights.Server.LegalStatus;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.LegalStatusService: validates requests, then runs the legal status lifecycle in one unit of work.</summary>
public sealed class LegalStatusApi(
    MhaRightsDbContext db,
    UnitOfWork unitOfWork,
    PatientDirectory patients,
    LegalStatusLifecycle lifecycle,
    RightsLifecycle rights,
    TimeProvider time) : LegalStatusService.LegalStatusServiceBase
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override Task<Contracts.V1.LegalStatusEpisode> StartEpisode(StartEpisodeRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("parent", request.Parent);
        var e = request.Episode ?? throw new ValidationFailedException("episode", "is required");
        var v = new RequestValidator();
        var (provision, suspended, start) = ValidateStart(v, e, Now);
        v.ThrowIfInvalid();

        return unitOfWork.ExecuteAsync<Contracts.V1.LegalStatusEpisode>(nameof(StartEpisode), request.RequestId, request, async ct =>
        {
            var patient = await patients.GetAsync(patientId, ct);
            var episode = await lifecycle.StartAsync(patient, provision, suspended, e.Hospital, RequestValidator.OrNull(e.Ward), start!.Value, ct);
            return () => ToProto(episode, patient);
        }, context.CancellationToken);
    }

    public override async Task<Contracts.V1.LegalStatusEpisode> GetEpisode(GetEpisodeRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var episode = await FindAsync(patientId, episodeId, tracked: false, context.CancellationToken);
        return ToProto(episode, await patients.GetAsync(patientId, context.CancellationToken));
    }

    public override async Task<ListEpisodesResponse> ListEpisodes(ListEpisodesRequest request, ServerCallContext context)
    {
        var patientId = ResourceNames.ParsePatient("parent", request.Parent);
        var size = PageTokens.Size(request.PageSize);
        var fingerprint = request.Parent;
        var token = PageTokens.DecodeTimeAndId(request.PageToken, fingerprint);
        var patient = await patients.GetAsync(patientId, context.CancellationToken);
        var query = db.Episodes.AsNoTracking().Where(e => e.PatientId == patientId);
        if (token is { } position)
        {
            var (time, id) = position;
            query = query.Where(e => e.StartTime < time || (e.StartTime == time && string.Compare(e.Id, id) < 0));
        }

        var page = await query.OrderByDescending(e => e.StartTime).ThenByDescending(e => e.Id).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListEpisodesResponse();
        response.Episodes.AddRange(page.Take(size).Select(e => ToProto(e, patient)));
        if (page.Count > size)
        {
            var last = page[size - 1];
            response.NextPageToken = PageTokens.EncodeTimeAndId(fingerprint, last.StartTime, last.Id);
        }

        return response;
    }

    public override Task<ChangeProvisionResponse> ChangeProvision(ChangeProvisionRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var provision = v.Capture(() => EnumMaps.Provision("provision", request.Provision));
        var suspended = v.Capture(() => EnumMaps.OptionalProvision("suspended_provision", request.SuspendedProvision));
        v.OptionalCode("hospital", request.Hospital, 64);
        v.OptionalCode("ward", request.Ward, 64);
        var at = v.PastTimestamp("change_time", request.ChangeTime, Now);
        v.ThrowIfInvalid();
        return Change<ChangeProvisionResponse>(nameof(ChangeProvision), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, episode, ct) =>
        {
            var (previous, current) = await lifecycle.ChangeProvisionAsync(patient, episode, provision, suspended, RequestValidator.OrNull(request.Hospital), RequestValidator.OrNull(request.Ward), at!.Value, ct);
            return () => new ChangeProvisionResponse { PreviousEpisode = ToProto(previous, patient), CurrentEpisode = ToProto(current, patient) };
        });
    }

    public override Task<Contracts.V1.LegalStatusEpisode> RenewEpisode(RenewEpisodeRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var at = v.PastTimestamp("renewal_time", request.RenewalTime, Now);
        v.ThrowIfInvalid();
        return Change<Contracts.V1.LegalStatusEpisode>(nameof(RenewEpisode), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, episode, ct) =>
        {
            await lifecycle.RenewAsync(patient, episode, at!.Value, ct);
            return () => ToProto(episode, patient);
        });
    }

    public override Task<Contracts.V1.LegalStatusEpisode> TransferEpisode(TransferEpisodeRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        v.Code("hospital", request.Hospital, 64);
        v.OptionalCode("ward", request.Ward, 64);
        var at = v.PastTimestamp("transfer_time", request.TransferTime, Now);
        v.ThrowIfInvalid();
        return Change<Contracts.V1.LegalStatusEpisode>(nameof(TransferEpisode), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, episode, ct) =>
        {
            await lifecycle.TransferAsync(patient, episode, request.Hospital, RequestValidator.OrNull(request.Ward), at!.Value, ct);
            return () => ToProto(episode, patient);
        });
    }

    public override Task<ChangeProvisionResponse> RecallCommunityPatient(RecallCommunityPatientRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        v.Code("hospital", request.Hospital, 64);
        v.OptionalCode("ward", request.Ward, 64);
        var at = v.PastTimestamp("recall_time", request.RecallTime, Now);
        v.ThrowIfInvalid();
        return Change<ChangeProvisionResponse>(nameof(RecallCommunityPatient), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, cto, ct) =>
        {
            var recall = await lifecycle.RecallAsync(patient, cto, request.Hospital, RequestValidator.OrNull(request.Ward), at!.Value, ct);
            return () => new ChangeProvisionResponse { PreviousEpisode = ToProto(cto, patient), CurrentEpisode = ToProto(recall, patient) };
        });
    }

    public override Task<ChangeProvisionResponse> ReleaseFromRecall(ReleaseFromRecallRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var at = v.PastTimestamp("release_time", request.ReleaseTime, Now);
        v.ThrowIfInvalid();
        return Change<ChangeProvisionResponse>(nameof(ReleaseFromRecall), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, recall, ct) =>
        {
            var cto = await lifecycle.ReleaseAsync(patient, recall, at!.Value, ct);
            return () => new ChangeProvisionResponse { PreviousEpisode = ToProto(recall, patient), CurrentEpisode = ToProto(cto, patient) };
        });
    }

    public override Task<ChangeProvisionResponse> RevokeCommunityTreatmentOrder(RevokeCommunityTreatmentOrderRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var at = v.PastTimestamp("revocation_time", request.RevocationTime, Now);
        v.ThrowIfInvalid();
        return Change<ChangeProvisionResponse>(nameof(RevokeCommunityTreatmentOrder), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, recall, ct) =>
        {
            var (_, detention) = await lifecycle.RevokeAsync(patient, recall, at!.Value, ct);
            return () => new ChangeProvisionResponse { PreviousEpisode = ToProto(recall, patient), CurrentEpisode = ToProto(detention, patient) };
        });
    }

    public override Task<Contracts.V1.LegalStatusEpisode> PlanDischarge(PlanDischargeRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var planned = v.Timestamp("planned_discharge_time", request.PlannedDischargeTime, required: true);
        v.ThrowIfInvalid();
        return Change<Contracts.V1.LegalStatusEpisode>(nameof(PlanDischarge), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, episode, ct) =>
        {
            await lifecycle.PlanDischargeAsync(patient, episode, planned!.Value, request.OrderedByNearestRelative, request.NoticeOptedOut, ct);
            return () => ToProto(episode, patient);
        });
    }

    public override Task<Contracts.V1.LegalStatusEpisode> EndEpisode(EndEpisodeRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var (at, reason) = ValidateEnd(v, request.EndTime, request.EndReason, request.EndNote, Now);
        v.ThrowIfInvalid();
        return Change<Contracts.V1.LegalStatusEpisode>(nameof(EndEpisode), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, episode, ct) =>
        {
            await lifecycle.EndAsync(patient, episode, at!.Value, reason, RequestValidator.OrNull(request.EndNote), ct);
            return () => ToProto(episode, patient);
        });
    }

    public override Task<Contracts.V1.LegalStatusEpisode> RecordMedicationStart(RecordMedicationStartRequest request, ServerCallContext context)
    {
        var (patientId, episodeId) = ResourceNames.ParseEpisode("name", request.Name);
        var v = new RequestValidator();
        var at = v.PastTimestamp("first_medication_time", request.FirstMedicationTime, Now);
        v.ThrowIfInvalid();
        return Change<Contracts.V1.LegalStatusEpisode>(nameof(RecordMedicationStart), request.RequestId, request, patientId, episodeId, request.Etag, context, async (patient, episode, ct) =>
        {
            await lifecycle.RecordMedicationStartAsync(patient, episode, at!.Value, ct);
            return () => ToProto(episode, patient);
        });
    }

    /// <summary>The shape every episode change shares: one unit of work, load, etag check, act.</summary>
    private Task<TResponse> Change<TResponse>(
        string method,
        string requestId,
        Google.Protobuf.IMessage request,
        string patientId,
        string episodeId,
        string etag,
        ServerCallContext context,
        Func<Patients.Patient, Entity.LegalStatusEpisode, CancellationToken, Task<Func<TResponse>>> act)
        where TResponse : Google.Protobuf.IMessage<TResponse>, new() =>
        unitOfWork.ExecuteAsync<TResponse>(method, requestId, request, async ct =>
        {
            var patient = await patients.GetAsync(patientId, ct);
            var episode = await FindAsync(patientId, episodeId, tracked: true, ct);
            Etags.Check(ResourceNames.Episode(patientId, episodeId), etag, episode.Version);
            return await act(patient, episode, ct);
        }, context.CancellationToken);

    private async Task<Entity.LegalStatusEpisode> FindAsync(string patientId, string episodeId, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.Episodes : db.Episodes.AsNoTracking();
        return await query.FirstOrDefaultAsync(e => e.Id == episodeId && e.PatientId == patientId, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceNames.Episode(patientId, episodeId));
    }

    /// <summary>The first instant the shipped rule book covers (3 Nov 2008, London).</summary>
    private static readonly DateTime EarliestModelled = Rights.Rules.RightsRuleBook.Default.RuleSets[0].EffectiveFrom.ToDateTimeUtc();

    /// <summary>StartEpisode's checks of the episode fields; shared with the bulk import (Import/).</summary>
    internal static (Rights.Rules.Provision Provision, Rights.Rules.Provision? Suspended, DateTime? Start) ValidateStart(RequestValidator v, Contracts.V1.LegalStatusEpisode e, DateTime now)
    {
        var provision = v.Capture(() => EnumMaps.Provision("episode.provision", e.Provision));
        var suspended = v.Capture(() => EnumMaps.OptionalProvision("episode.suspended_provision", e.SuspendedProvision));
        v.Code("episode.hospital", e.Hospital, 64);
        v.OptionalCode("episode.ward", e.Ward, 64);
        var start = v.PastTimestamp("episode.start_time", e.StartTime, now);
        if (start is { } at && at < EarliestModelled)
        {
            // The rule book starts at the MHA 2007 commencement; older law (no CTO, s132A or IMHA duties) is not
            // modelled, so such a record is refused by name rather than failing inside the rules.
            v.Add("episode.start_time", $"is before {LondonTime.Format(EarliestModelled)}, when the MHA 2007 amendments (CTOs, s132A, IMHA s130A-D) commenced; records of authorities that started under the earlier law cannot be held");
        }

        return (provision, suspended, start);
    }

    /// <summary>EndEpisode's checks of the end fields; shared with the bulk import (Import/).</summary>
    internal static (DateTime? At, EpisodeEndReason Reason) ValidateEnd(
        RequestValidator v, Google.Protobuf.WellKnownTypes.Timestamp? endTime, Contracts.V1.LegalStatusEpisode.Types.EndReason endReason, string? endNote, DateTime now)
    {
        var at = v.PastTimestamp("end_time", endTime, now);
        var reason = v.Capture(() => EnumMaps.Cast<Contracts.V1.LegalStatusEpisode.Types.EndReason, EpisodeEndReason>("end_reason", endReason));
        if (reason is EpisodeEndReason.ProvisionChanged or EpisodeEndReason.CommunityTreatmentOrderRevoked or EpisodeEndReason.ReleasedFromRecall)
        {
            v.Add("end_reason", $"{endReason} is set only by its own method");
        }

        if (reason == EpisodeEndReason.Other && string.IsNullOrWhiteSpace(endNote))
        {
            v.Add("end_note", "is required when end_reason is OTHER");
        }

        v.MaxLength("end_note", endNote, 1000);
        return (at, reason);
    }

    private Contracts.V1.LegalStatusEpisode ToProto(Entity.LegalStatusEpisode episode, Patients.Patient patient) =>
        LegalStatusApiMapping.ToProto(episode, rights.RuleFor(episode.Provision, episode.StartTime), patient.DateOfBirth, Now);
}
