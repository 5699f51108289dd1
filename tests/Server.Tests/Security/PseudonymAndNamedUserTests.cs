using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>Auditor pseudonyms and the x-mharights-display-name header (issue 15), through the gRPC stack.</summary>
public sealed class PseudonymAndNamedUserTests
{
    [Fact]
    public async Task GetPatient_AuditorWithoutIdentifiableAccess_PseudonymisedAndStable()
    {
        await using var app = await TestApp.StartAsync();
        var first = await app.CreatePatientAsync(p => { p.NhsNumber = "9434765919"; p.DateOfBirth = new Google.Type.Date { Year = 1980, Month = 5, Day = 4 }; });
        var second = await app.CreatePatientAsync();
        await app.StartAsync(first, Provision.Section2);
        var (channel, _) = await OrganisationScopeTests.KeyAsync(app, Roles.Auditor, k => k.TrustWide = true);
        var client = new PatientService.PatientServiceClient(channel);

        var read = await client.GetPatientAsync(new GetPatientRequest { Name = first.Name });
        var again = await client.GetPatientAsync(new GetPatientRequest { Name = first.Name });
        var listed = (await client.ListPatientsAsync(new ListPatientsRequest { PageSize = 100 })).Patients;
        var other = listed.Single(p => p.Name == second.Name);

        Assert.True(read.Pseudonymised);
        Assert.StartsWith(Pseudonyms.Prefix, read.Pseudonym, StringComparison.Ordinal);
        Assert.Equal(20, read.Pseudonym.Length);
        Assert.Equal(read.Pseudonym, read.LocalId);
        Assert.Empty(read.NhsNumber);
        Assert.Empty(read.GivenName);
        Assert.Empty(read.FamilyName);
        Assert.Null(read.DateOfBirth);
        Assert.Empty(read.NearestRelative.FullName);
        Assert.Equal(read.Pseudonym, again.Pseudonym);
        Assert.Equal(read.Pseudonym, listed.Single(p => p.Name == first.Name).Pseudonym);
        Assert.NotEqual(read.Pseudonym, other.Pseudonym);
        Assert.All(listed, p => Assert.True(p.Pseudonymised));
        Assert.DoesNotContain(listed, p => p.LocalId == first.LocalId || p.NhsNumber.Length > 0);
    }

    [Fact]
    public async Task GetPatient_AuditorWithIdentifiableAccessOrClinician_Identifiers()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync(p => p.NhsNumber = "9434765919");
        var (auditor, _) = await OrganisationScopeTests.KeyAsync(app, Roles.Auditor, k => { k.TrustWide = true; k.IdentifiableAccess = true; });
        var (clinician, _) = await OrganisationScopeTests.KeyAsync(app, Roles.Clinician, k => k.TrustWide = true);

        var byAuditor = await new PatientService.PatientServiceClient(auditor).GetPatientAsync(new GetPatientRequest { Name = patient.Name });
        var byClinician = await new PatientService.PatientServiceClient(clinician).GetPatientAsync(new GetPatientRequest { Name = patient.Name });

        Assert.False(byAuditor.Pseudonymised);
        Assert.Equal("9434765919", byAuditor.NhsNumber);
        Assert.Equal(patient.LocalId, byAuditor.LocalId);
        Assert.Empty(byAuditor.Pseudonym);
        Assert.False(byClinician.Pseudonymised);
        Assert.Equal(patient.FamilyName, byClinician.FamilyName);
    }

    [Fact]
    public async Task ListPatients_PseudonymisedAuditorFiltersByNhsNumber_PermissionDenied()
    {
        await using var app = await TestApp.StartAsync();
        var (channel, _) = await OrganisationScopeTests.KeyAsync(app, Roles.Auditor, k => k.TrustWide = true);

        var ex = await Assert.ThrowsAsync<RpcException>(() => new PatientService.PatientServiceClient(channel).ListPatientsAsync(new ListPatientsRequest { NhsNumber = "9434765919" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(ErrorReasons.IdentifiableAccessRequired, ex.ErrorInfo().Reason);
    }

    [Fact]
    public async Task DisplayNameHeader_KeyMayNotActForNamedUser_PermissionDeniedNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var (channel, _) = await OrganisationScopeTests.KeyAsync(app, Roles.EprIntegration, k => k.TrustWide = true);
        var headers = new Metadata { { ApiKeyAuthenticationHandler.DisplayNameHeader, "Dr A. Clinician" } };
        var before = await app.CountAsync("Patients");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new PatientService.PatientServiceClient(channel)
            .CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-NAMED-1" } }, headers).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(ErrorReasons.NamedUserNotPermitted, ex.ErrorInfo().Reason);
        Assert.Equal(before, await app.CountAsync("Patients"));
    }

    [Fact]
    public async Task DisplayNameHeader_KeyMayActForNamedUser_RecordedOnAuditEvent()
    {
        await using var app = await TestApp.StartAsync();
        var (channel, _) = await OrganisationScopeTests.KeyAsync(app, Roles.EprIntegration, k => { k.TrustWide = true; k.MayActForNamedUser = true; });
        var headers = new Metadata { { ApiKeyAuthenticationHandler.DisplayNameHeader, "  Dr B. Named  " } };

        var patient = await new PatientService.PatientServiceClient(channel).CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-NAMED-2" } }, headers);

        var created = Assert.Single((await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = patient.Name })).Events, e => e.Action == "CreatePatient");
        Assert.Equal("Dr B. Named", created.Actor.DisplayName);
    }

    [Theory]
    [InlineData("too long")]
    [InlineData("bidi")]
    [InlineData("blank")]
    public async Task DisplayNameHeader_Invalid_InvalidArgumentNamingHeader(string kind)
    {
        await using var app = await TestApp.StartAsync();
        var (channel, _) = await OrganisationScopeTests.KeyAsync(app, Roles.EprIntegration, k => { k.TrustWide = true; k.MayActForNamedUser = true; });
        var value = kind switch { "too long" => new string('a', 201), "bidi" => "Dr \u202Eevil", _ => "   " };
        var before = await app.CountAsync("Patients");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new PatientService.PatientServiceClient(channel)
            .CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-NAMED-3" } }, new Metadata { { ApiKeyAuthenticationHandler.DisplayNameHeader, value } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(ex.BadRequest().FieldViolations, v => v.Field == ApiKeyAuthenticationHandler.DisplayNameHeader);
        Assert.Equal(before, await app.CountAsync("Patients"));
    }
}
