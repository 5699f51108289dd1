using MhaRights.Server.Reporting;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using static MhaRights.Server.Tests.Reporting.ReportScenario;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>
/// The unmet-communication-needs cells counted by the streaming scan (SQLite, current record) against the statement
/// it replaced for that report (ComplianceQueries.CommunicationCellsAsync), cell for cell, on dataset D: needs met
/// and not met, a removed record, a record never activated and a patient outside the period.
/// </summary>
public sealed class CommunicationCellsEquivalenceTests(AdjustmentDataset data) : IClassFixture<AdjustmentDataset>
{
    [SqliteTheory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Scan_AdjustmentDataset_SameCommunicationCellsAsTheStatement(int partitions)
    {
        var t = Utc(4, 5, 12).UtcDateTime;
        var request = new ReportRequest(AdjustmentDataset.PeriodStart.UtcDateTime, AdjustmentDataset.PeriodEnd.UtcDateTime);
        await using var scope = data.App.Services.CreateAsyncScope();
        var (db, queries, months) = ReportQueries(scope.ServiceProvider, request, t);

        var expected = Lines(await queries.CommunicationCellsAsync(CancellationToken.None));
        var scan = new ReportScan(db, queries, months, t);
        await scan.CellsAsync(request.Start, request.End, partitions, CancellationToken.None);

        Assert.Equal(expected, Lines(scan.CommunicationCells));
        // Something to compare: 21 attempts answered needs, 6 with a need not met (the report's own test).
        Assert.Equal(21, scan.CommunicationCells.Sum(c => c.Attempts));
        Assert.Equal(6, scan.CommunicationCells.Sum(c => c.Unmet));
    }

    /// <summary>
    /// The adjustment measures' reads with the population's patients from the scan against the statements that search
    /// the episodes for each record: F9's record (no episode in the period) must be left out by both.
    /// </summary>
    [SqliteFact]
    public async Task Scan_AdjustmentDataset_SameAdjustmentReadsAsTheStatements()
    {
        var t = Utc(4, 5, 12).UtcDateTime;
        var request = new ReportRequest(AdjustmentDataset.PeriodStart.UtcDateTime, AdjustmentDataset.PeriodEnd.UtcDateTime);
        await using var scope = data.App.Services.CreateAsyncScope();
        var (db, queries, months) = ReportQueries(scope.ServiceProvider, request, t);

        var expected = await AdjustmentMeasures.ReadAsync(db, queries, request, t, CancellationToken.None);
        var scan = new ReportScan(db, queries, months, t);
        await scan.CellsAsync(request.Start, request.End, 2, CancellationToken.None);
        var actual = await AdjustmentMeasures.ReadAsync(db, t, await scan.PopulationPatients, CancellationToken.None);

        Assert.Equal(Text(expected), Text(actual));
        // F1-F6 flagged (F7 removed, F8 never activated, F9 outside the period), in two ethnic groups.
        Assert.Equal(6, expected.FlaggedIds.Count);
        Assert.Equal(2, expected.Groups.Count);
    }

    private static string Text(AdjustmentReads reads) => string.Join(
        "\n",
        reads.Groups.Select(g => $"group {g.Ethnic ?? "<null>"}|{g.Sex}|{g.Patients}|{g.Overdue}")
            .Concat(reads.Categories.Select(c => $"category {c.Code}|{c.Patients}"))
            .Concat(reads.Impairments.Select(c => $"impairment {c.Code}|{c.Patients}"))
            .Concat(reads.FlaggedIds.Select(id => $"flagged {id}")));

    private static List<string> Lines(IEnumerable<CommunicationCell> cells) =>
        cells.Select(c => $"{c.Provision}|{c.Ethnic ?? "<null>"}|{c.Sex}|{c.AgeBand}|{c.Month}|{c.Attempts}|{c.Unmet}").Order(StringComparer.Ordinal).ToList();
}
