namespace MhaRights.StateMachine.Tests;

public class MermaidGraphTests
{
    [Fact]
    public void Format_SampleWorkflow_MatchesGoldenFile()
    {
        var text = MermaidGraph.Format(SampleWorkflow.Build().GetInfo());

        Golden.AssertMatches("sample.mermaid", text);
    }

    [Fact]
    public void Format_CalledTwice_Identical()
    {
        var info = SampleWorkflow.Build().GetInfo();

        Assert.Equal(MermaidGraph.Format(info), MermaidGraph.Format(info));
    }

    [Fact]
    public void Format_DirectionOmitted_NoDirectionLine()
    {
        var builder = new Builder();
        builder.Configure(State.A).Permit(Trigger.X, State.B);

        var text = MermaidGraph.Format(builder.Build(State.A).GetInfo(), direction: null);

        Assert.Equal("stateDiagram-v2\n    [*] --> A\n    A --> B : X\n", text);
    }

    [Fact]
    public void Format_GuardWithMermaidSpecialCharacters_Encoded()
    {
        var builder = new Builder();
        builder.Configure(State.A).PermitIf(Trigger.X, State.B, c => c.Allowed, "s.2; #3");

        var text = MermaidGraph.Format(builder.Build(State.A).GetInfo());

        Assert.Contains("    A --> B : X [s.2#59; #35;3]\n", text, StringComparison.Ordinal);
    }
}
