using Grpc.Core;
using MhaRights.Contracts.V1;

namespace MhaRights.Client.Tests;

/// <summary>Integrators can unit-test their own code against a mocked client (Azure SDK mocking guidelines).</summary>
public sealed class MockingTests
{
    [Fact]
    public async Task MockedClient_OverriddenMethods_UsedByCodeUnderTest()
    {
        var client = new FakeClient();

        var names = await PatientNamesAsync(client);

        Assert.Equal(["patients/p1", "patients/p2"], names);
    }

    [Fact]
    public async Task MockedClient_ThrowsBuiltException_CallerSeesReasonAndEtag()
    {
        var client = new FakeClient();

        var ex = await Assert.ThrowsAsync<MhaRightsException>(() =>
            client.Patients.UpdatePatientAsync(new UpdatePatientRequest()));

        Assert.Equal("\"v2\"", ex.CurrentEtag);
        Assert.Equal(ErrorReason.EtagMismatch, ex.ErrorReason);
    }

    /// <summary>Code an integrator might write: the names of all patients.</summary>
    private static async Task<List<string>> PatientNamesAsync(MhaRightsClient client)
    {
        var names = new List<string>();
        await foreach (var patient in client.Patients.ListPatientsAsync(new ListPatientsRequest()))
        {
            names.Add(patient.Name);
        }

        return names;
    }

    private sealed class FakeClient : MhaRightsClient
    {
        public override PatientsClient Patients { get; } = new FakePatients();
    }

    private sealed class FakePatients : PatientsClient
    {
        public override AsyncPageable<Patient> ListPatientsAsync(ListPatientsRequest request, CancellationToken cancellationToken = default) =>
            AsyncPageable<Patient>.FromPages(
            [
                Page<Patient>.FromValues([new Patient { Name = "patients/p1" }], "next"),
                Page<Patient>.FromValues([new Patient { Name = "patients/p2" }], null),
            ]);

        public override Task<Patient> UpdatePatientAsync(UpdatePatientRequest request, CancellationToken cancellationToken = default) =>
            throw new MhaRightsException(
                StatusCode.Aborted,
                "etag mismatch",
                MhaRightsErrorReasons.EtagMismatch,
                new Dictionary<string, string> { ["current_etag"] = "\"v2\"" });
    }
}
