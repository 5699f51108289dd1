using MhaRights.Server.Audit;
using MhaRights.Server.Security;
using MhaRights.Server.Workflow;
using DutyState = MhaRights.Server.Rights.Duties.DutyState;
using DomainDuty = MhaRights.Server.Rights.Duties.RightsDuty;
using EpisodeState = MhaRights.Server.LegalStatus.EpisodeState;
using DomainEpisode = MhaRights.Server.LegalStatus.LegalStatusEpisode;
using DomainProvision = MhaRights.Server.Rights.Rules.Provision;

namespace MhaRights.Server.Tests.Workflow;

/// <summary>
/// What the Stateless machines keep from the old engine: refusals are the domain's exception with a sentence a clerk
/// understands (never Stateless's "Consider ignoring the trigger"), unmet guards are named even on the FireAsync path
/// (where Stateless passes none), internal transitions are audited, ignored triggers change nothing.
/// </summary>
public sealed class WorkflowRefusalTests
{
    private const string StatelessText = "Consider ignoring the trigger";

    private sealed class SystemCaller : ICallerContext
    {
        public CallerIdentity Caller => CallerIdentity.System;
    }

    private static TransitionContext<DomainDuty> Duty(DutyState state, AuditLog audit) =>
        new(new DomainDuty { Id = "d1", PatientId = "p1", EpisodeId = "e1", Hospital = "H", State = state }, audit, "patients/p1/duties/d1", "p1");

    private static TransitionContext<DomainEpisode> Episode(DomainProvision provision, DateTime? expiry, AuditLog audit) =>
        new(new DomainEpisode { Id = "e1", PatientId = "p1", Hospital = "H", State = EpisodeState.Active, Provision = provision, ExpiryTime = expiry }, audit, "patients/p1/episodes/e1", "p1");

    private static AuditLog NewAudit() => new(new SystemCaller(), TimeProvider.System);

    [Fact]
    public async Task FireAsync_DutyAlreadyUnderstood_ClerkSentenceNotStatelessText()
    {
        var context = Duty(DutyState.Understood, NewAudit());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<DutyState, DutyEvent>>(() => DutyWorkflow.For(context).FireAsync(DutyEvent.AttemptUnderstood));

        Assert.Equal("This duty is already understood; record a new explanation only after a change of section or a re-explanation trigger.", ex.Message);
        Assert.Equal(DutyState.Understood, ex.State);
        Assert.Empty(ex.UnmetGuards);
        Assert.Equal(DutyState.Understood, context.Entity.State);
    }

    [Fact]
    public async Task FireAsync_GuardFails_UnmetGuardNamedInExceptionAndSentence()
    {
        var context = Episode(DomainProvision.Section37_41, expiry: null, NewAudit());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<EpisodeState, EpisodeEvent>>(() => EpisodeWorkflow.For(context).FireAsync(EpisodeEvent.Renew));

        Assert.Equal("the provision has a fixed period that can be renewed", Assert.Single(ex.UnmetGuards));
        Assert.Equal("This legal status episode is active; 'renew' is possible only when the provision has a fixed period that can be renewed.", ex.Message);
        Assert.DoesNotContain(StatelessText, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FireAsync_TriggerNotConfiguredInState_GenericSentenceWithoutGuards()
    {
        var context = Duty(DutyState.Due, NewAudit());

        var ex = await Assert.ThrowsAsync<InvalidTransitionException<DutyState, DutyEvent>>(() => DutyWorkflow.For(context).FireAsync(DutyEvent.ReminderFallsDue));

        Assert.Equal("This duty is due, so 'reminder falls due' is not possible.", ex.Message);
        Assert.Empty(ex.UnmetGuards);
    }

    [Fact]
    public async Task FireAsync_InternalTransition_AuditedWithoutStateChange()
    {
        var audit = NewAudit();
        var context = Episode(DomainProvision.Section3, new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), audit);

        await EpisodeWorkflow.For(context).FireAsync(EpisodeEvent.Renew);

        var entry = Assert.Single(audit.Pending);
        Assert.Equal(("Renew", "Active", "Active"), (entry.Action, entry.FromState, entry.ToState));
        Assert.Equal(EpisodeState.Active, context.Entity.State);
    }

    [Fact]
    public async Task FireAsync_StateChange_AuditedOnceThroughOnTransitioned()
    {
        var audit = NewAudit();
        var context = Duty(DutyState.Due, audit);

        await DutyWorkflow.For(context).FireAsync(DutyEvent.AttemptUnderstood);

        var entry = Assert.Single(audit.Pending);
        Assert.Equal(("AttemptUnderstood", "Due", "Understood"), (entry.Action, entry.FromState, entry.ToState));
        Assert.Equal(DutyState.Understood, context.Entity.State);
    }

    [Fact]
    public async Task FireAsync_IgnoredTrigger_NothingChangesNothingAudited()
    {
        var audit = NewAudit();
        var context = Duty(DutyState.Due, audit);
        var machine = DutyWorkflow.For(context);

        Assert.True(machine.CanFire(DutyEvent.ReexplanationRaised));
        await machine.FireAsync(DutyEvent.ReexplanationRaised);

        Assert.Equal(DutyState.Due, context.Entity.State);
        Assert.Empty(audit.Pending);
    }

    [Fact]
    public void EnsureCanFire_RefusedCheck_ThrowsWithoutFiring()
    {
        var audit = NewAudit();
        var context = Duty(DutyState.Closed, audit);

        var ex = Assert.Throws<InvalidTransitionException<DutyState, DutyEvent>>(() => DutyWorkflow.For(context).EnsureCanFire(DutyEvent.AttemptUnderstood));

        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
        Assert.Empty(audit.Pending);
    }
}
