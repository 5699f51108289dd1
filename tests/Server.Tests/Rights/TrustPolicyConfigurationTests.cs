using MhaRights.Contracts.V1;
using MhaRights.Server.Rights;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Rights;

/// <summary>The trust's timing policy comes from configuration section "Policy" (section-132.md §4, §8.4).</summary>
public sealed class TrustPolicyConfigurationTests
{
    [Fact]
    public async Task StartEpisode_TrustOverridesS136SlaAndReattemptInterval_DeadlinesFollowConfiguration()
    {
        await using var app = await TestApp.StartAsync(null, "--Policy:SlaHoursByProvision:Section136=2", "--Policy:ReattemptIntervalHours=12");
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section136);
        var duty = (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(2), duty.DueTime.ToDateTimeOffset());

        var attempt = await app.ExplainAsync(duty, AttemptOutcome.Unable);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(12), attempt.Duty.NextAttemptTime.ToDateTimeOffset());
    }

    [Theory]
    [InlineData("Section999", "unknown provision")]
    [InlineData("Section2", "SLA")]
    public void ToPolicy_InvalidSettings_FailsAtStartWithClearMessage(string provision, string expected)
    {
        var settings = new TrustPolicySettings { SlaHoursByProvision = { [provision] = provision == "Section2" ? -1 : 4 } };
        var error = Assert.Throws<InvalidOperationException>(settings.ToPolicy);
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
