using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Api;

/// <summary>GetRightsStatus answered by one joined query (Api/RightsStatusQueries.cs): the same answer as the separate reads gave.</summary>
public sealed class RightsStatusQueriesTests
{
    [Fact]
    public async Task GetRightsStatus_RecalledCommunityPatient_RecallIsCurrentAndEachOpenDutyOnce()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var cto = await app.StartAsync(patient, Provision.CommunityTreatmentOrder, suspended: Provision.Section3);
        app.Clock.Advance(TimeSpan.FromDays(3));
        var recall = (await app.LegalStatus.RecallCommunityPatientAsync(new RecallCommunityPatientRequest
        {
            Name = cto.Name, Hospital = "RXM01", RecallTime = Scenario.At(app.Clock.GetUtcNow()),
        })).CurrentEpisode;

        // Two current episodes now (the CTO recalled, the recall active): the joined rows repeat each duty per episode.
        var status = await app.Rights.GetRightsStatusAsync(new GetRightsStatusRequest { Name = patient.Name });
        var open = await app.DutiesAsync(patient, openOnly: true);

        Assert.Equal(recall.Name, status.CurrentEpisode.Name);
        Assert.NotEmpty(open);
        Assert.Equal(open.Select(d => d.Name).Order(StringComparer.Ordinal), status.OpenDuties.Select(d => d.Name).Order(StringComparer.Ordinal));
        var due = status.OpenDuties.Where(d => d.DueTime is not null).Select(d => d.DueTime.ToDateTimeOffset()).ToList();
        Assert.Equal(due.Order(), due);
    }

    [Fact]
    public async Task GetRightsStatus_PatientWithoutEpisode_EmptyStatus()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();

        var status = await app.Rights.GetRightsStatusAsync(new GetRightsStatusRequest { Name = patient.Name });

        Assert.Null(status.CurrentEpisode);
        Assert.Empty(status.OpenDuties);
        Assert.False(status.HasOverdue);
    }

    [Fact]
    public async Task GetRightsStatus_UnknownPatient_NotFound()
    {
        await using var app = await TestApp.StartAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Rights.GetRightsStatusAsync(new GetRightsStatusRequest { Name = "patients/unknownpatient0001" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task ListDuties_PatientWithoutDuties_EmptyPageAndUnknownPatientNotFound()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();

        Assert.Empty(await app.DutiesAsync(patient));
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = "patients/unknownpatient0001" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }
}
