using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Security;

/// <summary>The audit trail is evidence: attributable to the authenticated caller and tamper-evident.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task VerifyAuditChain_UntouchedDatabase_Valid()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);
        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(await app.CountAsync("AuditEvents"), result.EventsChecked);
    }

    [Fact]
    public async Task VerifyAuditChain_RowEditedInTheFile_InvalidNamingThatEvent()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);
        await ExecuteSqlAsync(app, "UPDATE \"AuditEvents\" SET \"ToState\" = 'Understood' WHERE \"Sequence\" = 5");

        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Valid);
        Assert.Equal(5, result.FirstInvalidSequence);
        Assert.Contains("edited", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAuditChain_RowDeletedFromTheFile_InvalidNamingTheGap()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);
        await ExecuteSqlAsync(app, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 4");

        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Valid);
        Assert.Equal(4, result.FirstInvalidSequence);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAuditChain_RowsSwapped_InvalidNamingTheFirstMovedEvent()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);
        // Reorder: give events 3 and 4 each other's position (content moves, sequence numbers stay).
        await ExecuteSqlAsync(app, "UPDATE \"AuditEvents\" SET \"Sequence\" = -1 WHERE \"Sequence\" = 3; UPDATE \"AuditEvents\" SET \"Sequence\" = 3 WHERE \"Sequence\" = 4; UPDATE \"AuditEvents\" SET \"Sequence\" = 4 WHERE \"Sequence\" = -1;");

        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());

        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstInvalidSequence);
    }

    [Fact]
    public async Task AuditEvent_ChangeByApiKey_ActorFromIdentityAndDisplayNameCarried()
    {
        await using var app = await TestApp.StartAsync();
        var patients = new PatientService.PatientServiceClient(app.ChannelFor(Roles.EprIntegration));
        var headers = new Grpc.Core.Metadata { { ApiKeyAuthenticationHandler.DisplayNameHeader, "Dr A. Clinician" } };
        var patient = await patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RIO-77" } }, headers);

        var events = (await app.Audit.ListAuditEventsAsync(new ListAuditEventsRequest { ResourcePrefix = patient.Name })).Events;
        var created = Assert.Single(events, e => e.Action == "CreatePatient");
        Assert.StartsWith("apiKeys/", created.Actor.Principal, StringComparison.Ordinal);
        Assert.Equal(Roles.EprIntegration, created.Actor.Role);
        Assert.Equal("Dr A. Clinician", created.Actor.DisplayName);
    }

    private static async Task SeedAsync(TestApp app)
    {
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        Assert.True(await app.CountAsync("AuditEvents") >= 6);
    }

    // Identifiers quoted: the same statement runs on SQLite and PostgreSQL.
    private static async Task ExecuteSqlAsync(TestApp app, string sql) => Assert.True(await app.ExecuteNonQueryAsync(sql) > 0);
}
