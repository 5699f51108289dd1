using MhaRights.Contracts.V1;
using MhaRights.Server.Audit;
using MhaRights.Server.Persistence;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Damage = MhaRights.Contracts.V1.AuditDamage;
using ServerAuditEvent = MhaRights.Server.Audit.AuditEvent;
using ServerCheckpoint = MhaRights.Server.Audit.AuditCheckpoint;

namespace MhaRights.Server.Tests.Security;

/// <summary>
/// Someone who can write the database file tries to hide what happened; a keyed chain plus signed checkpoints
/// outside the database must name the damage (issue 15).
/// </summary>
public sealed class AuditTamperTests
{
    [Fact]
    public async Task Verify_EventEdited_Edited()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAndCheckpointAsync(app);
        await ExecuteSqlAsync(app, "UPDATE \"AuditEvents\" SET \"ToState\" = 'Understood' WHERE \"Sequence\" = 5");

        await AssertDamageAsync(app, Damage.Edited, 5);
    }

    [Fact]
    public async Task Verify_MiddleEventDeleted_Missing()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAndCheckpointAsync(app);
        await ExecuteSqlAsync(app, "DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 4");

        await AssertDamageAsync(app, Damage.Missing, 4);
    }

    [Fact]
    public async Task Verify_NewestEventsDeleted_Truncated()
    {
        await using var app = await TestApp.StartAsync();
        var head = await SeedAndCheckpointAsync(app);
        await ExecuteSqlAsync(app, $"DELETE FROM \"AuditEvents\" WHERE \"Sequence\" >= {head.Sequence - 1}");

        await AssertDamageAsync(app, Damage.Truncated, head.Sequence - 1);
    }

    [Fact]
    public async Task Verify_AllEventsDeleted_DeletedAll()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAndCheckpointAsync(app);
        await ExecuteSqlAsync(app, "DELETE FROM \"AuditEvents\"");

        await AssertDamageAsync(app, Damage.DeletedAll, 1);
    }

    [Fact]
    public async Task Verify_EditedAndChainRecomputedWithoutTheKey_Edited()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAndCheckpointAsync(app);
        // The attack that used to pass: edit, then recompute every later hash as plain SHA-256.
        await RewriteAsync(app, 5, AuditLog.ComputeHash);

        await AssertDamageAsync(app, Damage.Edited, 5);
    }

    [Fact]
    public async Task Verify_EditedAndRecomputedWithTheStolenKey_RewrittenAtTheCheckpoint()
    {
        await using var app = await TestApp.StartAsync();
        var head = await SeedAndCheckpointAsync(app);
        var key = new AuditChainKey(Convert.FromBase64String(TestApp.ChainKey));
        await RewriteAsync(app, 5, key.Hash);

        await AssertDamageAsync(app, Damage.Rewritten, head.Sequence);
    }

    [Fact]
    public async Task Stop_ShutdownTimeoutRunsOutBeforeTheLastCheckpoint_StopsWithoutErrorAndLogIntact()
    {
        await using var app = await TestApp.StartAsync();
        var head = await SeedAndCheckpointAsync(app);
        var checkpoints = app.Services.GetRequiredService<AuditCheckpoints>();
        await app.Patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = "AFTER-CHECKPOINT" } });
        var lines = (await File.ReadAllLinesAsync(checkpoints.FilePath)).Length;

        // A host whose shutdown timeout has already passed: the checkpoint at stop gives way instead of failing the stop.
        await checkpoints.StopAsync(new CancellationToken(canceled: true));

        Assert.Equal(lines, (await File.ReadAllLinesAsync(checkpoints.FilePath)).Length);
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { Checkpoints = { head } })).Valid);
    }

    [Fact]
    public async Task Verify_CheckpointLogEdited_BadSignature()
    {
        await using var app = await TestApp.StartAsync();
        var head = await SeedAndCheckpointAsync(app);
        var path = app.Services.GetRequiredService<AuditCheckpoints>().FilePath;
        var line = (await File.ReadAllLinesAsync(path)).Single();
        // Lowering the checkpointed sequence would let a truncation pass: it must not verify.
        await File.WriteAllTextAsync(path, line.Replace(head.Sequence + " ", (head.Sequence - 2) + " ", StringComparison.Ordinal) + "\n");

        await AssertDamageAsync(app, Damage.BadSignature, head.Sequence - 2);
    }

    [Fact]
    public async Task Verify_EventsAndCheckpointLogDeleted_AuditorsKeptCheckpointDetectsIt()
    {
        await using var app = await TestApp.StartAsync();
        var kept = await SeedAndCheckpointAsync(app);
        await ExecuteSqlAsync(app, "DELETE FROM \"AuditEvents\"");
        File.Delete(app.Services.GetRequiredService<AuditCheckpoints>().FilePath);

        var withoutCopy = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        var withCopy = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { Checkpoints = { kept } });

        Assert.True(withoutCopy.Valid);
        Assert.False(withCopy.Valid);
        Assert.Equal(Damage.DeletedAll, withCopy.Damage);
    }

    [Fact]
    public async Task Verify_ForgedSuppliedCheckpoint_BadSignature()
    {
        await using var app = await TestApp.StartAsync();
        var head = await SeedAndCheckpointAsync(app);
        var forged = head.Clone();
        forged.Sequence += 10;

        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { Checkpoints = { forged } });

        Assert.Equal(Damage.BadSignature, result.Damage);
        Assert.Equal(head.Sequence + 10, result.FirstInvalidSequence);
    }

    [Fact]
    public async Task Verify_UntouchedWithCheckpoints_ValidAndCheckpointsCounted()
    {
        await using var app = await TestApp.StartAsync();
        var head = await SeedAndCheckpointAsync(app);
        await app.CreatePatientAsync();

        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest { Checkpoints = { head } });

        Assert.True(result.Valid, result.Problem);
        Assert.Equal(Damage.Unspecified, result.Damage);
        Assert.Equal(2, result.CheckpointsChecked);
        Assert.Equal(await app.CountAsync("AuditEvents"), result.EventsChecked);
    }

    [Fact]
    public async Task CreateAuditCheckpoint_ChainEditedSinceTheLastOne_RefusedAndNothingSigned()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAndCheckpointAsync(app);
        await app.CreatePatientAsync();
        var path = app.Services.GetRequiredService<AuditCheckpoints>().FilePath;
        var newest = await app.CountAsync("AuditEvents");
        await ExecuteSqlAsync(app, $"UPDATE \"AuditEvents\" SET \"Reason\" = 'nothing to see' WHERE \"Sequence\" = {newest}");

        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => app.Audit.CreateAuditCheckpointAsync(new CreateAuditCheckpointRequest()).ResponseAsync);

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Single(await File.ReadAllLinesAsync(path));
    }

    [Fact]
    public async Task Checkpoints_EveryNEventsAndOnShutdown_WrittenToTheLog0600()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("mharights-cp-").FullName, "checkpoints.log");
        long events;
        await using (var app = await TestApp.StartAsync(null, "--Audit:CheckpointEvery=3", $"--Audit:CheckpointFile={path}"))
        {
            await app.CreatePatientAsync();
            await app.CreatePatientAsync();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.Exists(path) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(File.Exists(path), "no checkpoint after crossing a multiple of Audit:CheckpointEvery");
            await app.CreatePatientAsync();
            events = await app.CountAsync("AuditEvents");
        }

        var lines = await File.ReadAllLinesAsync(path);
        Assert.True(ServerCheckpoint.TryParse(lines[^1], out var last));
        Assert.Equal(events, last.Sequence);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(DataFolder.FileMode, File.GetUnixFileMode(path));
        }
    }

    private static async Task<Contracts.V1.AuditCheckpoint> SeedAndCheckpointAsync(TestApp app)
    {
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var checkpoint = await app.Audit.CreateAuditCheckpointAsync(new CreateAuditCheckpointRequest());
        Assert.Equal(await app.CountAsync("AuditEvents"), checkpoint.Sequence);
        Assert.True(checkpoint.Sequence >= 8);
        return checkpoint;
    }

    private static async Task AssertDamageAsync(TestApp app, Damage damage, long firstInvalid)
    {
        var result = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.False(result.Valid);
        Assert.Equal((damage, firstInvalid), (result.Damage, result.FirstInvalidSequence));
        Assert.False(string.IsNullOrEmpty(result.Problem));
    }

    /// <summary>Edits event <paramref name="from"/> and recomputes the hash and link of it and every later event.</summary>
    private static async Task RewriteAsync(TestApp app, long from, Func<ServerAuditEvent, string> hash)
    {
        List<ServerAuditEvent> events;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            events = await scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>().AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        }

        await using var connection = await TestDatabase.OpenAsync(app.ConnectionString);
        var previous = events.Single(e => e.Sequence == from - 1).Hash;
        foreach (var e in events.Where(e => e.Sequence >= from))
        {
            if (e.Sequence == from)
            {
                e.Reason = "rewritten";
            }

            e.PreviousHash = previous;
            e.Hash = hash(e);
            previous = e.Hash;
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE \"AuditEvents\" SET \"Reason\" = @r, \"PreviousHash\" = @p, \"Hash\" = @h WHERE \"Sequence\" = @s";
            Add(command, "r", (object?)e.Reason ?? DBNull.Value);
            Add(command, "p", e.PreviousHash);
            Add(command, "h", e.Hash);
            Add(command, "s", e.Sequence);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    // Straight to the database of the active provider, past the service: what someone with write access could do.
    private static async Task ExecuteSqlAsync(TestApp app, string sql) => Assert.True(await app.ExecuteNonQueryAsync(sql) > 0);

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
