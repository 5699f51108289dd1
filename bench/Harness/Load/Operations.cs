using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using MhaRights.Bench.Protos;
using MhaRights.Client;
using MhaRights.Contracts.V1;

namespace MhaRights.Bench.Load;

/// <summary>One request of the load; returns the operation's name (a mixed load records each separately).</summary>
internal interface IOperation
{
    Task<string> ExecuteAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Builds each worker's operation. Workers draw patients and wards at random (seeded per worker); each
/// record-attempt worker owns a disjoint slice of the awaiting duties, so no two workers write the same duty and an
/// etag conflict is a real error.
/// </summary>
internal sealed class OperationFactory
{
    /// <summary>The closed loop's request payload: about the size of a small EPR request.</summary>
    private static readonly string Payload = new('x', 256);

    private readonly LoadOptions _options;
    private readonly Workload? _workload;
    private readonly MhaRightsClient? _client;
    private readonly BaselineService.BaselineServiceClient? _baseline;
    private readonly string[] _currentPatients = [];
    private readonly string[] _allPatients = [];
    private readonly List<List<DutySlot>> _slices = [];
    private readonly ConcurrentBag<string> _understood = [];
    private readonly HashSet<string> _alreadyUnderstood = new(StringComparer.Ordinal);

    public OperationFactory(LoadOptions options, Workload? workload, MhaRightsClient? client, GrpcChannel? channel)
    {
        _options = options;
        _workload = workload;
        _client = client;
        _baseline = channel is null ? null : new BaselineService.BaselineServiceClient(channel);
        if (workload is not null)
        {
            _currentPatients = workload.Patients.Where(p => p.Current).Select(p => p.PatientId).ToArray();
            _allPatients = workload.Patients.Select(p => p.PatientId).ToArray();
            if (options.StatePath is not null && File.Exists(options.StatePath))
            {
                // Duties an earlier run of this benchmark explained with UNDERSTOOD no longer accept attempts.
                _alreadyUnderstood.UnionWith(File.ReadAllLines(options.StatePath));
            }

            var duties = workload.Duties.Where(d => !_alreadyUnderstood.Contains(d.DutyId)).ToList();
            // Same shuffle in every process, so repeated runs give each worker the same slice.
            new Random(17).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(duties));
            // A patient's duties all go to one worker: the write path also updates the patient, and on a server
            // database (no write gate) two workers writing for one patient would collide (ABORTED) by construction.
            var workerOf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var duty in duties)
            {
                workerOf.TryAdd(duty.PatientId, workerOf.Count % options.Concurrency);
            }

            for (var w = 0; w < options.Concurrency; w++)
            {
                _slices.Add(duties.Where(d => workerOf[d.PatientId] == w).Select(d => new DutySlot(d.PatientId, d.DutyId, d.Needs)).ToList());
            }
        }

        Notes["awaiting_duties"] = workload?.Duties.Count ?? 0;
        Notes["already_understood"] = _alreadyUnderstood.Count;
    }

    public Dictionary<string, long> Notes { get; } = [];

    public Worker Create(int index)
    {
        var random = new Random((_options.Seed * 1000) + index);
        return new Worker(_options.Op switch
        {
            "echo" => new Echo(_baseline ?? throw Need("--target baseline")),
            "insert" => new Insert(_baseline ?? throw Need("--target baseline"), random),
            "rights-status" => new RightsStatus(this, random),
            "list-duties" => new ListDuties(this, random),
            "worklist" => new Worklist(this, random),
            "record-attempt" => new RecordAttempt(this, random, _slices[index]),
            "mixed" => new Mixed(new RightsStatus(this, random), new ListDuties(this, random), new Worklist(this, random), new RecordAttempt(this, random, _slices[index]), random),
            _ => throw new ArgumentException($"Unknown --op '{_options.Op}'."),
        });
    }

    /// <summary>Remembers duties explained to UNDERSTOOD for the next process of the same run.</summary>
    public void Complete()
    {
        Notes["understood_this_run"] = _understood.Count;
        if (_options.StatePath is not null && !_understood.IsEmpty)
        {
            File.AppendAllLines(_options.StatePath, _understood);
        }
    }

    private MhaRightsClient Client => _client ?? throw Need("--target service");

    private static ArgumentException Need(string what) => new($"This operation needs {what}.");

    /// <summary>80% patients with an open episode (whom EPRs ask about), 20% anyone (history lookups).</summary>
    private string PickPatient(Random random) =>
        "patients/" + (random.NextDouble() < 0.8 && _currentPatients.Length > 0 ? _currentPatients[random.Next(_currentPatients.Length)] : _allPatients[random.Next(_allPatients.Length)]);

    private sealed class DutySlot(string patientId, string dutyId, string[] needs)
    {
        public string Name { get; } = $"patients/{patientId}/duties/{dutyId}";

        public string DutyId { get; } = dutyId;

        public string[] Needs { get; } = needs;

        public string Etag { get; set; } = string.Empty;
    }

    private sealed class Echo(BaselineService.BaselineServiceClient client) : IOperation
    {
        public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
        {
            await client.EchoAsync(new EchoRequest { Payload = Payload }, cancellationToken: cancellationToken);
            return "echo";
        }
    }

    private sealed class Insert(BaselineService.BaselineServiceClient client, Random random) : IOperation
    {
        public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
        {
            await client.InsertRowAsync(new InsertRowRequest { PatientId = random.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture), Payload = Payload }, cancellationToken: cancellationToken);
            return "insert";
        }
    }

    private sealed class RightsStatus(OperationFactory factory, Random random) : IOperation
    {
        public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
        {
            await factory.Client.Rights.GetRightsStatusAsync(factory.PickPatient(random), cancellationToken);
            return "rights-status";
        }
    }

    private sealed class ListDuties(OperationFactory factory, Random random) : IOperation
    {
        public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
        {
            var pages = factory.Client.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = factory.PickPatient(random) }, cancellationToken).AsPages(pageSizeHint: 50);
            await using var page = pages.GetAsyncEnumerator(cancellationToken);
            await page.MoveNextAsync();
            return "list-duties";
        }
    }

    private sealed class Worklist(OperationFactory factory, Random random) : IOperation
    {
        private static readonly WorklistKind[] Kinds =
            [WorklistKind.ExplanationsDue, WorklistKind.ExplanationsOverdue, WorklistKind.ReattemptsDue, WorklistKind.RemindersDue, WorklistKind.NearestRelativeCopies];

        public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
        {
            var wards = factory._workload!.Wards;
            var (hospital, ward) = wards[random.Next(wards.Count)];
            var request = new ListWorklistItemsRequest { Kind = Kinds[random.Next(Kinds.Length)], Hospital = hospital, Ward = ward };
            var pages = factory.Client.Worklists.ListWorklistItemsAsync(request, cancellationToken).AsPages(pageSizeHint: 50);
            await using var page = pages.GetAsyncEnumerator(cancellationToken);
            await page.MoveNextAsync();
            return "worklist";
        }
    }

    /// <summary>
    /// Records an explanation attempt on one of this worker's awaiting duties, round robin: 90% not (fully)
    /// understood, which leaves the duty awaiting a re-attempt, 10% understood, which takes it out of the pool. The
    /// etag of the previous answer is sent (the first touch in a process sends none: an earlier process may have
    /// changed the duty). The SDK adds a request_id, so each call also writes an idempotency record.
    /// </summary>
    private sealed class RecordAttempt(OperationFactory factory, Random random, List<DutySlot> slice) : IOperation
    {
        private static readonly AttemptOutcome[] Unsuccessful = [AttemptOutcome.PartlyUnderstood, AttemptOutcome.NotUnderstood, AttemptOutcome.Declined, AttemptOutcome.Unable];
        private int _next;

        public async Task<string> ExecuteAsync(CancellationToken cancellationToken)
        {
            if (slice.Count == 0)
            {
                throw new InvalidOperationException("This worker's awaiting duties are used up: generate a larger dataset or shorten the run.");
            }

            var duty = slice[_next++ % slice.Count];
            var understood = random.NextDouble() < 0.1;
            var attempt = new ExplanationAttempt
            {
                AttemptTime = Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(-1)),
                ExplainedBy = "Bench Nurse",
                ExplainedByRole = "Staff nurse",
                OralGiven = true,
                WrittenGiven = true,
                LeafletId = "DHSC-S3",
                LeafletVersion = "2024-01",
                LeafletLanguage = "en",
                Outcome = understood ? AttemptOutcome.Understood : Unsuccessful[random.Next(Unsuccessful.Length)],
                ImhaInformationGiven = true,
                NearestRelativeSharing = NearestRelativeSharing.Agrees,
                // The workload does not carry the patient's interpreter flag; an interpreter present when none was
                // needed is allowed, one missing when needed refuses UNDERSTOOD (ExplanationRecorder).
                InterpreterUsed = true,
            };
            // One answer per category: two organisations may record the same need (RAU005), the attempt answers it once.
            foreach (var need in duty.Needs.Distinct(StringComparer.Ordinal))
            {
                attempt.CommunicationNeeds.Add(new CommunicationNeedResponse { CategoryCode = need, Met = true, Detail = "Arranged before the explanation" });
            }

            var response = await factory.Client.Rights.RecordExplanationAttemptAsync(
                new RecordExplanationAttemptRequest { Parent = duty.Name, Etag = duty.Etag, Attempt = attempt }, cancellationToken);
            duty.Etag = response.Duty.Etag;
            if (understood)
            {
                slice.Remove(duty);
                factory._understood.Add(duty.DutyId);
            }

            return "record-attempt";
        }
    }

    /// <summary>An EPR-like mix: mostly reads of one patient, some worklists, one write in five.</summary>
    private sealed class Mixed(IOperation status, IOperation duties, IOperation worklist, IOperation record, Random random) : IOperation
    {
        public Task<string> ExecuteAsync(CancellationToken cancellationToken) =>
            random.NextDouble() switch
            {
                < 0.50 => status.ExecuteAsync(cancellationToken),
                < 0.70 => duties.ExecuteAsync(cancellationToken),
                < 0.80 => worklist.ExecuteAsync(cancellationToken),
                _ => record.ExecuteAsync(cancellationToken),
            };
    }
}
