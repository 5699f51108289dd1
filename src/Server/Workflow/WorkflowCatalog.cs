using Stateless.Reflection;

namespace MhaRights.Server.Workflow;

/// <summary>Every workflow by its public id, for GetWorkflowGraph, the CLI, docs/workflows.md and the definition check.</summary>
public static class WorkflowCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<StateMachineInfo>> Workflows =
        new Dictionary<string, Func<StateMachineInfo>>(StringComparer.Ordinal)
        {
            ["rights-duty"] = DutyWorkflow.Describe,
            ["notice-duty"] = NoticeWorkflow.Describe,
            ["legal-status-episode"] = EpisodeWorkflow.Describe,
            ["adjustment-record"] = AdjustmentRecordWorkflow.Describe,
            ["adjustment-item"] = AdjustmentItemWorkflow.Describe,
            ["adjustment-sharing"] = AdjustmentSharingWorkflow.Describe,
            ["adjustment-review"] = AdjustmentReviewWorkflow.Describe,
        };
}
