using Grpc.Core;
using MhaRights.Client.Internal;
using MhaRights.Contracts.V1;

namespace MhaRights.Client;

/// <summary>
/// Introspection of the state machines behind the API, so people and tools can see the rules
/// (mharights.v1.WorkflowService). Get it from <see cref="MhaRightsClient.Workflows"/>.
/// </summary>
public class WorkflowsClient
{
    private readonly CallPipeline _pipeline;
    private readonly WorkflowService.WorkflowServiceClient _grpc;

    /// <summary>Initializes a new instance of the <see cref="WorkflowsClient"/> class for mocking.</summary>
    protected WorkflowsClient()
    {
        _pipeline = null!;
        _grpc = null!;
    }

    internal WorkflowsClient(CallPipeline pipeline, CallInvoker invoker)
    {
        _pipeline = pipeline;
        _grpc = new WorkflowService.WorkflowServiceClient(invoker);
    }

    /// <summary>
    /// Returns a workflow's state graph (states, triggers, guards) as Mermaid or Graphviz DOT;
    /// <c>available_workflows</c> lists the workflow ids.
    /// </summary>
    /// <param name="request">The workflow id and format.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rendered graph.</returns>
    /// <exception cref="MhaRightsException">The service refused the request or could not be reached.</exception>
    public virtual Task<WorkflowGraph> GetWorkflowGraphAsync(GetWorkflowGraphRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.ReadAsync("WorkflowService.GetWorkflowGraph", request, _grpc.GetWorkflowGraphAsync, cancellationToken);
}
