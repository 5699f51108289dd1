using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Workflow;
using Stateless.Graph;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.WorkflowService: the state machines as Mermaid or DOT.</summary>
public sealed class WorkflowApi : WorkflowService.WorkflowServiceBase
{
    public override Task<WorkflowGraph> GetWorkflowGraph(GetWorkflowGraphRequest request, ServerCallContext context)
    {
        var v = new RequestValidator();
        if (v.Required("workflow", request.Workflow) && !WorkflowCatalog.Workflows.ContainsKey(request.Workflow))
        {
            v.Add("workflow", $"must be one of {string.Join(", ", WorkflowCatalog.Workflows.Keys)}");
        }

        v.DefinedEnum("format", request.Format);
        v.ThrowIfInvalid();
        var info = WorkflowCatalog.Workflows[request.Workflow]();
        var graph = new WorkflowGraph
        {
            Workflow = request.Workflow,
            Format = request.Format,
            Text = request.Format == GraphFormat.Dot ? UmlDotGraph.Format(info) : MermaidGraph.Format(info),
        };
        graph.AvailableWorkflows.AddRange(WorkflowCatalog.Workflows.Keys);
        return Task.FromResult(graph);
    }
}
