using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Persistence;

/// <summary>
/// The server-database path under real concurrency: two server instances (as two processes would) on one
/// PostgreSQL database, with no write gate between them, through the whole gRPC stack. Only the database's row
/// versions, unique keys and the audit-tail lock keep them apart, so these run only in the PostgreSQL run.
/// </summary>
public sealed class PostgreSqlConcurrencyTests
{
    // Several rounds: one race may happen not to overlap; across rounds at least most do, and every round must hold.
    private const int Rounds = 5;

    [PostgreSqlFact]
    public async Task RecordAttempt_SameEtagOnTwoInstances_ExactlyOneWinsOtherAbortedNothingHalfWritten()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);

        for (var round = 0; round < Rounds; round++)
        {
            var patient = await first.CreatePatientAsync();
            await first.StartAsync(patient, Provision.Section2);
            var duty = (await first.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
            var ids = new[] { Guid.NewGuid().ToString(), Guid.NewGuid().ToString() };

            var results = await Task.WhenAll(
                Outcome(first.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
                {
                    Parent = duty.Name, Etag = duty.Etag, RequestId = ids[0], Attempt = Scenario.Attempt(first, AttemptOutcome.Understood),
                }).ResponseAsync),
                Outcome(second.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
                {
                    Parent = duty.Name, Etag = duty.Etag, RequestId = ids[1], Attempt = Scenario.Attempt(second, AttemptOutcome.NotUnderstood),
                }).ResponseAsync));

            var winner = Assert.Single(results, r => r.Response is not null);
            var loser = Assert.Single(results, r => r.Error is not null);
            Assert.Equal(StatusCode.Aborted, loser.Error!.StatusCode);
            var current = await first.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name });
            Assert.Equal(winner.Response!.Duty.Etag, current.Etag);
            Assert.Equal(1, current.AttemptCount);
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"ExplanationAttempts\" WHERE \"DutyId\" = '{DutyId(duty)}'"));

            // The loser left no trace: no audit event and no idempotency record under its request_id.
            var loserId = ids[Array.IndexOf(results, loser)];
            var winnerId = ids[Array.IndexOf(results, winner)];
            Assert.Equal(0L, await AuditEventsForAsync(first, loserId));
            Assert.Equal(0L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"IdempotencyRecords\" WHERE \"RequestId\" = '{loserId}'"));
            Assert.True(await AuditEventsForAsync(first, winnerId) > 0, "the winner's change was committed without its audit events");
        }

        await AssertChainIntactAsync(first);
    }

    [PostgreSqlFact]
    public async Task UpdatePatient_SameEtagOnTwoInstances_ExactlyOneWinsOtherAborted()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);

        for (var round = 0; round < Rounds; round++)
        {
            var patient = await first.CreatePatientAsync();
            var before = await CountAuditAsync(first);

            Task<Patient> Update(TestApp app, string ward) => app.Patients.UpdatePatientAsync(new UpdatePatientRequest
            {
                Patient = new Patient { Name = patient.Name, Ward = ward },
                UpdateMask = new FieldMask { Paths = { "ward" } },
                Etag = patient.Etag,
            }).ResponseAsync;

            var results = await Task.WhenAll(Outcome(Update(first, "BIRCH")), Outcome(Update(second, "CEDAR")));

            var winner = Assert.Single(results, r => r.Response is not null).Response!;
            var loser = Assert.Single(results, r => r.Error is not null).Error!;
            Assert.Equal(StatusCode.Aborted, loser.StatusCode);
            var stored = await second.Patients.GetPatientAsync(new GetPatientRequest { Name = patient.Name });
            Assert.Equal(winner.Ward, stored.Ward);
            Assert.Equal(winner.Etag, stored.Etag);
            // Exactly one UpdatePatient event: the loser's was rolled back with its change.
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"AuditEvents\" WHERE \"Sequence\" > {before} AND \"Action\" = 'UpdatePatient' AND \"Resource\" = '{patient.Name}'"));
        }

        await AssertChainIntactAsync(first);
    }

    [PostgreSqlFact]
    public async Task RecordAttempt_SameRequestIdOnTwoInstancesAtOnce_SameAnswerAndOneEffect()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);

        // How many audit events one recording writes, measured on a lone request.
        var control = await first.CreatePatientAsync();
        await first.StartAsync(control, Provision.Section2);
        var controlDuty = (await first.DutiesAsync(control)).Single(d => d.Kind == DutyKind.Section1321);
        var controlId = Guid.NewGuid().ToString();
        await first.ExplainAsync(controlDuty, AttemptOutcome.Understood, requestId: controlId);
        var eventsPerRecording = await AuditEventsForAsync(first, controlId);

        for (var round = 0; round < Rounds; round++)
        {
            var patient = await first.CreatePatientAsync();
            await first.StartAsync(patient, Provision.Section2);
            var duty = (await first.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
            var id = Guid.NewGuid().ToString();
            // Byte-identical requests (same attempt time): a retry of one call, sent to whichever instance.
            var request = new RecordExplanationAttemptRequest { Parent = duty.Name, RequestId = id, Attempt = Scenario.Attempt(first, AttemptOutcome.Understood) };

            var answers = await Task.WhenAll(
                first.Rights.RecordExplanationAttemptAsync(request).ResponseAsync,
                second.Rights.RecordExplanationAttemptAsync(request).ResponseAsync);

            Assert.Equal(answers[0], answers[1]);
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"ExplanationAttempts\" WHERE \"DutyId\" = '{DutyId(duty)}'"));
            Assert.Equal(1, (await first.Rights.GetDutyAsync(new GetDutyRequest { Name = duty.Name })).AttemptCount);
            Assert.Equal(eventsPerRecording, await AuditEventsForAsync(first, id));
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"IdempotencyRecords\" WHERE \"RequestId\" = '{id}'"));
        }

        await AssertChainIntactAsync(first);
    }

    [PostgreSqlFact]
    public async Task CreatePatient_SameRequestIdOnTwoInstancesAtOnce_SameAnswerAndOnePatient()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);

        for (var round = 0; round < Rounds; round++)
        {
            var id = Guid.NewGuid().ToString();
            var localId = $"PG-RACE-{id[..8]}";
            var request = new CreatePatientRequest { Patient = new Patient { LocalId = localId, GivenName = "Alex", FamilyName = "Race" }, RequestId = id };

            var answers = await Task.WhenAll(
                first.Patients.CreatePatientAsync(request).ResponseAsync,
                second.Patients.CreatePatientAsync(request).ResponseAsync);

            Assert.Equal(answers[0], answers[1]);
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"Patients\" WHERE \"LocalId\" = '{localId}'"));
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(*) FROM \"IdempotencyRecords\" WHERE \"RequestId\" = '{id}'"));
            Assert.Equal(1L, await ScalarAsync(first, $"SELECT COUNT(DISTINCT \"Resource\") FROM \"AuditEvents\" WHERE \"RequestId\" = '{id}' AND \"Resource\" LIKE 'patients/%'"));
        }

        await AssertChainIntactAsync(first);
    }

    [PostgreSqlFact]
    public async Task ManyWrites_DifferentPatientsOnTwoInstances_AllSucceedAndAuditChainHasNoGaps()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartSecondInstanceAsync(first);
        const int perInstance = 12;

        async Task<RecordExplanationAttemptResponse> Lifecycle(TestApp app, int n)
        {
            var patient = await app.CreatePatientAsync();
            await app.StartAsync(patient, Provision.Section2);
            var duty = (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);
            return await app.ExplainAsync(duty, n % 2 == 0 ? AttemptOutcome.Understood : AttemptOutcome.NotUnderstood, requestId: Guid.NewGuid().ToString());
        }

        var work = Enumerable.Range(0, perInstance).SelectMany(n => new[] { Lifecycle(first, n), Lifecycle(second, n) });
        var results = await Task.WhenAll(work);

        Assert.Equal(perInstance * 2, results.Length);
        Assert.Equal(perInstance * 2, results.Select(r => r.Attempt.Name).Distinct().Count());
        Assert.Equal((long)perInstance * 2, await first.CountAsync("ExplanationAttempts"));
        await AssertChainIntactAsync(first);
    }

    /// <summary>The chain verifies, and its sequence runs 1..N with no gap or duplicate.</summary>
    private static async Task AssertChainIntactAsync(TestApp app)
    {
        var chain = await app.Audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(chain.Valid, chain.Problem);
        var count = await CountAuditAsync(app);
        Assert.Equal(count, await ScalarAsync(app, "SELECT COALESCE(MAX(\"Sequence\"), 0) FROM \"AuditEvents\""));
        Assert.Equal(count, await ScalarAsync(app, "SELECT COUNT(DISTINCT \"Sequence\") FROM \"AuditEvents\""));
        Assert.Equal(count > 0 ? 1L : 0L, await ScalarAsync(app, "SELECT COALESCE(MIN(\"Sequence\"), 0) FROM \"AuditEvents\""));
    }

    private static string DutyId(RightsDuty duty) => duty.Name[(duty.Name.LastIndexOf('/') + 1)..];

    private static Task<long> CountAuditAsync(TestApp app) => app.CountAsync("AuditEvents");

    private static Task<long> AuditEventsForAsync(TestApp app, string requestId) =>
        ScalarAsync(app, $"SELECT COUNT(*) FROM \"AuditEvents\" WHERE \"RequestId\" = '{requestId}'");

    private static async Task<long> ScalarAsync(TestApp app, string sql) =>
        Convert.ToInt64(await app.ExecuteScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(T? Response, RpcException? Error)> Outcome<T>(Task<T> call)
        where T : class
    {
        try
        {
            return (await call, null);
        }
        catch (RpcException ex)
        {
            return (null, ex);
        }
    }
}
