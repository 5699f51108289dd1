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
    /// episode: use <see cref="ChangeProvisionAsync"/>.
    /// </summary>
    /// <param name="request">The request. <c>request_id</c> is generated when empty and reused on every retry, so the change is applied at most once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new episode.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<LegalStatusEpisode> StartEpisodeAsync(StartEpisodeRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.WriteAsync("LegalStatusService.StartEpisode", request, _grpc.StartEpisodeAsync, cancellationToken);

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
