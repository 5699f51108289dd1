using MhaRights.Server.Reporting;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The arithmetic of small-number suppression, percentiles, age bands and London months.</summary>
public sealed class SuppressionAndPercentileTests
{
    private const SuppressionReason No = SuppressionReason.None;
    private const SuppressionReason Small = SuppressionReason.SmallNumber;
    private const SuppressionReason Second = SuppressionReason.Secondary;

    [Fact]
    public void Suppression_AllGroupsLarge_NothingHidden() =>
        Assert.Equal([No, No], SmallNumberSuppression.Apply([(5, 5), (40, 50)]));

    [Fact]
    public void Suppression_NumeratorOrDenominatorBelowFive_Hidden() =>
        Assert.Equal([Small, Small, No, No], SmallNumberSuppression.Apply([(4, 10), (2, 3), (5, 6), (9, 9)]));

    [Fact]
    public void Suppression_OneGroupHidden_SmallestOtherHiddenToo()
    {
        // Headline − visible rows would reveal the single hidden row (3/4); the 6-duty row goes with it.
        Assert.Equal([Small, Second, No], SmallNumberSuppression.Apply([(3, 4), (6, 6), (30, 40)]));
    }

    [Fact]
    public void Suppression_TwoHiddenGroupsSummingBelowFive_MoreHidden()
    {
        // Two hidden rows with numerators 0 and 0: their sum (0) would reveal both, so the smallest visible goes too.
        Assert.Equal([Small, Small, Second, No], SmallNumberSuppression.Apply([(0, 6), (0, 7), (8, 10), (20, 20)]));
    }

    [Fact]
    public void Suppression_TieOnDenominator_FewerInNumeratorHiddenFirst() =>
        Assert.Equal([No, Second, Small], SmallNumberSuppression.Apply([(7, 7), (5, 7), (0, 2)]));

    [Fact]
    public void Suppression_EveryGroupSmall_AllHiddenNoLoop() =>
        Assert.Equal([Small, Small], SmallNumberSuppression.Apply([(1, 2), (3, 4)]));

    [Fact]
    public void Suppression_NoRows_Empty() => Assert.Empty(SmallNumberSuppression.Apply([]));

    [Theory]
    [InlineData(new double[] { 7 }, 0.5, 7)]
    [InlineData(new double[] { 1, 2 }, 0.5, 1.5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.9, 3.7)]
    [InlineData(new double[] { 2, 3, 4, 4, 5, 6, 8, 10, 10, 12, 20, 24, 30, 36, 48 }, 0.9, 33.6)]
    [InlineData(new double[] { 2, 3, 4, 4, 5, 6, 8, 10, 10, 12, 20, 24, 30, 36, 48 }, 0.5, 10)]
    public void Percentile_LinearInterpolation_MatchesPercentileCont(double[] sorted, double p, double expected) =>
        Assert.Equal(expected, Percentiles.OfSorted(sorted, p)!.Value, 9);

    [Fact]
    public void Percentile_NoValues_Null() => Assert.Null(Percentiles.OfSorted([], 0.5));

    [Theory]
    [InlineData(17, "0-17")]
    [InlineData(18, "18-24")]
    [InlineData(24, "18-24")]
    [InlineData(25, "25-34")]
    [InlineData(74, "65-74")]
    [InlineData(75, "75+")]
    [InlineData(101, "75+")]
    public void AgeBand_WholeYears_Band(int years, string band) => Assert.Equal(band, AgeBands.All[AgeBands.BandOf(years)].Key);

    [Fact]
    public void ReportMonths_AcrossTheClockChange_LondonMonthsWithUtcBoundaries()
    {
        var months = new ReportMonths(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 4, 30, 23, 0, 0, DateTimeKind.Utc));
        Assert.Equal(["2026-03", "2026-04"], months.Groups.Select(g => g.Key));
        Assert.Equal(["March 2026", "April 2026"], months.Groups.Select(g => g.Label));
        // 1 April 00:00 BST is 31 March 23:00 UTC.
        Assert.Equal([new DateTime(2026, 3, 31, 23, 0, 0, DateTimeKind.Utc)], months.Boundaries);
        Assert.Equal(1, months.IndexOf(new DateTime(2026, 3, 31, 23, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(0, months.IndexOf(new DateTime(2026, 3, 31, 22, 59, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void EthnicGroups_CodesToBroadGroups()
    {
        Assert.Equal("WHITE", EthnicGroups.Group("C").Key);
        Assert.Equal("MIXED", EthnicGroups.Group("G").Key);
        Assert.Equal("ASIAN", EthnicGroups.Group("L").Key);
        Assert.Equal("BLACK", EthnicGroups.Group("P").Key);
        Assert.Equal("OTHER", EthnicGroups.Group("R").Key);
        Assert.Equal("NOT_STATED_OR_KNOWN", EthnicGroups.Group("99").Key);
        Assert.Equal("NOT_STATED_OR_KNOWN", EthnicGroups.Group(null).Key);
        Assert.Equal("UNRECORDED", EthnicGroups.Category(" ").Key);
        Assert.Equal("Not stated", EthnicGroups.Category("Z").Label);
    }
}
