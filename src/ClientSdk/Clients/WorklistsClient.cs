using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// MHA-office worklists of duties needing action (mharights.v1.RightsService.ListWorklistItems). Get it from
/// <see cref="MhaRightsClient.Worklists"/>.
/// </summary>
public class WorklistsClient
{
    private readonly CallPipeline _pipeline;
    private readonly RightsService.RightsServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="WorklistsClient"/> class for mocking.</summary>
    protected WorklistsClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal WorklistsClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new RightsService.RightsServiceClient(invoker);
    }

    /// <summary>
    /// Lists one MHA-office worklist (explanations due or overdue, re-attempts, reminders, nearest-relative copies,
    /// discharge notices), optionally for one hospital or ward, most urgent first.
    /// </summary>
    /// <param name="request">The worklist kind, hospital and ward filters and page size; page tokens are followed for you.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The worklist rows, fetched page by page as they are enumerated.</returns>
    public virtual AsyncPageable<WorklistItem> ListWorklistItemsAsync(ListWorklistItemsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.List("RightsService.ListWorklistItems", request, _grpc.ListWorklistItemsAsync, r => r.Items, r => r.NextPageToken, cancellationToken);
}
