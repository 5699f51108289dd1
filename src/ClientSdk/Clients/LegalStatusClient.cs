using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Legal status episodes: the provision of the Mental Health Act a patient is held under, from start to end
/// (mharights.v1.LegalStatusService). Every change opens, supersedes or closes the statutory rights duties that
/// follow from it. Get it from <see cref="MhaRightsClient.LegalStatus"/>.
/// </summary>
public class LegalStatusClient
{
    private readonly CallPipeline _pipeline;
    private readonly LegalStatusService.LegalStatusServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="LegalStatusClient"/> class for mocking.</summary>
    protected LegalStatusClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal LegalStatusClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new LegalStatusService.LegalStatusServiceClient(invoker);
    }

    /// <summary>
    /// Starts a new episode (detention starts, CTO made, guardianship...) for a patient who has no active episode,
    /// opening the rights duties that follow from it. <c>FAILED_PRECONDITION</c> when the patient already has an active
    /// episode: use <see cref="ChangeProvisionAsync(ChangeProvisionRequest, CancellationToken)"/>.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> StartEpisodeAsync(StartEpisodeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.StartEpisode", request, _grpc.StartEpisodeAsync, cancellationToken);

    /// <summary>
    /// Starts a new episode for a patient who has no active one (admitted under s2, CTO made...), opening the rights
    /// duties that follow from it. <c>FAILED_PRECONDITION</c> when the patient already has an active episode: use
    /// <see cref="ChangeProvisionAsync(string, Provision, DateTimeOffset, string?, Provision, string?, string?, CancellationToken)"/>.
    /// A retry never starts a second episode.
    /// </summary>
    /// <param name="patient">The patient's resource name, <c>patients/{patient}</c>.</param>
    /// <param name="provision">The provision the patient is now held under.</param>
    /// <param name="startTime">When the authority started (e.g. admission for s2, arrival at the place of safety for s136).</param>
    /// <param name="hospital">Hospital responsible (site or trust-local code).</param>
    /// <param name="ward">Ward code, if known.</param>
    /// <param name="suspendedProvision">For a CTO only: the section it suspends (<see cref="Provision.Section3"/> or <see cref="Provision.Section37"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new episode, with its expiry and legal calendar.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> StartEpisodeAsync(
        string patient,
        Provision provision,
        DateTimeOffset startTime,
        string hospital,
        string? ward = null,
        Provision suspendedProvision = Provision.Unspecified,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(hospital);
        return StartEpisodeAsync(
            new StartEpisodeRequest
            {
                Parent = patient,
                Episode = new LegalStatusEpisode
                {
                    Provision = provision,
                    SuspendedProvision = suspendedProvision,
                    StartTime = Timestamp.FromDateTimeOffset(startTime),
                    Hospital = hospital,
                    Ward = ward ?? string.Empty,
                },
            },
            cancellationToken);
    }

    /// <summary>
    /// Replaces the active episode with a new provision (s2 to s3, s136 to s2...), superseding the old duties and
    /// opening the new ones. A retry never records the change twice.
    /// </summary>
    /// <param name="episode">The active episode's resource name, <c>patients/{patient}/episodes/{episode}</c>.</param>
    /// <param name="provision">The new provision; must differ from the current one.</param>
    /// <param name="changeTime">When the new authority started; not before the current episode's start.</param>
    /// <param name="etag">The current episode's etag, to fail with <c>ABORTED</c> rather than overwrite a change made meanwhile; <see langword="null"/> to skip the check.</param>
    /// <param name="suspendedProvision">For a new CTO only: the section it suspends.</param>
    /// <param name="hospital">Hospital of the new episode; <see langword="null"/> keeps the current one.</param>
    /// <param name="ward">Ward of the new episode; <see langword="null"/> keeps the current one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ended episode and the one now in force.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ChangeProvisionResponse> ChangeProvisionAsync(
        string episode,
        Provision provision,
        DateTimeOffset changeTime,
        string? etag = null,
        Provision suspendedProvision = Provision.Unspecified,
        string? hospital = null,
        string? ward = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return ChangeProvisionAsync(
            new ChangeProvisionRequest
            {
                Name = episode,
                Provision = provision,
                SuspendedProvision = suspendedProvision,
                ChangeTime = Timestamp.FromDateTimeOffset(changeTime),
                Etag = etag ?? string.Empty,
                Hospital = hospital ?? string.Empty,
                Ward = ward ?? string.Empty,
            },
            cancellationToken);
    }

    /// <summary>
    /// Returns one episode; <c>NOT_FOUND</c> when absent.
    /// </summary>
    /// <param name="request">The request naming the episode.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> GetEpisodeAsync(GetEpisodeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("LegalStatusService.GetEpisode", request, _grpc.GetEpisodeAsync, cancellationToken);

    /// <summary>
    /// Returns one episode; <c>NOT_FOUND</c> when absent.
    /// </summary>
    /// <param name="name">The episode's resource name, <c>patients/{patient}/episodes/{episode}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> GetEpisodeAsync(string name, CancellationToken cancellationToken = default) =>
        GetEpisodeAsync(new GetEpisodeRequest { Name = name ?? throw new ArgumentNullException(nameof(name)) }, cancellationToken);

    /// <summary>
    /// Lists a patient's episodes, newest first.
    /// </summary>
    /// <param name="request">The patient (<c>parent</c>) and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The episodes, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<LegalStatusEpisode> ListEpisodesAsync(ListEpisodesRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("LegalStatusService.ListEpisodes", request, _grpc.ListEpisodesAsync, r => r.Episodes, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Changes the provision (s5(2) to s2, s136 to s2, s2 to s3, s38 to s37...): the episode ends as SUPERSEDED and the
    /// next one opens, linked both ways.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The previous and the current episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ChangeProvisionResponse> ChangeProvisionAsync(ChangeProvisionRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.ChangeProvision", request, _grpc.ChangeProvisionAsync, cancellationToken);

    /// <summary>
    /// Renews a detention (s20) or extends a CTO (s20A); the expiry moves by the provision's renewal period.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> RenewEpisodeAsync(RenewEpisodeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.RenewEpisode", request, _grpc.RenewEpisodeAsync, cancellationToken);

    /// <summary>
    /// Transfers the patient to another hospital (s19) while the provision continues.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The episode after the transfer.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> TransferEpisodeAsync(TransferEpisodeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.TransferEpisode", request, _grpc.TransferEpisodeAsync, cancellationToken);

    /// <summary>
    /// Recalls a CTO patient to hospital (s17E): the CTO episode becomes RECALLED and a linked recall episode (at most
    /// 72 hours) starts.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The CTO episode and the recall episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ChangeProvisionResponse> RecallCommunityPatientAsync(RecallCommunityPatientRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.RecallCommunityPatient", request, _grpc.RecallCommunityPatientAsync, cancellationToken);

    /// <summary>
    /// Releases a recalled patient back onto the CTO: the recall episode ends and the CTO is ACTIVE again.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ended recall episode and the CTO episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ChangeProvisionResponse> ReleaseFromRecallAsync(ReleaseFromRecallRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.ReleaseFromRecall", request, _grpc.ReleaseFromRecallAsync, cancellationToken);

    /// <summary>
    /// Revokes a CTO (s17F): the CTO and any recall episode end and a detention episode under the suspended provision
    /// (s3 or s37) starts.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ended episode and the new detention episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<ChangeProvisionResponse> RevokeCommunityTreatmentOrderAsync(RevokeCommunityTreatmentOrderRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.RevokeCommunityTreatmentOrder", request, _grpc.RevokeCommunityTreatmentOrderAsync, cancellationToken);

    /// <summary>
    /// Records a planned discharge. Unless ordered by the nearest relative or opted out, this opens a s133
    /// discharge-notice duty due 7 days before the planned time.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The episode with the planned discharge time.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> PlanDischargeAsync(PlanDischargeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.PlanDischarge", request, _grpc.PlanDischargeAsync, cancellationToken);

    /// <summary>
    /// Ends an episode without a successor (discharge, expiry, lapse, death...). Open duties are closed.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ended episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> EndEpisodeAsync(EndEpisodeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.EndEpisode", request, _grpc.EndEpisodeAsync, cancellationToken);

    /// <summary>
    /// Records the first administration of medication for mental disorder in this period of detention, which starts the
    /// Part 4 three-month clock (s58) and its re-explanation trigger.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once; send the resource's <c>etag</c> to detect lost updates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> RecordMedicationStartAsync(RecordMedicationStartRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.RecordMedicationStart", request, _grpc.RecordMedicationStartAsync, cancellationToken);
}
