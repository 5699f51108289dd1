using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>Free text may span lines; what is refused is named (issue 15). The refusals are in BadInputCorpusTests.</summary>
public sealed class TextInputTests
{
    [Fact]
    public async Task SetNearestRelative_AddressWithLineBreaksAndTab_Accepted()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();

        var updated = await app.Patients.SetNearestRelativeAsync(new SetNearestRelativeRequest
        {
            Name = patient.Name,
            NearestRelative = new NearestRelative { Status = NearestRelative.Types.Status.Identified, FullName = "Siân O'Connor-Łukasz", Address = "1 High Street\r\nTown\tAB1 2CD" },
        });

        Assert.Equal("1 High Street\r\nTown\tAB1 2CD", updated.NearestRelative.Address);
    }

    [Fact]
    public async Task CreatePatient_SeveralForbiddenFields_AllNamedAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var before = await app.CountAsync("Patients");

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.CreatePatientAsync(new CreatePatientRequest
        {
            Patient = new Patient { LocalId = "RIO-1", GivenName = "A\u202Eb", FamilyName = "C\u0000" },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["patient.family_name", "patient.given_name"], ex.BadRequest().FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
        Assert.Equal(before, await app.CountAsync("Patients"));
    }
}
