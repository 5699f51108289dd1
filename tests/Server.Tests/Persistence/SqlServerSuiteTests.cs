using Grpc.Net.Client;
using MhaRights.Contracts.V1;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// The service on a real SQL Server: explicit migration, then the rights lifecycle through the gRPC stack.
/// Skipped (with the reason printed) where no server is available; see SqlServerFactAttribute.
/// </summary>
public sealed class SqlServerSuiteTests
{
    // Pinned, so a run does not change with the registry's "latest".
    private const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";

    [SqlServerFact]
    public async Task MigrateAndRecordExplanation_RealSqlServer_DutyUnderstoodAndAudited()
    {
        MsSqlContainer? container = null;
        var connectionString = SqlServerAvailability.ConnectionString;
        if (connectionString is null)
        {
            // Testcontainers.MsSql: random host port, SA password, and a wait until sqlcmd answers.
            container = new MsSqlBuilder(Image).Build();
            await container.StartAsync();
            connectionString = container.GetConnectionString();
        }

        var database = $"MhaRightsTest{Guid.NewGuid():N}";
        var builder = new SqlConnectionStringBuilder(connectionString) { InitialCatalog = database };
        try
        {
            var appBuilder = ServerApp.CreateBuilder(
            [
                "--Database:Provider=SqlServer",
                $"--Database:ConnectionString={builder.ConnectionString}",
                "--Sweeper:Enabled=false",
                "--Server:Url=",
                "--Logging:LogLevel:Default=Warning",
            ], b => b.WebHost.UseTestServer());
            await using var app = ServerApp.Build(appBuilder);
            await app.Services.MigrateAsync();
            await app.StartAsync();
            using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
            var patients = new PatientService.PatientServiceClient(channel);
            var legal = new LegalStatusService.LegalStatusServiceClient(channel);
            var rights = new RightsService.RightsServiceClient(channel);

            var patient = await patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "SQL-1" }, RequestId = Guid.NewGuid().ToString() });
            await legal.StartEpisodeAsync(new StartEpisodeRequest
            {
                Parent = patient.Name,
                Episode = new LegalStatusEpisode { Provision = Provision.Section2, Hospital = "RXM01", StartTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddHours(-1)) },
            });
            var duty = (await rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name })).Duties.First(d => d.Kind == DutyKind.Section1321);
            var result = await rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
            {
                Parent = duty.Name,
                Attempt = new ExplanationAttempt
                {
                    AttemptTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
                    ExplainedBy = "Jo Nurse",
                    ExplainedByRole = "Staff nurse",
                    OralGiven = true,
                    WrittenGiven = true,
                    LeafletId = "DH-S2",
                    Outcome = AttemptOutcome.Understood,
                },
            });
            Assert.Equal(RightsDuty.Types.State.Understood, result.Duty.State);
            var chain = await new AuditService.AuditServiceClient(channel).VerifyAuditChainAsync(new VerifyAuditChainRequest());
            Assert.True(chain.Valid, chain.Problem);
        }
        finally
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }
            else
            {
                await using var master = new SqlConnection(connectionString);
                await master.OpenAsync();
                await using var drop = master.CreateCommand();
                drop.CommandText = $"IF DB_ID('{database}') IS NOT NULL BEGIN ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}]; END";
                await drop.ExecuteNonQueryAsync();
            }
        }
    }
}
