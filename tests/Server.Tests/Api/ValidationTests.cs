using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Api;

/// <summary>Bad input gets INVALID_ARGUMENT naming each offending field, and nothing is written.</summary>
public sealed class ValidationTests
{
    [Fact]
    public async Task CreatePatient_BadNhsNumberChecksum_InvalidArgumentNamesFieldAndWritesNothing()
    {
        await using var app = await TestApp.StartAsync();
        var auditBefore = await app.CountAsync("AuditEvents");
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.CreatePatientAsync(new CreatePatientRequest
        {
            Patient = new Patient { LocalId = "RIO-1", NhsNumber = "4857773456" },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.BadRequest().FieldViolations);
        Assert.Equal("patient.nhs_number", violation.Field);
        Assert.Equal("INVALID_ARGUMENT", ex.ErrorInfo().Reason);
        Assert.Equal("mharights.nhs.uk", ex.ErrorInfo().Domain);
        Assert.Equal(0, await app.CountAsync("Patients"));
        Assert.Equal(auditBefore, await app.CountAsync("AuditEvents"));
    }

    [Fact]
    public async Task StartEpisode_SeveralBadFields_EveryFieldNamedAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var auditBefore = await app.CountAsync("AuditEvents");
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.LegalStatus.StartEpisodeAsync(new StartEpisodeRequest
        {
            Parent = patient.Name,
            Episode = new LegalStatusEpisode
            {
                Provision = (Provision)999,
                Hospital = "bad hospital!",
                StartTime = Scenario.At(app.Clock.GetUtcNow().AddDays(2)),
            },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var fields = ex.BadRequest().FieldViolations.Select(v => v.Field).ToList();
        Assert.Equal(["episode.provision", "episode.hospital", "episode.start_time"], fields);
        Assert.Equal(0, await app.CountAsync("LegalStatusEpisodes"));
        Assert.Equal(0, await app.CountAsync("RightsDuties"));
        Assert.Equal(auditBefore, await app.CountAsync("AuditEvents"));
    }

    [Theory]
    [InlineData(-1, "", "page_size")]
    [InlineData(10, "not-a-token", "page_token")]
    public async Task ListPatients_BadPaging_InvalidArgumentNamesField(int pageSize, string pageToken, string field)
    {
        await using var app = await TestApp.StartAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = pageSize, PageToken = pageToken }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(field, Assert.Single(ex.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task ListPatients_TokenReusedWithOtherFilter_InvalidArgument()
    {
        await using var app = await TestApp.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await app.CreatePatientAsync();
        }

        var first = await app.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 2 });
        Assert.NotEmpty(first.NextPageToken);
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 2, PageToken = first.NextPageToken, LocalId = "RIO-000001" }).ResponseAsync);
        Assert.Equal("page_token", Assert.Single(ex.BadRequest().FieldViolations).Field);
    }

    [Fact]
    public async Task ListPatients_PagesThroughAll_EachExactlyOnceInOrder()
    {
        await using var app = await TestApp.StartAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await app.CreatePatientAsync()).LocalId);
        }

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await app.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 3, PageToken = token });
            seen.AddRange(page.Patients.Select(p => p.LocalId));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(created.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task GetPatient_MalformedName_InvalidArgumentAndUnknownName_NotFound()
    {
        await using var app = await TestApp.StartAsync();
        var bad = await Assert.ThrowsAsync<RpcException>(() => app.Patients.GetPatientAsync(new GetPatientRequest { Name = "people/1" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal("name", Assert.Single(bad.BadRequest().FieldViolations).Field);

        var missing = await Assert.ThrowsAsync<RpcException>(() => app.Patients.GetPatientAsync(new GetPatientRequest { Name = "patients/nobody" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("RESOURCE_NOT_FOUND", missing.ErrorInfo().Reason);
    }
}
