using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Api;

/// <summary>AIP-155 request ids, AIP-154 etags and AIP-216 illegal transitions through the real gRPC stack.</summary>
public sealed class ConsistencyTests
{
    [Fact]
    public async Task CreatePatient_DuplicateRequestId_ReturnsFirstResultAndWritesNothingNew()
    {
        await using var app = await TestApp.StartAsync();
        var request = new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-42" }, RequestId = Guid.NewGuid().ToString() };
        var first = await app.Patients.CreatePatientAsync(request);
        var audit = await app.CountAsync("AuditEvents");

        var second = await app.Patients.CreatePatientAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(1, await app.CountAsync("Patients"));
        Assert.Equal(audit, await app.CountAsync("AuditEvents"));
    }

    [Fact]
    public async Task RequestId_ReusedForDifferentRequest_InvalidArgumentNamesRequestId()
    {
        await using var app = await TestApp.StartAsync();
        var id = Guid.NewGuid().ToString();
        await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-1" }, RequestId = id });
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-2" }, RequestId = id }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("REQUEST_ID_REUSED", ex.ErrorInfo().Reason);
        Assert.Equal(1, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task RecordExplanationAttempt_RetriedWithSameRequestId_RecordsOneAttempt()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).First(d => d.Kind == DutyKind.Section1321);
        var id = Guid.NewGuid().ToString();

        var first = await app.ExplainAsync(duty, AttemptOutcome.Understood, requestId: id);
        var second = await app.ExplainAsync(duty, AttemptOutcome.Understood, requestId: id);

        Assert.Equal(first.Attempt.Name, second.Attempt.Name);
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
    }

    [Fact]
    public async Task UpdatePatient_StaleEtag_AbortedWithCurrentEtag()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var stale = patient.Etag;
        var updated = await app.Patients.UpdatePatientAsync(new UpdatePatientRequest
        {
            Patient = new Patient { Name = patient.Name, Ward = "BIRCH" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "ward" } },
            Etag = stale,
        });
        Assert.NotEqual(stale, updated.Etag);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.UpdatePatientAsync(new UpdatePatientRequest
        {
            Patient = new Patient { Name = patient.Name, Ward = "CEDAR" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "ward" } },
            Etag = stale,
        }).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("ETAG_MISMATCH", ex.ErrorInfo().Reason);
        Assert.Equal(updated.Etag, ex.ErrorInfo().Metadata["current_etag"]);
        Assert.Equal("BIRCH", (await app.Patients.GetPatientAsync(new GetPatientRequest { Name = patient.Name })).Ward);
    }

    [Fact]
    public async Task EndEpisode_AlreadyEnded_FailedPreconditionWithStateTransitionErrorInfo()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section2);
        var end = new EndEpisodeRequest
        {
            Name = episode.Name,
            EndTime = Scenario.At(app.Clock.GetUtcNow()),
            EndReason = LegalStatusEpisode.Types.EndReason.DischargedByResponsibleClinician,
        };
        await app.LegalStatus.EndEpisodeAsync(end);

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.LegalStatus.EndEpisodeAsync(end).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        var info = ex.ErrorInfo();
        Assert.Equal("INVALID_STATE_TRANSITION", info.Reason);
        Assert.Equal("Ended", info.Metadata["state"]);
        Assert.Equal("End", info.Metadata["trigger"]);
        Assert.Equal("This legal status episode has already ended; record a new episode for any later detention or order.", ex.Status.Detail);
    }

    [Fact]
    public async Task RenewEpisode_ProvisionWithoutRenewal_FailedPreconditionNamesUnmetGuard()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        var episode = await app.StartAsync(patient, Provision.Section3741);
        var ex = await Assert.ThrowsAsync<RpcException>(() => app.LegalStatus.RenewEpisodeAsync(new RenewEpisodeRequest
        {
            Name = episode.Name,
            RenewalTime = Scenario.At(app.Clock.GetUtcNow()),
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("renewed", ex.ErrorInfo().Metadata["unmet_guards"], StringComparison.Ordinal);
    }
}
