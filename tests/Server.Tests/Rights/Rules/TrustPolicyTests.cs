using MhaRights.Server.Rights.Rules;
using NodaTime;
using static MhaRights.Server.Tests.Rights.Rules.RulesTestTime;

namespace MhaRights.Server.Tests.Rights.Rules;

public sealed class TrustPolicyTests
{
    [Theory]
    [InlineData(Provision.Section2, 24)]
    [InlineData(Provision.Section3, 24)]
    [InlineData(Provision.CommunityTreatmentOrder, 24)]
    [InlineData(Provision.Section5_4, 2)]
    [InlineData(Provision.Section135, 4)]
    [InlineData(Provision.Section136, 4)]
    [InlineData(Provision.Section4, 12)]
    [InlineData(Provision.Section5_2, 12)]
    [InlineData(Provision.CommunityTreatmentOrderRecall, 12)]
    public void Defaults_SlaFor_DhcftDayWithShortSectionOverrides(Provision provision, int hours)
    {
        Assert.Equal(Duration.FromHours(hours), new TrustPolicy().SlaFor(provision));
    }

    [Fact]
    public void Defaults_Intervals_MatchSection4AndProductDefaults()
    {
        var policy = new TrustPolicy();
        Assert.Equal(Duration.FromHours(24), policy.InitialExplanationSla);
        Assert.Equal(Duration.FromHours(72), policy.ReattemptInterval);
        Assert.Equal(Period.FromMonths(3), policy.PeriodicInterval);
        Assert.Equal(Period.FromMonths(6), policy.CommunityPeriodicInterval);
        Assert.Equal(Period.FromDays(7), policy.NearestRelativeCopyTarget);
        Assert.Equal(Period.FromDays(7), policy.DischargeNoticeLead);
        Assert.Equal("Policy", TrustPolicy.SectionName);
    }

    [Fact]
    public void Defaults_Validate_NoProblemsAgainstEveryShippedSet()
    {
        var policy = new TrustPolicy();
        Assert.Empty(policy.Validate());
        foreach (var set in RightsRuleSets.All)
        {
            Assert.Empty(policy.Validate(set));
        }
    }

    [Fact]
    public void DefaultSlaOverrides_MatchRuleTableSlas()
    {
        foreach (var set in RightsRuleSets.All)
        {
            var fromTable = set.Rules.Values
                .Where(r => r.DefaultInitialExplanationSla is not null)
                .ToDictionary(r => r.Provision, r => r.DefaultInitialExplanationSla!.Value);
            Assert.Equal(
                TrustPolicy.DefaultSlaOverrides.OrderBy(kv => kv.Key),
                fromTable.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void Overrides_ReplaceDefaults_SlaForUsesTrustValues()
    {
        var policy = new TrustPolicy
        {
            InitialExplanationSla = Duration.FromHours(48),
            SlaOverrides = new Dictionary<Provision, Duration> { [Provision.Section2] = Duration.FromHours(6) },
        };
        Assert.Equal(Duration.FromHours(6), policy.SlaFor(Provision.Section2));
        Assert.Equal(Duration.FromHours(48), policy.SlaFor(Provision.Section3));
        Assert.Equal(Duration.FromHours(48), policy.SlaFor(Provision.Section5_4));
    }

    [Fact]
    public void Overrides_SlaLongerThanShortSections_ValidateAgainstRulesFlagsThem()
    {
        // 48h >= s5(4) 6h, s135 24h, s136 24h; 48h < 72h for s4, s5(2) and CTO recall.
        var policy = new TrustPolicy
        {
            InitialExplanationSla = Duration.FromHours(48),
            SlaOverrides = new Dictionary<Provision, Duration>(),
        };
        Assert.Empty(policy.Validate());
        var problems = policy.Validate(Current);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("Section 5(4)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Section 135", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Section 136", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NonPositiveOrTimeOfDayValues_ReportsEachProblem()
    {
        var policy = new TrustPolicy
        {
            InitialExplanationSla = Duration.Zero,
            ReattemptInterval = Duration.FromHours(-1),
            SlaOverrides = new Dictionary<Provision, Duration> { [Provision.Section136] = Duration.FromMinutes(-5) },
            PeriodicInterval = Period.Zero,
            CommunityPeriodicInterval = Period.FromHours(12),
            DischargeNoticeLead = Period.FromDays(-7),
        };
        var problems = policy.Validate();
        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("InitialExplanationSla", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ReattemptInterval", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("SlaOverrides[Section136]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("PeriodicInterval", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("CommunityPeriodicInterval", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DischargeNoticeLead", StringComparison.Ordinal));
    }

    [Fact]
    public void PeriodicIntervalFor_DetainedVersusCommunity_ThreeOrSixMonths()
    {
        var policy = new TrustPolicy();
        Assert.Equal(Period.FromMonths(3), policy.PeriodicIntervalFor(Rule(Provision.Section3)));
        Assert.Equal(Period.FromMonths(6), policy.PeriodicIntervalFor(Rule(Provision.CommunityTreatmentOrder)));
    }

    [Fact]
    public void PeriodicReminder_AppliedInLocalCalendar_KeepsWallClockAcrossClockChange()
    {
        // Explained 15 Jan 2026 10:00 GMT; +3 months = 15 Apr 10:00 BST = 09:00Z (not 10:00Z).
        var next = Calendar.PlusLocal(London(2026, 1, 15, 10), new TrustPolicy().PeriodicInterval);
        Assert.Equal(Utc(2026, 4, 15, 9), next);
    }
}
