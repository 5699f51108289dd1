using System.Text.RegularExpressions;
using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>The report is computed by the database: one SQL statement that aggregates, not entities loaded into memory.</summary>
public sealed class ReportQueryShapeTests
{
    [Fact]
    public async Task CellsQuery_CurrentRecord_OneStatementGroupedInTheDatabaseWithoutHistory()
    {
        var sql = await SqlAsync(asOf: false);
        Assert.Equal(2, Regex.Count(sql, @"\bGROUP BY\b"));
        Assert.Contains("SUM(", sql, StringComparison.OrdinalIgnoreCase);
        // The fired-trigger list is aggregated in the database: SQLite's group_concat, PostgreSQL's string_agg.
        Assert.Contains(TestDatabase.IsPostgreSql ? "string_agg(" : "group_concat(", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("\"AuditEvents\"", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CellsQuery_AsOf_ReadsTheAuditTrailAndStandingAttempts()
    {
        var sql = await SqlAsync(asOf: true);
        Assert.Equal(2, Regex.Count(sql, @"\bGROUP BY\b"));
        Assert.Contains("FROM \"AuditEvents\"", sql, StringComparison.Ordinal);
        Assert.Contains("\"VoidTime\" >", sql, StringComparison.Ordinal);
    }

    private static async Task<string> SqlAsync(bool asOf)
    {
        await using var app = await TestApp.StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var t = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var request = new ReportRequest(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc), AsOf: asOf ? t : null);
        var queries = new ComplianceQueries(db, request, t, new TrustPolicy(), RightsRuleBook.Default.RuleSets[^1], new ReportMonths(request.Start, request.End));
        Assert.Empty(await queries.CellsAsync(request.Start, request.End, CancellationToken.None));
        return queries.Sql();
    }
}
