using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Api;
using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using MhaRights.Server.Tests.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    [SqliteFact]
    public async Task SqliteStatus_WritesCommittingDuringTheReads_EpisodeAndDutiesFromOneSnapshot()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var patientId = ResourceNames.ParsePatient("name", patient.Name);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();
        var statements = RightsStatusQueries.SqliteStatements.For(db);

        // A writer changing the episode and its open duties together, in one transaction each time, as a transfer does.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var writer = Task.Run(() =>
        {
            using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
            connection.Open();
            for (var version = 1000; !stop.IsCancellationRequested; version++)
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    UPDATE "LegalStatusEpisodes" SET "Version" = $v WHERE "PatientId" = $p;
                    UPDATE "RightsDuties" SET "Version" = $v WHERE "PatientId" = $p;
                    """;
                command.Parameters.AddWithValue("$v", version);
                command.Parameters.AddWithValue("$p", patientId);
                command.ExecuteNonQuery();
                transaction.Commit();
            }
        });

        var reads = 0;
        while (!stop.IsCancellationRequested)
        {
            var (episode, open) = await RightsStatusQueries.StatusAsync(db, patientId, CancellationToken.None);
            Assert.NotNull(episode);
            Assert.NotEmpty(open);
            // Two reads with a commit between them would pair one version of the episode with another of its duties.
            Assert.All(open, duty => Assert.Equal(episode.Version, duty.Version));
            reads++;
        }

        await writer;
        Assert.True(reads > 100, $"only {reads} reads");

        // A read that fails (an unknown patient) still ends its transaction: the pooled connection holds no snapshot.
        using var after = SqliteReadConnections.Open(db.Database.GetConnectionString()!);
        Assert.Throws<MhaRights.Server.Common.ResourceNotFoundException>(() => SqliteReadConnections.InSnapshot(after, "unknownpatient0001", statements.Read));
        Assert.Equal(1, SQLitePCL.raw.sqlite3_get_autocommit(after.Handle));
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
