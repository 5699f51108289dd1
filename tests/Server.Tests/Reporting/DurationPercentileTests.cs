using MhaRights.Server.Patients;
using MhaRights.Server.Reporting;
using MhaRights.Server.Reporting.Queries;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// The timing measures pick each group's percentiles from one pass over all values in order, without gathering the
/// group's values: the figures must be those of the group's own sorted values.
/// </summary>
public sealed class DurationPercentileTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.33)]
    public void Interpolate_ValuesAtRanks_AsOfSorted(double p)
    {
        var random = new Random(7);
        for (var count = 1; count <= 60; count++)
        {
            var sorted = Enumerable.Range(0, count).Select(_ => (double)random.Next(0, 40)).Order().ToList();
            var (lower, upper) = Percentiles.Ranks(count, p);

            Assert.Equal(Percentiles.OfSorted(sorted, p), Percentiles.Interpolate(count, p, sorted[lower], sorted[upper]));
        }
    }

    [Fact]
    public void Duration_Breakdown_EachGroupsPercentilesOfItsOwnValues()
    {
        // Cells of four sexes with interleaved, repeated values, several cells per group, so a group's values are met
        // among the others' in the sorted order.
        var random = new Random(11);
        var sexes = new[] { PatientSex.Male, PatientSex.Female, PatientSex.NotKnown, PatientSex.Unspecified };
        var cells = Enumerable.Range(0, 40).Select(i =>
        {
            var values = Enumerable.Range(0, random.Next(0, 30)).Select(_ => (long)random.Next(0, 200) * 900).ToList();
            return new ReportCell { Sex = sexes[i % sexes.Length], Month = i, InitialDen = values.Count + random.Next(0, 3), FirstSecondsValues = values };
        }).ToList();
        var dimension = new DimensionSpec(ReportDimension.Sex, k => SexGroups.Of(k.Sex));

        var result = ComplianceReportService.Duration(MeasureCatalog.HoursToFirstAttempt, new GroupedCells<ReportCell>(cells, [dimension]), c => c.FirstSecondsList());

        var rows = Assert.Single(result.Breakdowns).Rows;
        Assert.Equal(sexes.Length, rows.Count);
        foreach (var row in rows)
        {
            var group = cells.Where(c => SexGroups.Of(c.Sex).Key == row.Group.Key).ToList();
            var values = group.SelectMany(c => c.FirstSecondsList()).Select(s => s / 3600.0).Order().ToList();
            Assert.Equal(SuppressionReason.None, row.Figures.Suppression);
            Assert.Equal(values.Count, row.Figures.Numerator);
            Assert.Equal(group.Sum(c => c.InitialDen), row.Figures.Denominator);
            Assert.Equal(Percentiles.OfSorted(values, 0.5), row.Figures.MedianHours);
            Assert.Equal(Percentiles.OfSorted(values, 0.9), row.Figures.P90Hours);
        }

        var all = cells.SelectMany(c => c.FirstSecondsList()).Select(s => s / 3600.0).Order().ToList();
        Assert.Equal(Percentiles.OfSorted(all, 0.5), result.Headline.MedianHours);
        Assert.Equal(Percentiles.OfSorted(all, 0.9), result.Headline.P90Hours);
    }
}
