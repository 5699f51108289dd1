using MhaRights.Server.Workflow;
using Stateless;

namespace MhaRights.Server.Tests.Workflow;

/// <summary>
/// Stateless accepts any configuration and only fails when a trigger is fired, so every workflow in the catalogue is
/// checked here through GetInfo(); the validator itself is shown to catch each mistake on a small broken machine.
/// </summary>
public sealed class WorkflowDefinitionTests
{
    public enum Light
    {
        Off,
        On,
        Broken,
    }

    public enum Switch
    {
        Flip,
        Repair,
        Paint,
    }

    public static TheoryData<string> Workflows => [.. WorkflowCatalog.Workflows.Keys];

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Definition_EveryCatalogueWorkflow_HasNoUnreachableStateOrUnusedTrigger(string workflow)
    {
        var errors = WorkflowDefinitionValidator.Validate(WorkflowCatalog.Workflows[workflow]());

        Assert.True(errors.Count == 0, $"{workflow}: {string.Join(" ", errors)}");
    }

    [Fact]
    public void Definition_UnreachableStateAndUnusedTrigger_BothReported()
    {
        var machine = new StateMachine<Light, Switch>(Light.Off);
        machine.Configure(Light.Off).Permit(Switch.Flip, Light.On);
        machine.Configure(Light.On).Permit(Switch.Flip, Light.Off);
        machine.Configure(Light.Broken).Permit(Switch.Repair, Light.Off);

        var errors = WorkflowDefinitionValidator.Validate(machine.GetInfo());

        Assert.Contains(errors, e => e.Contains("not reachable", StringComparison.Ordinal) && e.Contains("'Broken'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("no transition", StringComparison.Ordinal) && e.Contains("'Paint'", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("'Repair'", StringComparison.Ordinal));
    }

    [Fact]
    public void Definition_TriggerPermittedAndIgnoredUnguarded_Reported()
    {
        var machine = new StateMachine<Light, Switch>(Light.Off);
        machine.Configure(Light.Off).Permit(Switch.Flip, Light.On).Permit(Switch.Paint, Light.Broken);
        machine.Configure(Light.On).Permit(Switch.Flip, Light.Off).Ignore(Switch.Flip);
        machine.Configure(Light.Broken).Permit(Switch.Repair, Light.Off);

        var error = Assert.Single(WorkflowDefinitionValidator.Validate(machine.GetInfo()));

        Assert.Contains("'On' handles trigger 'Flip' more than once", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Definition_SoundMachine_NoErrors()
    {
        var machine = new StateMachine<Light, Switch>(Light.Off);
        machine.Configure(Light.Off).Permit(Switch.Flip, Light.On).Permit(Switch.Paint, Light.Broken);
        machine.Configure(Light.On).PermitIf(Switch.Flip, Light.Off, () => true, "a").PermitIf(Switch.Flip, Light.Broken, () => false, "b");
        machine.Configure(Light.Broken).Permit(Switch.Repair, Light.Off);

        Assert.Empty(WorkflowDefinitionValidator.Validate(machine.GetInfo()));
    }
}
