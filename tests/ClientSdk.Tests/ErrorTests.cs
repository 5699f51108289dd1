using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Client.Tests.Infrastructure;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>Every failure is one <see cref="MhaRightsException"/> carrying what the server said.</summary>
public sealed class ErrorTests
{
    [Fact]
    public async Task UpdatePatient_StaleEtag_ExceptionCarriesServersCurrentEtag()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        var patient = await client.CreatePatientAsync();
        var staleEtag = patient.Etag;
        var updated = await client.Patients.UpdatePatientAsync(new UpdatePatientRequest
        {
            Patient = new Patient { Name = patient.Name, Ward = "BIRCH" },
            UpdateMask = new FieldMask { Paths = { "ward" } },
            Etag = staleEtag,
        });

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.UpdatePatientAsync(new UpdatePatientRequest
        {
            Patient = new Patient { Name = patient.Name, Ward = "CEDAR" },
            UpdateMask = new FieldMask { Paths = { "ward" } },
            Etag = staleEtag,
        }));

        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal(MhaRightsErrorReasons.EtagMismatch, ex.Reason);
        Assert.Equal(ErrorReason.EtagMismatch, ex.ErrorReason);
        Assert.Equal(updated.Etag, ex.CurrentEtag);
        Assert.Equal((await client.Patients.GetPatientAsync(patient.Name)).Etag, ex.CurrentEtag);
        Assert.NotNull(ex.RequestId);
        Assert.IsType<RpcException>(ex.InnerException);
        // A conflict is the caller's to resolve, never retried.
        Assert.Equal(2, server.Probe.CallsTo("PatientService/UpdatePatient").Count);
    }

    [Fact]
    public async Task RecordExplanationAttempt_DutyChangedSinceRead_CurrentEtagOfDutyReturned()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync(InProcessServer.EprIntegration);
        var patient = await client.CreatePatientAsync();
        await client.StartEpisodeAsync(server, patient);
        var duty = await client.Section1321DutyAsync(patient);
        var first = await client.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, Etag = duty.Etag, Attempt = TestData.Attempt(server, AttemptOutcome.PartlyUnderstood),
        });

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, Etag = duty.Etag, Attempt = TestData.Attempt(server),
        }));

        Assert.Equal(MhaRightsErrorReasons.EtagMismatch, ex.Reason);
        Assert.Equal(first.Duty.Etag, ex.CurrentEtag);
    }

    [Fact]
    public async Task CreatePatient_InvalidFields_FieldViolationsNameEachField()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.CreatePatientAsync(new CreatePatientRequest
        {
            Patient = new Patient { LocalId = "BAD-1", NhsNumber = "1234567890", EthnicCategory = "QQ" },
        }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(MhaRightsErrorReasons.InvalidArgument, ex.Reason);
        Assert.Contains(ex.FieldViolations, v => v.Field == "patient.nhs_number" && v.Description.Length > 0);
        Assert.Contains(ex.FieldViolations, v => v.Field == "patient.ethnic_category");
        Assert.Contains("patient.nhs_number", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PatientService.CreatePatient", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.CurrentEtag);
        Assert.NotNull(ex.RpcStatus);
    }

    [Fact]
    public async Task GetPatient_Unknown_NotFoundWithResourceMetadata()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.GetPatientAsync("patients/nobody"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(MhaRightsErrorReasons.ResourceNotFound, ex.Reason);
        Assert.Equal("patients/nobody", ex.Metadata["resource"]);
        Assert.Null(ex.RequestId);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task EndEpisode_AlreadyEnded_InvalidStateTransitionWithStateAndTrigger()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = await server.CreateClientAsync();
        var patient = await client.CreatePatientAsync();
        var episode = await client.StartEpisodeAsync(server, patient);
        EndEpisodeRequest End() => new()
        {
            Name = episode.Name,
            EndTime = Timestamp.FromDateTimeOffset(server.Clock.GetUtcNow()),
            EndReason = LegalStatusEpisode.Types.EndReason.DischargedByResponsibleClinician,
        };
        await client.LegalStatus.EndEpisodeAsync(End());

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.LegalStatus.EndEpisodeAsync(End()));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal(MhaRightsErrorReasons.InvalidStateTransition, ex.Reason);
        Assert.True(ex.Metadata.ContainsKey("state"));
        Assert.True(ex.Metadata.ContainsKey("trigger"));
    }

    [Fact]
    public async Task AnyCall_WithoutCredential_UnauthenticatedReason()
    {
        await using var server = await InProcessServer.StartAsync();
        var client = server.CreateClient(credential: null);

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() => client.Patients.GetPatientAsync("patients/any"));

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal(MhaRightsErrorReasons.Unauthenticated, ex.Reason);
    }

    [Fact]
    public void ErrorReasons_ComparedWithContractEnum_EveryReasonDocumentedOnce()
    {
        var documented = typeof(MhaRightsErrorReasons)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(MhaRightsErrorReasons.Domain))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        var contract = CommonReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason").Values
            .Where(v => v.Number != 0)
            .Select(v => v.Name["ERROR_REASON_".Length..])
            .ToHashSet();

        // Every contract reason is documented; the only extra is INTERNAL, which the server uses for the unexpected.
        Assert.Empty(contract.Except(documented));
        Assert.Equal([MhaRightsErrorReasons.Internal], documented.Except(contract));
        Assert.Equal("mharights.nhs.uk", MhaRightsErrorReasons.Domain);
        foreach (var reason in contract)
        {
            Assert.NotEqual(ErrorReason.Unspecified, new MhaRightsException(StatusCode.Unknown, "x", reason).ErrorReason);
        }
    }

    [Fact]
    public void FromRpcException_NoStatusDetails_KeepsCodeAndDetail()
    {
        var ex = MhaRightsException.FromRpcException(new RpcException(new Status(StatusCode.Unavailable, "connection refused")), "PatientService.GetPatient");

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Null(ex.Reason);
        Assert.Empty(ex.Metadata);
        Assert.Empty(ex.FieldViolations);
        Assert.Equal(ErrorReason.Unspecified, ex.ErrorReason);
        Assert.Equal("PatientService.GetPatient failed: Unavailable: connection refused", ex.Message);
    }
}
