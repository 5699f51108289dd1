using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using MhaRights.Bench.Load;
using MhaRights.Client;
using MhaRights.Contracts.V1;
using MhaRights.Server.Hosting;
using MhaRights.Server.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MhaRights.Bench.Diagnose;

/// <summary>
/// Where a request's time goes. Runs the real server composition in-process on loopback (so the gRPC stack is the
/// same) with an EF Core interceptor added next to the service's own, and sends requests one at a time through the
/// SDK: per request it counts database round trips, connection opens (each of which runs the service's four
/// PRAGMAs), and the time spent in commands and in COMMIT, against the server's whole handling time. One request at a
/// time keeps the attribution exact; the concurrent numbers come from the load runs.
/// </summary>
internal static class Diagnostics
{
    public static async Task<int> RunAsync(Args args)
    {
        var db = Path.GetFullPath(args.Require("db"));
        var workload = Workload.Read(args.Get("workload") ?? db + ".workload");
        var requests = args.Int("requests", 300);
        var port = args.Int("port", 5699);
        var data = Directory.CreateTempSubdirectory("mharights-diagnose-").FullName;
        if (File.Exists(Generator.ChainCheckpoint.PathFor(db)))
        {
            // The generated head is verified already: the service's checkpoints go on from it (bench/README.md).
            File.Copy(Generator.ChainCheckpoint.PathFor(db), Path.Combine(data, MhaRights.Server.Audit.AuditCheckpoints.DefaultFileName));
        }

        var probe = new Probe();
        var builder = ServerApp.CreateBuilder(
            [
                $"--Database:ConnectionString=Data Source={db};Pooling=True",
                $"--Database:DataDirectory={data}",
                $"--Server:Url=http://127.0.0.1:{port}",
                "--Sweeper:Enabled=false",
                "--Logging:LogLevel:Default=Warning",
                $"--Audit:ChainKeyFile={Generator.DatasetGenerator.ChainKeyPath(db)}",
            ],
            b => b.Services.ConfigureDbContext<SqliteMhaRightsDbContext>(o => o.AddInterceptors(probe)));
        await using var app = ServerApp.Build(builder);
        app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            await next(context);
            probe.ServerTicks += Stopwatch.GetTimestamp() - start;
        });
        await ServerApp.PrepareAsync(app);
        await app.StartAsync();
        var address = new Uri($"http://127.0.0.1:{port}");
        var keyFile = Path.Combine(data, "load.key");
        await SetupKey.RunAsync(new Args(["--address", address.ToString(), "--bootstrap-key", Path.Combine(data, "bootstrap-admin.key"), "--out", keyFile]));
        var sdk = new MhaRightsClientOptions { Address = address, Credential = MhaRightsCredential.FromApiKey((await File.ReadAllTextAsync(keyFile)).Trim()) };
        sdk.Retry.MaxRetries = 0;
        using var client = new MhaRightsClient(sdk);

        var random = new Random(5);
        var current = workload.Patients.Where(p => p.Current).Select(p => "patients/" + p.PatientId).ToArray();
        var duties = workload.Duties.OrderBy(_ => random.Next()).Take(requests + 50).ToList();
        var dutyIndex = 0;
        var operations = new (string Name, Func<Task> Call)[]
        {
            ("rights-status", () => client.Rights.GetRightsStatusAsync(current[random.Next(current.Length)])),
            ("list-duties", async () =>
            {
                await using var page = client.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = current[random.Next(current.Length)] }).AsPages(pageSizeHint: 50).GetAsyncEnumerator();
                await page.MoveNextAsync();
            }),
            ("worklist", async () =>
            {
                var (hospital, ward) = workload.Wards[random.Next(workload.Wards.Count)];
                var request = new ListWorklistItemsRequest { Kind = WorklistKind.ExplanationsOverdue, Hospital = hospital, Ward = ward };
                await using var page = client.Worklists.ListWorklistItemsAsync(request).AsPages(pageSizeHint: 50).GetAsyncEnumerator();
                await page.MoveNextAsync();
            }),
            ("record-attempt", async () =>
            {
                var duty = duties[dutyIndex++ % duties.Count];
                var attempt = new ExplanationAttempt
                {
                    AttemptTime = Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-1)),
                    ExplainedBy = "Bench Nurse",
                    ExplainedByRole = "Staff nurse",
                    OralGiven = true,
                    WrittenGiven = true,
                    LeafletId = "DHSC-S3",
                    Outcome = AttemptOutcome.NotUnderstood,
                    NearestRelativeSharing = NearestRelativeSharing.Agrees,
                };
                foreach (var need in duty.Needs.Distinct())
                {
                    attempt.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = need, Met = true, Detail = "Arranged" });
                }

                await client.Rights.RecordExplanationAttemptAsync(new RecordExplanationAttemptRequest { Parent = $"patients/{duty.PatientId}/duties/{duty.DutyId}", Attempt = attempt });
            }),
        };

        var results = new Dictionary<string, RequestBreakdown>();
        foreach (var (name, call) in operations)
        {
            for (var i = 0; i < 30; i++)
            {
                await call();
            }

            probe.Reset();
            // Writes commit through the group commit's own connection, which EF's interceptor never sees: its
            // counters give the commits, COMMIT time and gate time of this operation's requests.
            var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
            var (commitsBefore, commitTimeBefore, gateBefore) = (groupCommit.Commits, groupCommit.CommitTime, groupCommit.GateHeldTime);
            var clientTicks = 0L;
            for (var i = 0; i < requests; i++)
            {
                probe.NextRequest();
                var start = Stopwatch.GetTimestamp();
                await call();
                clientTicks += Stopwatch.GetTimestamp() - start;
            }

            results[name] = probe.Breakdown(requests, clientTicks) with
            {
                Commits = (double)(groupCommit.Commits - commitsBefore) / requests,
                CommitMs = (groupCommit.CommitTime - commitTimeBefore).TotalMilliseconds / requests,
                FirstCommandToCommitMs = (groupCommit.GateHeldTime - gateBefore).TotalMilliseconds / requests,
            };
            Console.WriteLine($"{name}: {results[name]}");
        }

        await app.StopAsync();
        var outPath = args.Get("out");
        if (outPath is not null)
        {
            await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(results, JsonOptions.Indented));
        }

        Directory.Delete(data, recursive: true);
        return 0;
    }

    /// <summary>Per-request averages at concurrency 1 (milliseconds unless stated).</summary>
    internal sealed record RequestBreakdown(
        double ClientMs, double ServerMs, double Commands, double CommandMs, double ConnectionOpens, double ConnectionOpenMs, double Commits, double CommitMs,
        double FirstCommandToCommitMs, int DistinctStatements)
    {
        public override string ToString() =>
            FormattableString.Invariant($"client {ClientMs:F2} ms, server {ServerMs:F2} ms, {Commands:F1} commands ({CommandMs:F2} ms), {ConnectionOpens:F1} opens ({ConnectionOpenMs:F2} ms), {Commits:F1} commits ({CommitMs:F2} ms), first command to commit {FirstCommandToCommitMs:F2} ms, {DistinctStatements} distinct SQL");
    }

    /// <summary>Counts and times what EF Core does against SQLite (one request at a time, so plain fields suffice).</summary>
    private sealed class Probe : IDbCommandInterceptor, IDbConnectionInterceptor, IDbTransactionInterceptor
    {
        private readonly HashSet<string> _statements = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, long> _readers = [];
        private long _commands;
        private TimeSpan _commandTime;
        private long _opens;
        private long _openStart;
        private long _openTicks;
        private long _commits;
        private TimeSpan _commitTime;
        private long _firstCommand;
        private long _writeSpanTicks;

        public long ServerTicks { get; set; }

        public void Reset()
        {
            _statements.Clear();
            _commands = _opens = _openTicks = _commits = ServerTicks = _firstCommand = _writeSpanTicks = 0;
            _commandTime = _commitTime = TimeSpan.Zero;
        }

        public RequestBreakdown Breakdown(int requests, long clientTicks)
        {
            double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / requests;
            return new RequestBreakdown(
                Ms(clientTicks), Ms(ServerTicks), (double)_commands / requests, _commandTime.TotalMilliseconds / requests,
                (double)_opens / requests, Ms(_openTicks), (double)_commits / requests, _commitTime.TotalMilliseconds / requests, Ms(_writeSpanTicks), _statements.Count);
        }

        public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            StartReader(eventData.CommandId);
            return result;
        }

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            StartReader(eventData.CommandId);
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            MarkFirst();
            return ValueTask.FromResult(result);
        }

        public DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            Count(command);
            return result;
        }

        public ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return ValueTask.FromResult(result);
        }

        /// <summary>A reader's time runs from execution until it is closed (EF closes it asynchronously on async
        /// paths, disposes it on others): that includes stepping through the rows, and for SaveChanges the
        /// INSERT/UPDATE ... RETURNING work itself.</summary>
        public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            EndReader(eventData.CommandId);
            return result;
        }

        public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            EndReader(eventData.CommandId);
            return ValueTask.FromResult(result);
        }

        public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            EndReader(eventData.CommandId);
            return result;
        }

        public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            Count(command);
            _commandTime += eventData.Duration;
            return result;
        }

        public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Count(command);
            _commandTime += eventData.Duration;
            return ValueTask.FromResult(result);
        }

        public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            Count(command);
            _commandTime += eventData.Duration;
            return result;
        }

        public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            Count(command);
            _commandTime += eventData.Duration;
            return ValueTask.FromResult(result);
        }

        public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            _openStart = Stopwatch.GetTimestamp();
            return result;
        }

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            _openStart = Stopwatch.GetTimestamp();
            return ValueTask.FromResult(result);
        }

        /// <summary>Runs after the service's SqlitePragmaInterceptor, so the time includes its PRAGMAs.</summary>
        public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            _opens++;
            _openTicks += Stopwatch.GetTimestamp() - _openStart;
        }

        public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ConnectionOpened(connection, eventData);
            return Task.CompletedTask;
        }

        /// <summary>A write's first command runs right after it enters the service's write gate (the idempotency
        /// lookup), so first command to COMMIT done is how long each write holds the gate: the single-writer ceiling.</summary>
        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        {
            _commits++;
            _commitTime += eventData.Duration;
            _writeSpanTicks += Stopwatch.GetTimestamp() - _firstCommand;
        }

        /// <summary>Called by the load loop before each request.</summary>
        public void NextRequest() => _firstCommand = 0;

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            TransactionCommitted(transaction, eventData);
            return Task.CompletedTask;
        }

        private void StartReader(Guid commandId)
        {
            MarkFirst();
            _readers[commandId] = Stopwatch.GetTimestamp();
        }

        private void EndReader(Guid commandId)
        {
            if (_readers.Remove(commandId, out var start))
            {
                _commandTime += Stopwatch.GetElapsedTime(start);
            }
        }

        private void MarkFirst()
        {
            if (_firstCommand == 0)
            {
                _firstCommand = Stopwatch.GetTimestamp();
            }
        }

        private void Count(DbCommand command)
        {
            _commands++;
            _statements.Add(command.CommandText);
        }
    }
}
