using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// SQLite group commit: queued units of work share one COMMIT, a failing unit undoes only itself, and no unit is
/// answered before the COMMIT that makes it durable.
/// </summary>
public sealed class GroupCommitTests
{
    [SqliteFact]
    public async Task ConcurrentUnits_QueuedBehindOne_CommittedTogetherInFewerCommits()
    {
        await using var app = await TestApp.StartAsync();
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        var commitsBefore = groupCommit.Commits;

        var results = await RunBatchAsync(app, groupCommit, Enumerable.Range(0, 12).Select(i => Unit($"GroupCommitTest-{i}")).ToArray());

        Assert.All(results, r => Assert.Null(r));
        Assert.Equal(1, groupCommit.Commits - commitsBefore);
        Assert.Equal(12, await CountAuditAsync(app, "GroupCommitTest-"));
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    [SqliteFact]
    public async Task SequentialUnits_NobodyQueued_EachCommitsOnItsOwn()
    {
        await using var app = await TestApp.StartAsync();
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        var commitsBefore = groupCommit.Commits;

        for (var i = 0; i < 3; i++)
        {
            await RunAsync(app, Unit($"Sequential-{i}"));
            // Committed before it returned: visible to a separate connection straight away.
            Assert.Equal(i + 1, await CountAuditAsync(app, "Sequential-"));
        }

        Assert.Equal(3, groupCommit.Commits - commitsBefore);
    }

    [SqliteFact]
    public async Task UnitOfWork_ReadAfterWriteInSameScope_UsesItsOwnConnectionAndSeesTheWrite()
    {
        await using var app = await TestApp.StartAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MhaRightsDbContext>();

        await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(ct => Unit("ReadAfterWrite")(scope.ServiceProvider, ct), CancellationToken.None);

        // The writer connection is always open; the context is back on a closed, pooled one with no transaction.
        Assert.Equal(System.Data.ConnectionState.Closed, db.Database.GetDbConnection().State);
        Assert.Null(db.Database.CurrentTransaction);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "ReadAfterWrite"));
    }

    [SqliteFact]
    public async Task BatchWithFailingUnit_OthersCommitted_FailingUnitUndone()
    {
        await using var app = await TestApp.StartAsync();
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();

        var results = await RunBatchAsync(app, groupCommit, Unit("Kept-1"), Unit("Undone-2", fail: true), Unit("Kept-3"));

        Assert.Null(results[0]);
        Assert.IsType<InvalidOperationException>(results[1]);
        Assert.Null(results[2]);
        Assert.Equal(2, await CountAuditAsync(app, "Kept-"));
        Assert.Equal(0, await CountAuditAsync(app, "Undone-"));
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    [SqliteFact]
    public async Task CommitFails_EveryUnitOfTheBatchFailsAndNothingWritten_NextBatchWorks()
    {
        await using var app = await TestApp.StartAsync();
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        var answeredBeforeCommit = 0;
        var tasks = new List<Task>();
        groupCommit.BeforeCommit = () =>
        {
            answeredBeforeCommit = tasks.Count(t => t.IsCompleted);
            throw new IOException("simulated fsync failure");
        };

        var results = await RunBatchAsync(app, groupCommit, tasks, Unit("Lost-1"), Unit("Lost-2"), Unit("Lost-3"));

        Assert.All(results, r => Assert.IsType<IOException>(Assert.IsType<WriteNotCommittedException>(r).Cause));
        Assert.Equal(0, answeredBeforeCommit);
        Assert.Equal(0, await CountAuditAsync(app, "Lost-"));

        groupCommit.BeforeCommit = null;
        await RunAsync(app, Unit("After-1"));
        Assert.Equal(1, await CountAuditAsync(app, "After-"));
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    [SqliteFact]
    public async Task RecordExplanationAttempt_CommitFails_UnavailableWithReasonAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        groupCommit.BeforeCommit = () => throw new IOException("simulated fsync failure");

        var request = new RecordExplanationAttemptRequest { Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood) };
        var error = await Assert.ThrowsAsync<RpcException>(() => app.Rights.RecordExplanationAttemptAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("WRITE_NOT_COMMITTED", error.ErrorInfo().Reason);
        Assert.Equal(0, await app.CountAsync("ExplanationAttempts"));

        // The same request_id goes through once the database commits again.
        groupCommit.BeforeCommit = null;
        await app.Rights.RecordExplanationAttemptAsync(request);
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
    }

    [SqliteFact]
    public async Task RecordExplanationAttempt_SameRequestIdConcurrently_OneAttemptSameResponse()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
        var request = new RecordExplanationAttemptRequest { Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood) };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Rights.RecordExplanationAttemptAsync(request).ResponseAsync));

        Assert.All(responses, r => Assert.Equal(responses[0], r));
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
        var stored = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(responses[0].Duty.Etag, stored.Etag);
    }

    [SqliteFact]
    public async Task LargeUnit_QueuedBehindAnOpenBatch_CommitsThatBatchFirstThenItsOwnTransaction()
    {
        await using var app = await TestApp.StartAsync();
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        var commitsBefore = groupCommit.Commits;

        var results = await RunBatchAsync(app, groupCommit, [], Unit("Shared-1"), Unit("Shared-2"), Large(Unit("Large-1")));

        Assert.All(results, r => Assert.Null(r));
        // The first two share a batch; the large unit would have joined it: instead it committed it and then its own.
        Assert.Equal(2, groupCommit.Commits - commitsBefore);
        Assert.Equal(2, await CountAuditAsync(app, "Shared-"));
        Assert.Equal(1, await CountAuditAsync(app, "Large-"));
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    [SqliteFact]
    public async Task LargeUnit_WhileItRuns_WriterHasTheLargeCacheAndGivesItBackAfter()
    {
        await using var app = await TestApp.StartAsync();
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        long? during = null;
        long? duringOrdinary = null;

        await RunLargeAsync(app, async (services, ct) =>
        {
            during = await CacheSizeAsync(services, ct);
            await Unit("Large-cache")(services, ct);
        });
        var afterLarge = await WriterPragmaAsync(groupCommit, "cache_size");
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunLargeAsync(app, Unit("Large-cache-failed", fail: true)));
        var afterFailed = await WriterPragmaAsync(groupCommit, "cache_size");
        await RunAsync(app, async (services, ct) => duringOrdinary = await CacheSizeAsync(services, ct));

        // Negative: KiB. Only the large unit runs with the large cache; the pages go back when it leaves, failed or not.
        Assert.Equal(-SqliteGroupCommit.LargeUnitCacheKib, during);
        Assert.Equal(-SqlitePragmaInterceptor.DefaultCacheKib, afterLarge);
        Assert.Equal(-SqlitePragmaInterceptor.DefaultCacheKib, afterFailed);
        Assert.Equal(-SqlitePragmaInterceptor.DefaultCacheKib, duringOrdinary);
        Assert.Equal(1, await CountAuditAsync(app, "Large-cache"));
    }

    /// <summary>The page cache of the connection the unit writes on (its context's: the writer's).</summary>
    private static async Task<long> CacheSizeAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<MhaRightsDbContext>();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "PRAGMA cache_size;";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A pragma's value on the writer connection, read under the gate.</summary>
    private static async Task<long> WriterPragmaAsync(SqliteGroupCommit groupCommit, string pragma)
    {
        long value = 0;
        await groupCommit.OnWriterAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {pragma};";
            value = (long)command.ExecuteScalar()!;
        });
        return value;
    }

    [SqliteFact]
    public async Task LargeUnit_Fails_ItsOwnErrorNothingWrittenAndTheNextUnitsCommit()
    {
        await using var app = await TestApp.StartAsync();
        await RunAsync(app, Unit("Before-1"));

        // Its own error, not "not committed": the rollback of its transaction undid nothing but itself.
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RunLargeAsync(app, Unit("Large-failed", fail: true)));
        Assert.Equal("this unit fails", failure.Message);
        await RunLargeAsync(app, Unit("Large-2"));
        await RunAsync(app, Unit("After-1"));

        Assert.Equal(0, await CountAuditAsync(app, "Large-failed"));
        Assert.Equal(1, await CountAuditAsync(app, "Large-2"));
        Assert.Equal(1, await CountAuditAsync(app, "After-"));
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    [SqliteFact]
    public async Task Writer_Opened_KeepsStatementJournalsInMemory()
    {
        await using var app = await TestApp.StartAsync();
        var tempStore = await WriterPragmaAsync(app.Services.GetRequiredService<SqliteGroupCommit>(), "temp_store");

        Assert.Equal(2, tempStore); // MEMORY
    }

    private static async Task WaitForQueuedAsync(SqliteGroupCommit groupCommit, int queued)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (groupCommit.Queued < queued && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(queued, groupCommit.Queued);
    }

    // Units RunBatchAsync queues as large units (see UnitOfWork.ExecuteLargeAsync).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Func<IServiceProvider, CancellationToken, Task>, object> LargeUnits = [];

    private static Func<IServiceProvider, CancellationToken, Task> Large(Func<IServiceProvider, CancellationToken, Task> unit)
    {
        LargeUnits.Add(unit, unit);
        return unit;
    }

    private static async Task RunLargeAsync(TestApp app, Func<IServiceProvider, CancellationToken, Task> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemLargeAsync(ct => work(scope.ServiceProvider, ct), CancellationToken.None);
    }

    private static Func<IServiceProvider, CancellationToken, Task> Unit(string action, bool fail = false) => (services, ct) =>
    {
        services.GetRequiredService<AuditLog>().Record(new AuditEntry(action, "tests/group-commit"));
        if (fail)
        {
            throw new InvalidOperationException("this unit fails");
        }

        return Task.CompletedTask;
    };

    private static async Task RunAsync(TestApp app, Func<IServiceProvider, CancellationToken, Task> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(ct => work(scope.ServiceProvider, ct), CancellationToken.None);
    }

    private static Task<Exception?[]> RunBatchAsync(TestApp app, SqliteGroupCommit groupCommit, params Func<IServiceProvider, CancellationToken, Task>[] units) =>
        RunBatchAsync(app, groupCommit, [], units);

    /// <summary>
    /// Holds a first unit inside the gate until every other unit is queued behind it, so all of them run in the
    /// batch it opened. Returns each unit's exception (null when it succeeded), in order.
    /// </summary>
    private static async Task<Exception?[]> RunBatchAsync(TestApp app, SqliteGroupCommit groupCommit, List<Task> tasks, params Func<IServiceProvider, CancellationToken, Task>[] units)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tasks.Add(RunAsync(app, async (services, ct) =>
        {
            holding.SetResult();
            await release.Task;
            await units[0](services, ct);
        }));
        await holding.Task;
        foreach (var (unit, queued) in units.Skip(1).Select((u, i) => (u, i + 1)))
        {
            // One at a time, so they enter the gate in this order.
            tasks.Add(LargeUnits.TryGetValue(unit, out _) ? RunLargeAsync(app, unit) : RunAsync(app, unit));
            await WaitForQueuedAsync(groupCommit, queued);
        }

        release.SetResult();
        var results = new Exception?[units.Length];
        for (var i = 0; i < units.Length; i++)
        {
            try
            {
                await tasks[i];
            }
            catch (Exception ex)
            {
                results[i] = ex;
            }
        }

        return results;
    }

    private static async Task<long> CountAuditAsync(TestApp app, string actionPrefix)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM AuditEvents WHERE Action LIKE $prefix || '%'";
        command.Parameters.AddWithValue("$prefix", actionPrefix);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
