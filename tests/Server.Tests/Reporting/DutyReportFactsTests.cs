using MhaRights.Server.Reporting;
using MhaRights.Server.Rights.Duties;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The report's per-duty projection of the standing attempts (issue 16), rule by rule.</summary>
public sealed class DutyReportFactsTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Apply_NoStandingAttempts_EverythingCleared()
    {
        var duty = Duty();
        duty.FirstUnderstoodTime = T0;
        duty.RenewalAttempted = true;
        duty.TribunalAttempted = true;
        duty.LatestInformationTime = T0;

        DutyReportFacts.Apply(duty, []);

        Assert.Null(duty.FirstUnderstoodTime);
        Assert.False(duty.RenewalAttempted);
        Assert.False(duty.TribunalAttempted);
        Assert.Null(duty.LatestInformationTime);
    }

    [Fact]
    public void Apply_UnderstoodTalkWithoutLeafletThenLeafletThenUnderstood_UnderstoodFromTheLaterAttempt()
    {
        // s132(3): the first understood talk does not count until the information has also been given in writing.
        var duty = Duty();
        DutyReportFacts.Apply(duty, [
            Attempt(0, AttemptOutcome.Understood, oral: true, written: false),
            Attempt(24, AttemptOutcome.Declined, oral: false, written: true),
            Attempt(48, AttemptOutcome.Understood, oral: true, written: false),
        ]);

        Assert.Equal(T0.AddHours(48), duty.FirstUnderstoodTime);
        Assert.Equal(T0.AddHours(48), duty.LatestInformationTime);
    }

    [Fact]
    public void Apply_LeafletLeftBeforeAnUnderstoodTalk_UnderstoodFromTheTalk()
    {
        var duty = Duty();
        DutyReportFacts.Apply(duty, [
            Attempt(30, AttemptOutcome.Understood, oral: true, written: false),
            Attempt(6, AttemptOutcome.Unable, oral: false, written: true),
        ]);

        Assert.Equal(T0.AddHours(30), duty.FirstUnderstoodTime);
    }

    [Fact]
    public void Apply_OnlyUnderstoodOrally_NotUnderstoodForTheReport()
    {
        var duty = Duty();
        DutyReportFacts.Apply(duty, [Attempt(0, AttemptOutcome.Understood, oral: true, written: false)]);

        Assert.Null(duty.FirstUnderstoodTime);
        Assert.Equal(T0, duty.LatestInformationTime);
    }

    [Fact]
    public void Apply_DeclinedAndUnableOnly_NoInformationGiven()
    {
        var duty = Duty();
        DutyReportFacts.Apply(duty, [Attempt(0, AttemptOutcome.Declined), Attempt(5, AttemptOutcome.Unable)]);

        Assert.Null(duty.LatestInformationTime);
        Assert.Null(duty.FirstUnderstoodTime);
    }

    [Fact]
    public void Apply_LatestInformationOutcome_IsTheLatestUnderstoodPartlyOrNotUnderstood()
    {
        var duty = Duty();
        DutyReportFacts.Apply(duty, [
            Attempt(10, AttemptOutcome.PartlyUnderstood),
            Attempt(40, AttemptOutcome.Declined),
            Attempt(20, AttemptOutcome.NotUnderstood),
        ]);

        Assert.Equal(T0.AddHours(20), duty.LatestInformationTime);
    }

    [Theory]
    [InlineData(DutyTrigger.Renewal, true, false)]
    [InlineData(DutyTrigger.TribunalWindow, false, true)]
    [InlineData(DutyTrigger.AutomaticReference, false, true)]
    [InlineData(DutyTrigger.NotUnderstood, false, false)]
    public void Apply_AttemptTrigger_SetsTheReexplanationFlags(DutyTrigger trigger, bool renewal, bool tribunal)
    {
        var duty = Duty();
        DutyReportFacts.Apply(duty, [Attempt(0, AttemptOutcome.Understood) with { Trigger = trigger }]);

        Assert.Equal(renewal, duty.RenewalAttempted);
        Assert.Equal(tribunal, duty.TribunalAttempted);
    }

    private static RightsDuty Duty() => new() { Id = "d", PatientId = "p", EpisodeId = "e", Hospital = "RXM01" };

    private static StandingAttempt Attempt(int hours, AttemptOutcome outcome, bool oral = true, bool written = true) =>
        new(T0.AddHours(hours), outcome, DutyTrigger.DetentionStart, oral, written);
}
