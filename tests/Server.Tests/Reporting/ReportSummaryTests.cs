using Microsoft.Extensions.Configuration;
using MhaRights.Server.Reporting;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The summary page's RAG against the trust target and the trend against the previous period.</summary>
public sealed class ReportSummaryTests
{
    [Theory]
    [InlineData(96.0, RagStatus.Green)]
    [InlineData(95.0, RagStatus.Green)]
    [InlineData(86.0, RagStatus.Amber)]
    [InlineData(84.0, RagStatus.Red)]
    public void Rag_HigherIsBetterRatio_TargetAndTenPointBand(double value, RagStatus expected) =>
        Assert.Equal(expected, ReportSummary.Rag(MeasureCatalog.InitialWithinSla, value, 95, 10));

    [Theory]
    [InlineData(4.0, RagStatus.Green)]
    [InlineData(12.0, RagStatus.Amber)]
    [InlineData(20.0, RagStatus.Red)]
    public void Rag_LowerIsBetterRatio_OverTheTargetIsWorse(double value, RagStatus expected) =>
        Assert.Equal(expected, ReportSummary.Rag(MeasureCatalog.NotUnderstoodNoReattempt, value, 5, 10));

    [Theory]
    [InlineData(20.0, RagStatus.Green)]
    [InlineData(26.0, RagStatus.Amber)] // within 10% of 24 h
    [InlineData(30.0, RagStatus.Red)]
    public void Rag_Duration_BandIsAShareOfTheTarget(double value, RagStatus expected) =>
        Assert.Equal(expected, ReportSummary.Rag(MeasureCatalog.HoursToFirstAttempt, value, 24, 10));

    [Fact]
    public void Rag_WithheldOrNoTarget_NotRated()
    {
        Assert.Equal(RagStatus.NotRated, ReportSummary.Rag(MeasureCatalog.InitialWithinSla, null, 95, 10));
        Assert.Equal(RagStatus.NotRated, ReportSummary.Rag(MeasureCatalog.AdjustmentFlagsActive, 12, null, 10));
        Assert.Null(new ReportTargets().For(MeasureCatalog.AdjustmentFlagsActive));
    }

    [Theory]
    [InlineData(80.0, 70.0, TrendDirection.Improving)]
    [InlineData(70.0, 80.0, TrendDirection.Worsening)]
    [InlineData(80.2, 80.0, TrendDirection.Steady)]
    [InlineData(80.0, null, TrendDirection.NoComparison)]
    public void Trend_HigherIsBetter(double? value, double? previous, TrendDirection expected) =>
        Assert.Equal(expected, ReportSummary.Trend(MeasureCatalog.InitialWithinSla, value, previous));

    [Fact]
    public void Trend_LowerIsBetter_FallingValueIsImproving() =>
        Assert.Equal(TrendDirection.Improving, ReportSummary.Trend(MeasureCatalog.NotUnderstoodNoReattempt, 3, 9));

    [Fact]
    public void Targets_FromSettings_OverrideTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reporting:Targets:initial_within_sla"] = "90",
            ["Reporting:AmberBand"] = "5",
        }).Build();

        var targets = ReportTargets.From(configuration);

        Assert.Equal(90, targets.For(MeasureCatalog.InitialWithinSla));
        Assert.Equal(95, targets.For(MeasureCatalog.NearestRelativeCopy));
        Assert.Equal(5, targets.AmberBand);
    }

    [Fact]
    public void PreviousStart_TwoCalendarMonthsAcrossTheClockChange_TwoCalendarMonthsBefore()
    {
        // 1 March 00:00 GMT to 1 May 00:00 BST (30 April 23:00 UTC) → from 1 January 00:00 GMT.
        var previous = SummarisedReport.PreviousStart(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 4, 30, 23, 0, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), previous);
    }
}
