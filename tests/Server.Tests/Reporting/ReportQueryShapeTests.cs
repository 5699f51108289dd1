using MhaRights.Server.Persistence;
using MhaRights.Server.Reporting;
using MhaRights.Server.Reporting.Queries;
using MhaRights.Server.Rights.Rules;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MhaRights.Server.Tests.Reporting;

public sealed class ReportQueryShapeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CellsQuery_Sql_Printed()
    {
        await using var app = await TestApp.StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var request = new ReportRequest(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc), AsOf: new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        var queries = new ComplianceQueries(db, request, request.AsOf!.Value, new TrustPolicy(), new ReportMonths(request.Start, request.End));
        output.WriteLine(queries.CellsSql());
        var cells = await queries.CellsAsync(CancellationToken.None);
        var timings = await queries.TimingsAsync(CancellationToken.None);
        Assert.Empty(cells);
        Assert.Empty(timings);
    }
}
