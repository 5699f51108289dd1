using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using static MhaRights.Server.Tests.Reporting.ReportScenario;

namespace MhaRights.Server.Tests.Reporting;

/// <summary>ReportService request validation: INVALID_ARGUMENT with a BadRequest naming each offending field.</summary>
public sealed class ReportApiValidationTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task GetComplianceReport_NoPeriod_InvalidArgumentNamingPeriod() =>
        Assert.Equal(["period"], await FieldsAsync(new GetComplianceReportRequest()));

    [Fact]
    public async Task GetComplianceReport_PeriodWithoutEnd_InvalidArgumentNamingEndTime() =>
        Assert.Equal(["period.end_time"], await FieldsAsync(new GetComplianceReportRequest { Period = new TimeRange { StartTime = Scenario.At(Utc(1, 1, 0)) } }));

    [Fact]
    public async Task GetComplianceReport_EndNotAfterStart_InvalidArgumentNamingEndTime() =>
        Assert.Equal(["period.end_time"], await FieldsAsync(Request(Utc(3, 1, 0), Utc(3, 1, 0))));

    [Fact]
    public async Task GetComplianceReport_MoreThanFiveYears_InvalidArgumentNamingPeriod() =>
        Assert.Equal(["period"], await FieldsAsync(Request(Utc(1, 1, 0, year: 2021), Utc(1, 1, 0, 1, year: 2026))));

    [Fact]
    public async Task GetComplianceReport_ExactlyFiveYears_Accepted()
    {
        var report = await _app.Reports().GetComplianceReportAsync(Request(Utc(1, 1, 0, year: 2021), Utc(1, 1, 0, year: 2026)));
        Assert.Equal(60, report.Measure("initial_within_sla").Breakdowns.Single(b => b.Dimension == BreakdownDimension.Month).Rows.Count);
    }

    [Fact]
    public async Task GetComplianceReport_UnknownEnumsBadCodesFutureAsOf_EveryFieldNamed()
    {
        var request = Request(Utc(1, 1, 0), Utc(2, 1, 0));
        request.Provision = (Provision)999;
        request.Breakdowns.Add(BreakdownDimension.Sex);
        request.Breakdowns.Add((BreakdownDimension)999);
        request.Breakdowns.Add(BreakdownDimension.Unspecified);
        request.Hospital = "not a code!";
        request.Ward = new string('w', 65);
        request.AsOfTime = Timestamp.FromDateTimeOffset(_app.Clock.GetUtcNow().AddDays(1));
        Assert.Equal(
            ["hospital", "ward", "provision", "as_of_time", "breakdowns[1]", "breakdowns[2]"],
            await FieldsAsync(request));
    }

    [Fact]
    public async Task RenderComplianceReport_NoFormatNoReport_BothNamed()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _app.Reports().RenderComplianceReportAsync(new RenderComplianceReportRequest()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["format", "report"], ex.BadRequest().FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task RenderComplianceReport_BadPeriod_FieldPrefixedWithReport()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _app.Reports().RenderComplianceReportAsync(new RenderComplianceReportRequest
        {
            Report = Request(Utc(3, 1, 0), Utc(2, 1, 0)),
            Format = ReportFormat.Csv,
        }).ResponseAsync);
        Assert.Equal(["report.period.end_time"], ex.BadRequest().FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task GetComplianceReport_ClinicianRole_PermissionDenied()
    {
        var client = new ReportService.ReportServiceClient(_app.ChannelFor(Roles.Clinician));
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.GetComplianceReportAsync(Request(Utc(1, 1, 0), Utc(2, 1, 0))).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task GetComplianceReport_EmptyDatabase_EveryMeasureSuppressedWithNotes()
    {
        var report = await _app.Reports().GetComplianceReportAsync(Request(Utc(1, 1, 0), Utc(2, 1, 0)));
        Assert.Equal(15, report.Measures.Count);
        Assert.All(report.Measures, m => Assert.True(m.Suppressed));
        Assert.NotEmpty(report.Notes);
    }

    private async Task<IReadOnlyList<string>> FieldsAsync(GetComplianceReportRequest request)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _app.Reports().GetComplianceReportAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", ex.ErrorInfo().Reason);
        return ex.BadRequest().FieldViolations.Select(v => v.Field).ToList();
    }
}
