using System.Collections.Concurrent;
using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Security;
using MhaRights.Server.Tests.Infrastructure;

namespace MhaRights.Server.Tests.Faults;

/// <summary>Fault tests: bounded in time, loopback only.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task KillDuringWriteLoad_Restart_EveryAcknowledgedWritePresentAndNothingHalfTransitioned()
    {
        var data = Directory.CreateTempSubdirectory("mharights-crash-").FullName;
        // On the PostgreSQL suite both server processes use one PostgreSQL database: kill -9 is proven there too.
        var database = await ServerProcess.DatabaseSettingsAsync(data);
        var acknowledged = new ConcurrentBag<(string Patient, string Duty, string Attempt)>();
        string officeKey;

        await using (var server = await ServerProcess.StartAsync(data, database))
        {
            officeKey = await CreateKeyAsync(server, data, Roles.MhaOffice);
            using var channel = server.CreateChannel();
            var headers = new Metadata { { "authorization", "ApiKey " + officeKey } };
            var patients = new PatientService.PatientServiceClient(channel);
            var legal = new LegalStatusService.LegalStatusServiceClient(channel);
            var rights = new RightsService.RightsServiceClient(channel);
            using var stop = new CancellationTokenSource();

            async Task Writer(int writer)
            {
                for (var i = 0; !stop.IsCancellationRequested && i < 10_000; i++)
                {
                    try
                    {
                        var patient = await patients.CreatePatientAsync(new CreatePatientRequest { Patient = new Patient { LocalId = $"CRASH-{writer}-{i}" } }, headers);
                        await legal.StartEpisodeAsync(new StartEpisodeRequest
                        {
                            Parent = patient.Name,
                            Episode = new LegalStatusEpisode { Provision = Provision.Section2, Hospital = "RXM01", StartTime = Scenario.At(DateTimeOffset.UtcNow.AddMinutes(-10)) },
                        }, headers);
                        var duty = (await rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name }, headers)).Duties.First(d => d.Kind == DutyKind.Section1321);
                        var attempt = await rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
                        {
                            Parent = duty.Name,
                            RequestId = Guid.NewGuid().ToString(),
                            Attempt = new ExplanationAttempt
                            {
                                AttemptTime = Scenario.At(DateTimeOffset.UtcNow.AddMinutes(-1)),
                                ExplainedBy = "Jo Nurse",
                                ExplainedByRole = "Staff nurse",
                                OralGiven = true,
                                WrittenGiven = true,
                                LeafletId = "DH-S2",
                                Outcome = i % 2 == 0 ? AttemptOutcome.Understood : AttemptOutcome.NotUnderstood,
                            },
                        }, headers);
                        acknowledged.Add((patient.Name, duty.Name, attempt.Attempt.Name));
                    }
                    catch (RpcException)
                    {
                        // The kill landed mid-call: this write was never acknowledged.
                        return;
                    }
                }
            }

            var writers = Enumerable.Range(0, 8).Select(Writer).ToList();
            // Kill mid-load: once enough writes are acknowledged to matter (bounded, so a slow machine still ends).
            var waitUntil = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 40 && DateTime.UtcNow < waitUntil && writers.Any(w => !w.IsCompleted))
            {
                await Task.Delay(50);
            }

            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Count >= 5, $"the load made too little progress before the kill ({acknowledged.Count} acknowledged)");

        await using (var restarted = await ServerProcess.StartAsync(data, database))
        {
            using var channel = restarted.CreateChannel();
            var headers = new Metadata { { "authorization", "ApiKey " + officeKey } };
            var patients = new PatientService.PatientServiceClient(channel);
            var rights = new RightsService.RightsServiceClient(channel);
            foreach (var (patient, dutyName, attemptName) in acknowledged)
            {
                await patients.GetPatientAsync(new GetPatientRequest { Name = patient }, headers);
                var duty = await rights.GetDutyAsync(new GetDutyRequest { Name = dutyName }, headers);
                var attempt = await rights.GetExplanationAttemptAsync(new GetExplanationAttemptRequest { Name = attemptName }, headers);
                Assert.Equal(1, duty.AttemptCount);
                Assert.Equal(attempt.Outcome == AttemptOutcome.Understood ? RightsDuty.Types.State.Understood : RightsDuty.Types.State.ReAttemptScheduled, duty.State);
            }

            // No half-transitions anywhere, acknowledged or not: every duty's fields agree with its state.
            var listed = new PatientService.PatientServiceClient(channel).ListPatientsAsync(new ListPatientsRequest { PageSize = 1000 }, headers);
            foreach (var patient in (await listed).Patients)
            {
                foreach (var duty in (await rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name, PageSize = 1000 }, headers)).Duties)
                {
                    switch (duty.State)
                    {
                        case RightsDuty.Types.State.Understood:
                            Assert.NotNull(duty.UnderstoodTime);
                            Assert.True(duty.AttemptCount >= 1);
                            break;
                        case RightsDuty.Types.State.ReAttemptScheduled:
                            Assert.NotNull(duty.NextAttemptTime);
                            Assert.True(duty.AttemptCount >= 1);
                            break;
                        case RightsDuty.Types.State.Attempted:
                            Assert.Fail($"{duty.Name} was left ATTEMPTED: a transition was half-applied");
                            break;
                        default:
                            break;
                    }
                }
            }

            var auditor = await CreateKeyAsync(restarted, data, Roles.Auditor);
            var chain = await new AuditService.AuditServiceClient(channel).VerifyAuditChainAsync(new VerifyAuditChainRequest(), new Metadata { { "authorization", "ApiKey " + auditor } });
            Assert.True(chain.Valid, chain.Problem);
        }
    }

    [Fact]
    public async Task ConcurrentConflictingAttempts_SameEtag_ExactlyOneWinsOtherAbortedWithCurrentEtag()
    {
        await using var app = await TestApp.StartAsync();
        var patient = await app.CreatePatientAsync();
        await app.StartAsync(patient, Provision.Section2);
        var duty = (await app.DutiesAsync(patient)).Single(d => d.Kind == DutyKind.Section1321);

        Task<RecordExplanationAttemptResponse> Record(AttemptOutcome outcome) => app.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest
        {
            Parent = duty.Name, Etag = duty.Etag, Attempt = Scenario.Attempt(app, outcome),
        }).ResponseAsync;

        var results = await Task.WhenAll(new[] { Record(AttemptOutcome.Understood), Record(AttemptOutcome.NotUnderstood) }.Select(async t =>
        {
            try
            {
                return (Response: await t, Error: (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (Response: (RecordExplanationAttemptResponse?)null, Error: ex);
            }
        }));

        var winner = Assert.Single(results, r => r.Response is not null).Response!;
        var loser = Assert.Single(results, r => r.Error is not null).Error!;
        Assert.Equal(StatusCode.Aborted, loser.StatusCode);
        Assert.Equal(winner.Duty.Etag, loser.ErrorInfo().Metadata["current_etag"]);
        Assert.Equal(1, await app.CountAsync("ExplanationAttempts"));
    }

    private static async Task<string> CreateKeyAsync(ServerProcess server, string data, string role)
    {
        var bootstrap = (await File.ReadAllTextAsync(Path.Combine(data, BootstrapAdminKey.FileName))).Trim();
        using var channel = server.CreateChannel();
        var created = await new ApiKeyService.ApiKeyServiceClient(channel).CreateApiKeyAsync(new CreateApiKeyRequest
        {
            ApiKey = new MhaRights.Contracts.V1.ApiKey { DisplayName = "fault test " + role, Role = role, TrustWide = true, ExpireTime = Scenario.At(DateTimeOffset.UtcNow.AddDays(1)) },
        }, new Metadata { { "authorization", "ApiKey " + bootstrap } });
        return created.Secret;
    }
}
