using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using MhaRights.Server.Tests.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Security;

// SQLite only: a file lock, a read-only file and a full disk are the embedded database's failures; a server
// database reports its own through the same DbErrors mapping.
/// <summary>When the database cannot take writes, callers get UNAVAILABLE with a reason, promptly (issue 15).</summary>
public sealed class DatabaseFailureTests
{
    [SqliteFact]
    public async Task Write_AnotherProcessHoldsTheWriteLock_UnavailableWithinTheTimeoutNotTheDeadline()
    {
        await using var app = await TestApp.StartAsync(null, "--Database:WriteLockTimeout=00:00:01");
        await using var blocker = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await blocker.OpenAsync();
        await ExecAsync(blocker, "PRAGMA busy_timeout=0; BEGIN IMMEDIATE;");

        var clock = Stopwatch.StartNew();
        var writes = Enumerable.Range(0, 3).Select(i => Assert.ThrowsAsync<RpcException>(() => app.Patients.CreatePatientAsync(
            new CreatePatientRequest { Patient = new Patient { LocalId = $"LOCKED-{i}" } },
            deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync)).ToList();
        var errors = await Task.WhenAll(writes);
        clock.Stop();

        Assert.All(errors, ex =>
        {
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
            Assert.Equal(ErrorReasons.DatabaseBusy, ex.ErrorInfo().Reason);
        });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");

        await ExecAsync(blocker, "ROLLBACK;");
        Assert.Equal("LOCKED-9", (await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "LOCKED-9" } })).LocalId);
    }

    [SqliteFact]
    public async Task Write_DatabaseReadOnly_UnavailableNothingWrittenAndNotServingUntilWritesWork()
    {
        await using var app = await TestApp.StartAsync();
        var writer = app.Services.GetRequiredService<SqliteGroupCommit>();
        var patientsBefore = await app.CountAsync("Patients");
        await writer.OnWriterAsync(c => Exec(c, "PRAGMA query_only=1;"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RO-1" } }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(ErrorReasons.DatabaseReadOnly, ex.ErrorInfo().Reason);
        Assert.Equal(patientsBefore, await app.CountAsync("Patients"));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await HealthAsync(app));

        await writer.OnWriterAsync(c => Exec(c, "PRAGMA query_only=0;"));
        await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "RO-2" } });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await HealthAsync(app));
    }

    [SqliteFact]
    public async Task Write_DiskFull_UnavailableWithReasonAndNotServing()
    {
        await using var app = await TestApp.StartAsync();
        var writer = app.Services.GetRequiredService<SqliteGroupCommit>();
        // The database may not grow by a single page: the next write that needs one fails as on a full disk.
        await writer.OnWriterAsync(c => Exec(c, "PRAGMA max_page_count = 1;"));

        RpcException? failure = null;
        for (var i = 0; i < 500 && failure is null; i++)
        {
            try
            {
                await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = $"FULL-{i}", GivenName = new string('g', 100), FamilyName = new string('f', 100) } });
            }
            catch (RpcException ex)
            {
                failure = ex;
            }
        }

        Assert.NotNull(failure);
        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal(ErrorReasons.DatabaseFull, failure.ErrorInfo().Reason);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await HealthAsync(app));
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(TestApp app) =>
        (await new Health.HealthClient(app.Channel).CheckAsync(new HealthCheckRequest())).Status;

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
