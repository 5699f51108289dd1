namespace MhaRights.StateMachine.Tests;

public class DotGraphTests
{
    [Fact]
    public void Format_SampleWorkflow_MatchesGoldenFile()
    {
        var text = UmlDotGraph.Format(SampleWorkflow.Build().GetInfo());

        Golden.AssertMatches("sample.dot", text);
    }

    [Fact]
    public void Format_MinimalMachine_ExactOutput()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, "say \"yes\"");

        var text = UmlDotGraph.Format(builder.Build(State.A).GetInfo());

        Assert.Equal(
            "digraph {\n" +
            "    rankdir=\"LR\";\n" +
            "    node [shape=box, style=rounded];\n" +
            "    \"A\" [label=\"A\"];\n" +
            "    \"B\" [label=\"B\"];\n" +
            "    \"__initial0\" [label=\"\", shape=point];\n" +
            "    \"__initial0\" -> \"A\";\n" +
            "    \"A\" -> \"B\" [label=\"X [say \\\"yes\\\"]\"];\n" +
            "}\n",
            text);
    }
}
