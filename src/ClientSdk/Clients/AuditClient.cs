using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Read-only access to the audit trail: one append-only, hash-chained event per change (mharights.v1.AuditService).
/// Get it from <see cref="MhaRightsClient.Audit"/>.
/// </summary>
public class AuditClient
{
    private readonly CallPipeline _pipeline;
    private readonly AuditService.AuditServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="AuditClient"/> class for mocking.</summary>
    protected AuditClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal AuditClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new AuditService.AuditServiceClient(invoker);
    }

    /// <summary>
    /// Lists audit events, oldest first, for a resource subtree and/or a period.
    /// </summary>
    /// <param name="request">Resource prefix, period and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<AuditEvent> ListAuditEventsAsync(ListAuditEventsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("AuditService.ListAuditEvents", request, _grpc.ListAuditEventsAsync, r => r.Events, r => r.NextPageToken, cancellationToken);

    /// <summary>
    /// Walks the audit hash chain and reports the first event that was edited, removed or reordered.
    /// </summary>
    /// <param name="request">The (empty) request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the chain verifies, and the first problem if not.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<VerifyAuditChainResponse> VerifyAuditChainAsync(VerifyAuditChainRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("AuditService.VerifyAuditChain", request, _grpc.VerifyAuditChainAsync, cancellationToken);

    /// <summary>Walks the audit hash chain and reports the first event that was edited, removed or reordered.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the chain verifies, and the first problem if not.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<VerifyAuditChainResponse> VerifyAuditChainAsync(CancellationToken cancellationToken = default) =>
        VerifyAuditChainAsync(new VerifyAuditChainRequest(), cancellationToken);

    /// <summary>
    /// Has the server write a signed checkpoint of the verified chain head to its checkpoint log and returns it;
    /// keep <see cref="AuditCheckpoint.Line"/> outside the server and pass it back to
    /// <see cref="VerifyAuditChainAsync(VerifyAuditChainRequest, CancellationToken)"/> to detect deletions.
    /// </summary>
    /// <param name="request">The (empty) request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The newest checkpoint.</returns>
    /// <exception cref="MhaRightsException">The service refused the request (FAILED_PRECONDITION when the chain does
    /// not verify since the last checkpoint) or could not be reached.</exception>
    public virtual Task<AuditCheckpoint> CreateAuditCheckpointAsync(CreateAuditCheckpointRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("AuditService.CreateAuditCheckpoint", request, _grpc.CreateAuditCheckpointAsync, cancellationToken);

    /// <summary>Writes and returns a signed checkpoint of the verified chain head (see the overload).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The newest checkpoint.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<AuditCheckpoint> CreateAuditCheckpointAsync(CancellationToken cancellationToken = default) =>
        CreateAuditCheckpointAsync(new CreateAuditCheckpointRequest(), cancellationToken);
}
