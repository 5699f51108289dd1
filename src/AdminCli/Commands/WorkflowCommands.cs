using System.CommandLine;
using System.Text.Json.Nodes;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Commands;

/// <summary><c>mharights workflow ...</c>: the state machines behind the API, as Mermaid or Graphviz.</summary>
internal static class WorkflowCommands
{
    public static Command Build(CliContext context) => CommandKit.Group(
        context,
        "workflow",
        "The rules as graphs: states, triggers and guards of each workflow",
        Graph(context),
        List(context));

    private static Command Graph(CliContext context)
    {
        var workflow = CommandKit.Arg("workflow", "rights-duty, notice-duty, legal-status-episode, adjustment-record, adjustment-item, adjustment-sharing, adjustment-review (see 'workflow list')");
        var format = new Option<string>("--format") { Description = "mermaid (renders on GitHub) or dot (Graphviz)", HelpName = "mermaid|dot", DefaultValueFactory = _ => "mermaid" };
        return CommandKit.Leaf(
            context,
            "graph",
            "Print a workflow's graph (the text itself on stdout; -o json wraps it)",
            ["mharights workflow graph rights-duty --format mermaid > rights-duty.mmd", "mharights workflow graph legal-status-episode --format dot | dot -Tsvg > episode.svg"],
            [workflow, format],
            async (parseResult, cancellationToken) =>
            {
                var graphFormat = parseResult.GetValue(format)!.Trim().ToLowerInvariant() switch
                {
                    "mermaid" => GraphFormat.Mermaid,
                    "dot" => GraphFormat.Dot,
                    var other => throw CliException.Usage($"--format: '{other}' is not mermaid or dot"),
                };
                var client = context.Client(parseResult);
                var graph = await client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = parseResult.GetRequiredValue(workflow), Format = graphFormat }, cancellationToken);
                var output = context.Output(parseResult);
                if (output.Format == OutputFormat.Json)
                {
                    output.WriteJson(OutputWriter.ProtoJson(graph));
                }
                else
                {
                    output.WriteText(graph.Text);
                }

                return ExitCodes.Ok;
            });
    }

    private static Command List(CliContext context) => CommandKit.Leaf(
        context,
        "list",
        "The workflows the server can draw",
        ["mharights workflow list"],
        [],
        async (parseResult, cancellationToken) =>
        {
            var client = context.Client(parseResult);
            var graph = await client.Workflows.GetWorkflowGraphAsync(new GetWorkflowGraphRequest { Workflow = "rights-duty", Format = GraphFormat.Mermaid }, cancellationToken);
            var names = graph.AvailableWorkflows.Order(StringComparer.Ordinal).ToList();
            context.Output(parseResult).WriteList(names, [new Column<string>("Workflow", n => n)], n => JsonValue.Create(n), context.Stderr);
            return ExitCodes.Ok;
        });
}
