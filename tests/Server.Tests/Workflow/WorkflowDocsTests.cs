using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;
using MhaRights.Server.Workflow;
using MhaRights.StateMachine;

namespace MhaRights.Server.Tests.Workflow;

/// <summary>
/// docs/workflows.md publishes every state machine as Mermaid. It is generated from the definitions, and this
/// test fails when the two drift (run with UPDATE_GOLDEN=1 to rewrite the file after a deliberate change).
/// </summary>
public sealed class WorkflowDocsTests
{
    [Fact]
    public void WorkflowsDoc_EveryDefinition_PublishedAsCurrentMermaid()
    {
        var path = RepositoryPaths.Docs("workflows.md");
        var expected = Render();
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_GOLDEN=1 to create it.");
        var actual = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(expected == actual, "docs/workflows.md is out of date with the workflow definitions; run the tests with UPDATE_GOLDEN=1 and review the diff.");
    }

    [Fact]
    public async Task GetWorkflowGraph_EachWorkflowAndFormat_MatchesTheEngineExport()
    {
        await using var app = await TestApp.StartAsync();
        foreach (var (id, info) in WorkflowCatalog.Workflows)
        {
            var mermaid = await app.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = id, Format = GraphFormat.Mermaid });
            Assert.Equal(MermaidGraph.Format(info()), mermaid.Text);
            var dot = await app.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = id, Format = GraphFormat.Dot });
            Assert.StartsWith("digraph", dot.Text, StringComparison.Ordinal);
            Assert.Equal(WorkflowCatalog.Workflows.Keys.Order(), dot.AvailableWorkflows.Order());
        }

        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => app.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "nope", Format = GraphFormat.Mermaid }).ResponseAsync);
        Assert.Equal("workflow", Assert.Single(ex.BadRequest().FieldViolations).Field);
    }

    private static string Render()
    {
        var text = new System.Text.StringBuilder();
        text.Append("# Workflows\n\n");
        text.Append("Generated from the state-machine definitions in `src/Server/Workflow/` (checked by\n");
        text.Append("`tests/Server.Tests/Workflow/WorkflowDocsTests.cs`; regenerate with `UPDATE_GOLDEN=1 dotnet test`).\n");
        text.Append("The same graphs come from the API (`WorkflowService.GetWorkflowGraph`) in Mermaid or DOT.\n");
        foreach (var (id, info) in WorkflowCatalog.Workflows)
        {
            text.Append($"\n## {id}\n\n```mermaid\n").Append(MermaidGraph.Format(info())).Append("```\n");
        }

        return text.ToString();
    }
}
