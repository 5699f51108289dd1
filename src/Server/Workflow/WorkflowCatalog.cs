using MhaRights.StateMachine;

namespace MhaRights.Server.Workflow;

/// <summary>Every workflow by its public id, for GetWorkflowGraph, the CLI and docs/workflows.md.</summary>
public static class WorkflowCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<StateMachineInfo>> Workflows =
        new Dictionary<string, Func<StateMachineInfo>>(StringComparer.Ordinal)
        {
            ["rights-duty"] = DutyWorkflow.Definition.GetInfo,
            ["notice-duty"] = NoticeWorkflow.Definition.GetInfo,
            ["legal-status-episode"] = EpisodeWorkflow.Definition.GetInfo,
            ["adjustment-record"] = AdjustmentRecordWorkflow.Definition.GetInfo,
            ["adjustment-item"] = AdjustmentItemWorkflow.Definition.GetInfo,
            ["adjustment-sharing"] = AdjustmentSharingWorkflow.Definition.GetInfo,
            ["adjustment-review"] = AdjustmentReviewWorkflow.Definition.GetInfo,
        };
}

