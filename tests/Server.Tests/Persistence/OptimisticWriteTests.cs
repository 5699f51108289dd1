using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using MhaRights.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// RecordExplanationAttempt runs its reads and workflow before the SQLite write gate. Units queued in one batch see
/// each other's uncommitted changes only inside the gate, so these line several of them up behind a held gate and
/// check that the answers are those the serial order gives.
/// </summary>
public sealed class OptimisticWriteTests
{
    [SqliteFact]
    public async Task RecordAttempt_TwoOnSameDutyInOneBatchWithoutEtag_BothRecorded()
    {
        await using var app = await TestApp.StartAsync();
        var duty = await ExplanationDutyAsync(app);

        var results = await InOneBatchAsync(app, 2, _ => app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood),
        }).ResponseAsync);

        Assert.All(results, r => Assert.Null(r.Error));
        var stored = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
        Assert.Equal(2, stored.AttemptCount);
        Assert.Equal(2, await app.CountAsync("ExplanationAttempts"));
        Assert.Contains(results, r => r.Response!.Duty.Etag == stored.Etag);
        Assert.True((await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest())).Valid);
    }

    [SqliteFact]
    public async Task RecordAttempt_TwoOnSameDutyInOneBatchWithSameEtag_OneRecordedOtherAborted()
    {
        await using var app = await TestApp.StartAsync();
        var duty = await ExplanationDutyAsync(app);

        var results = await InOneBatchAsync(app, 2, _ => app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, Etag = duty.Etag, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood),
        }).ResponseAsync);

        Assert.Single(results, r => r.Error is null);
        Assert.Equal(StatusCode.Aborted, Assert.Single(results, r => r.Error is not null).Error!.StatusCode);
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
        Assert.Equal(1, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).AttemptCount);
    }

    [SqliteFact]
    public async Task RecordAttempt_SameRequestIdQueuedInOneBatch_OneAttemptEveryoneGetsTheFirstAnswer()
    {
        await using var app = await TestApp.StartAsync();
        var duty = await ExplanationDutyAsync(app);
        var request = new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood),
        };

        // Each looked for a replay before the gate and found none: the first to save wins, the rest replay its answer.
        var results = await InOneBatchAsync(app, 3, _ => app.Rights.RecordExplanationAttemptAsync(request).ResponseAsync);

        Assert.All(results, r => Assert.Equal(results[0].Response, r.Response));
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
        Assert.Equal(results[0].Response!.Duty.Etag, (await app.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).Etag);
    }

    [SqliteFact]
    public async Task RecordAttempt_TwoUnderstoodOnSameDutyInOneBatch_SameAnswersAsOneAfterTheOther()
    {
        await using var app = await TestApp.StartAsync();
        var batched = await ExplanationDutyAsync(app);
        var serial = await ExplanationDutyAsync(app);
        RecordExplanationAttemptRequest Understood(RightsDuty duty) => new()
        {
            Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.Understood),
        };

        // Both read an awaiting duty before the gate; inside it the second must see the first's outcome.
        var results = await InOneBatchAsync(app, 2, _ => app.Rights.RecordExplanationAttemptAsync(Understood(batched)).ResponseAsync);
        var expected = new List<StatusCode>();
        for (var i = 0; i < 2; i++)
        {
            try
            {
                await app.Rights.RecordExplanationAttemptAsync(Understood(serial));
                expected.Add(StatusCode.OK);
            }
            catch (RpcException ex)
            {
                expected.Add(ex.StatusCode);
            }
        }

        Assert.Equal(expected.Order(), results.Select(r => r.Error?.StatusCode ?? StatusCode.OK).Order());
        var batchedDuty = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = batched.Name });
        var serialDuty = await app.Rights.GetDutyAsync(new GetDutyRequest { Name = serial.Name });
        Assert.Equal(serialDuty.State, batchedDuty.State);
        Assert.Equal(serialDuty.AttemptCount, batchedDuty.AttemptCount);
    }

    [SqliteFact]
    public async Task RecordAttempt_BatchCommitFails_ThenNewWrites_AuditChainValid()
    {
        await using var app = await TestApp.StartAsync();
        var duty = await ExplanationDutyAsync(app);
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        groupCommit.BeforeCommit = () => throw new IOException("simulated fsync failure");

        var lost = await InOneBatchAsync(app, 2, _ => app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood),
        }).ResponseAsync);
        Assert.All(lost, r => Assert.Equal(StatusCode.Unavailable, r.Error!.StatusCode));

        // The writer's in-memory chain tail included the lost events: it must be read again, or the next events
        // would link to hashes that were never committed.
        groupCommit.BeforeCommit = null;
        for (var i = 0; i < 3; i++)
        {
            await app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
            {
                Parent = duty.Name, RequestId = Guid.NewGuid().ToString(), Attempt = Scenario.Attempt(app, AttemptOutcome.NotUnderstood),
            });
        }

        Assert.Equal(3, await app.CountAsync("ExplanationAttempts"));
        var chain = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(chain.Valid, chain.Problem);
    }

    private static async Task<RightsDuty> ExplanationDutyAsync(TestApp app)
    {
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        return (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
    }

    private sealed record Outcome(RecordExplanationAttemptResponse? Response, RpcException? Error);

    /// <summary>
    /// Holds the write gate with a unit of its own until <paramref name="count"/> calls are queued behind it (each
    /// has done its reads by then), so they all run in the batch it opened, in turn.
    /// </summary>
    private static async Task<Outcome[]> InOneBatchAsync(TestApp app, int count, Func<int, Task<RecordExplanationAttemptResponse>> call)
    {
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteSystemAsync(async ct =>
            {
                scope.ServiceProvider.GetRequiredService<AuditLog>().Record(new AuditEntry("HoldGate", "tests/optimistic"));
                holding.SetResult();
                await release.Task;
            }, CancellationToken.None);
        });
        await holding.Task;
        var calls = Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                return new Outcome(await call(i), null);
            }
            catch (RpcException ex)
            {
                return new Outcome(null, ex);
            }
        }).ToArray();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (groupCommit.Queued < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, groupCommit.Queued);
        release.SetResult();
        try
        {
            await holder;
        }
        catch (WriteNotCommittedException)
        {
            // The commit-failure test fails the holder's batch too.
        }

        return await Task.WhenAll(calls);
    }
}
