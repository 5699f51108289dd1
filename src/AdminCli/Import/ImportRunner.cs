using System.Collections.Concurrent;
using Grpc.Core;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Client;
using MhaRights.Contracts.V1;
using static MhaRights.AdminCli.Import.ImportColumns;

namespace MhaRights.AdminCli.Import;

/// <summary>What an import did (or, with --dry-run, would do).</summary>
internal sealed class ImportSummary
{
    private int _patientsCreated;
    private int _patientsExisting;
    private int _nearestRelativesSet;
    private int _episodesStarted;
    private int _episodesExisting;
    private int _episodesEnded;
    private int _attemptsRecorded;
    private int _attemptsExisting;

    public int PatientsCreated => _patientsCreated;

    public int PatientsExisting => _patientsExisting;

    public int NearestRelativesSet => _nearestRelativesSet;

    public int EpisodesStarted => _episodesStarted;

    public int EpisodesExisting => _episodesExisting;

    public int EpisodesEnded => _episodesEnded;

    public int AttemptsRecorded => _attemptsRecorded;

    public int AttemptsExisting => _attemptsExisting;

    public void PatientCreated() => Interlocked.Increment(ref _patientsCreated);

    public void PatientExisted() => Interlocked.Increment(ref _patientsExisting);

    public void NearestRelativeSet() => Interlocked.Increment(ref _nearestRelativesSet);

    public void EpisodeStarted() => Interlocked.Increment(ref _episodesStarted);

    public void EpisodeExisted() => Interlocked.Increment(ref _episodesExisting);

    public void EpisodeEnded() => Interlocked.Increment(ref _episodesEnded);

    public void AttemptRecorded() => Interlocked.Increment(ref _attemptsRecorded);

    public void AttemptExisted() => Interlocked.Increment(ref _attemptsExisting);

    /// <summary>True when the run wrote (or would write) nothing: the file was already imported.</summary>
    public bool NothingNew => _patientsCreated == 0 && _nearestRelativesSet == 0 && _episodesStarted == 0 && _episodesEnded == 0 && _attemptsRecorded == 0;
}

/// <summary>
/// Applies validated rows through the SDK. A real import sends whole patients in batches of up to
/// <see cref="BatchRows"/> rows to ImportService.ImportRows, which applies each batch in one transaction with the
/// same rules as the single-record methods; at most two batches are in flight (the server applies writes one at a
/// time, so more would only queue). The server refuses a batch with a bad row as a whole, naming the rows: those rows
/// (and the rows that depend on them) are reported and the rest of the batch is sent again. Nothing is created
/// twice when the same file is imported again: the server matches patients by local id, episodes by provision and
/// start, attempts by time, explainer and outcome, and reports what already existed. A dry run only reads.
/// </summary>
internal sealed class ImportRunner(MhaRightsClient client, bool dryRun, int parallelism, Action<int> rowsDone)
{
    /// <summary>
    /// Rows per ImportRows request: the most the server takes in one. A batch's rows share the index pages they
    /// write to, so the fewer commits the fewer times each page is written (a 40,000-row import wrote 8.9 GB with
    /// 250-row batches, 3.7 GB with these; bench/ANALYSIS.md). A 1,000-row batch takes 1-2 s on a two-core machine,
    /// well inside the call deadline even queued behind another.
    /// </summary>
    internal const int BatchRows = 1000;

    /// <summary>
    /// Batches in flight: one being applied and one waiting, so the next is ready the moment the server's writer
    /// is free. More would only queue behind the server's single writer, their deadlines running.
    /// </summary>
    internal const int MaxBatchesInFlight = 2;

    /// <summary>From this many patients in a file, a dry run lists all patients once (1000 a page) instead of looking them up one by one.</summary>
    internal const int PrefetchThreshold = 1000;

    private static readonly StatusCode[] AbortCodes =
        [StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Cancelled];

    private readonly ConcurrentBag<RowError> _errors = [];
    private Dictionary<string, Patient>? _known;

    public ImportSummary Summary { get; } = new();

    public IEnumerable<RowError> Errors => _errors;

    /// <summary>
    /// Runs the import. Failures of a row are collected; failures that would fail every row (credentials,
    /// permissions, server down) stop the import and are thrown.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var patients = rows.GroupBy(r => r.Patient.LocalId, StringComparer.Ordinal)
            .Select(g => g.OrderBy(r => r.StartTime).ThenBy(r => r.Attempt?.Time).ThenBy(r => r.Row).ToList())
            .ToList();
        if (dryRun)
        {
            await PlanAsync(patients, cancellationToken);
            return;
        }

        await Parallel.ForEachAsync(
            Batches(patients),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(parallelism, MaxBatchesInFlight), CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                try
                {
                    await ImportBatchAsync(batch, ct);
                }
                finally
                {
                    rowsDone(batch.Count);
                }
            });
    }

    /// <summary>Whole patients (their rows depend on each other) packed into batches of at most <see cref="BatchRows"/> rows.</summary>
    internal static IEnumerable<List<ImportRow>> Batches(IEnumerable<List<ImportRow>> patients)
    {
        var batch = new List<ImportRow>();
        foreach (var patient in patients)
        {
            if (batch.Count > 0 && batch.Count + patient.Count > BatchRows)
            {
                yield return batch;
                batch = [];
            }

            batch.AddRange(patient);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>The wire form of a row (ImportService.ImportRows).</summary>
    internal static Contracts.V1.ImportRow ToProto(ImportRow row)
    {
        var proto = new Contracts.V1.ImportRow
        {
            Patient = row.Patient,
            NearestRelative = row.NearestRelative,
            Episode = new LegalStatusEpisode
            {
                Provision = row.Provision,
                SuspendedProvision = row.SuspendedProvision,
                Hospital = row.Hospital,
                Ward = row.Ward,
                StartTime = row.StartTime,
            },
            EndTime = row.EndTime,
            EndReason = row.EndReason,
            EndNote = row.EndNote,
        };
        if (row.Attempt is { } attempt)
        {
            proto.Duty = attempt.Duty;
            proto.Attempt = new ExplanationAttempt
            {
                AttemptTime = attempt.Time,
                ExplainedBy = attempt.ExplainedBy,
                ExplainedByRole = attempt.Role,
                Outcome = attempt.Outcome,
                OralGiven = attempt.Oral,
                WrittenGiven = attempt.Written,
                LeafletId = attempt.LeafletId,
                NearestRelativeSharing = attempt.Sharing,
                Note = attempt.Note,
            };
        }

        return proto;
    }

    /// <summary>
    /// Sends one batch; while the server refuses rows, reports them (and the rows that depend on them) and sends
    /// the others again. Each attempt is a new request (a new request_id): it carries different rows.
    /// </summary>
    private async Task ImportBatchAsync(List<ImportRow> batch, CancellationToken cancellationToken)
    {
        var pending = batch;
        while (pending.Count > 0)
        {
            var request = new ImportRowsRequest();
            request.Rows.AddRange(pending.Select(ToProto));
            try
            {
                var response = await client.Import.ImportRowsAsync(request, cancellationToken);
                Count(pending, response);
                return;
            }
            catch (MhaRightsException ex) when (!AbortCodes.Contains(ex.StatusCode))
            {
                var failed = new HashSet<int>();
                foreach (var (index, field, description) in RowViolations(ex, pending.Count))
                {
                    FailWithDependents(pending, pending[index], field, description, failed);
                }

                if (failed.Count == 0)
                {
                    // A refusal that names no row (should not happen): every row of the batch is reported with it.
                    foreach (var row in pending)
                    {
                        Fail(row, LocalId, Describe(ex), failed);
                    }
                }

                pending = pending.Where(r => !failed.Contains(r.Row)).ToList();
            }
        }
    }

    /// <summary>The violations of a refused batch that name a row: <c>rows[17].patient.nhs_number</c> is row 17, field <c>patient.nhs_number</c>.</summary>
    internal static IEnumerable<(int Index, string Field, string Description)> RowViolations(MhaRightsException ex, int count)
    {
        foreach (var violation in ex.FieldViolations)
        {
            var field = violation.Field;
            if (!field.StartsWith("rows[", StringComparison.Ordinal) || field.IndexOf(']', StringComparison.Ordinal) is var close && close < 0)
            {
                continue;
            }

            if (int.TryParse(field.AsSpan(5, close - 5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < count)
            {
                yield return (index, field[(close + 1)..].TrimStart('.'), violation.Description);
            }
        }
    }

    /// <summary>
    /// Reports a refused row against the column that held the refused value. A refused patient takes all that
    /// patient's rows with it and a refused episode start takes that episode's rows, as when rows were sent one by one.
    /// </summary>
    private void FailWithDependents(List<ImportRow> pending, ImportRow source, string field, string description, HashSet<int> failed)
    {
        Fail(source, ForServerField(field, LocalId), description, failed);
        var scope = field.Split('.', '[')[0];
        var (dependents, column, reason) = scope switch
        {
            "patient" => (pending.Where(r => r.Patient.LocalId == source.Patient.LocalId), LocalId, "the patient could not be created"),
            "episode" => (pending.Where(r => r.Patient.LocalId == source.Patient.LocalId && r.EpisodeKey == source.EpisodeKey), ImportColumns.Provision, "the episode could not be started"),
            _ => (Enumerable.Empty<ImportRow>(), LocalId, string.Empty),
        };
        foreach (var other in dependents.Where(r => r.Row != source.Row && !failed.Contains(r.Row)).ToList())
        {
            Fail(other, column, $"{reason} (see row {source.Row})", failed);
        }
    }

    /// <summary>Adds one accepted batch's results to the summary; a patient or episode counts once, however many rows it spans.</summary>
    private void Count(List<ImportRow> rows, ImportRowsResponse response)
    {
        var results = response.Results;
        foreach (var patient in Enumerable.Range(0, rows.Count).GroupBy(i => results[i].Patient, StringComparer.Ordinal))
        {
            if (patient.Any(i => results[i].PatientCreated))
            {
                Summary.PatientCreated();
            }
            else
            {
                Summary.PatientExisted();
            }
        }

        foreach (var episode in Enumerable.Range(0, rows.Count).GroupBy(i => results[i].Episode, StringComparer.Ordinal))
        {
            if (episode.Any(i => results[i].EpisodeStarted))
            {
                Summary.EpisodeStarted();
            }
            else
            {
                Summary.EpisodeExisted();
            }
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var result = results[i];
            if (result.NearestRelativeSet)
            {
                Summary.NearestRelativeSet();
            }

            if (result.EpisodeEnded)
            {
                Summary.EpisodeEnded();
            }

            if (rows[i].Attempt is not null)
            {
                if (result.AttemptRecorded)
                {
                    Summary.AttemptRecorded();
                }
                else
                {
                    Summary.AttemptExisted();
                }
            }
        }
    }

    /// <summary>
    /// A dry run: looks up what exists (patients, their episodes and attempts) and counts what an import would
    /// create, without writing anything.
    /// </summary>
    private async Task PlanAsync(List<List<ImportRow>> patients, CancellationToken cancellationToken)
    {
        if (patients.Count >= PrefetchThreshold)
        {
            // A bulk load: ten list pages cost less than ten thousand single lookups.
            _known = new Dictionary<string, Patient>(StringComparer.Ordinal);
            await foreach (var patient in client.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 1000 }, cancellationToken))
            {
                _known[patient.LocalId] = patient;
            }
        }

        await Parallel.ForEachAsync(
            patients,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (rows, ct) =>
            {
                try
                {
                    await PlanPatientAsync(rows, ct);
                }
                catch (MhaRightsException ex) when (!AbortCodes.Contains(ex.StatusCode))
                {
                    var failed = new HashSet<int>();
                    foreach (var row in rows)
                    {
                        Fail(row, LocalId, Describe(ex), failed);
                    }
                }
                finally
                {
                    rowsDone(rows.Count);
                }
            });
    }

    private async Task PlanPatientAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        var first = rows[0];
        var patient = _known is not null
            ? _known.GetValueOrDefault(first.Patient.LocalId)
            : await client.Patients.ListPatientsAsync(new ListPatientsRequest { LocalId = first.Patient.LocalId, PageSize = 1 }, cancellationToken)
                .FirstOrDefaultAsync(cancellationToken);
        if (patient is null)
        {
            Summary.PatientCreated();
        }
        else
        {
            Summary.PatientExisted();
        }

        // The nearest relative is set only when none is recorded yet: the import never overwrites what staff recorded.
        if (rows.Any(r => r.NearestRelative is not null) && (patient?.NearestRelative is null || patient.NearestRelative.Status == NearestRelative.Types.Status.Unspecified))
        {
            Summary.NearestRelativeSet();
        }

        List<LegalStatusEpisode> existingEpisodes = patient is null
            ? []
            : await client.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = patient.Name, PageSize = 1000 }, cancellationToken).ToListAsync(cancellationToken);
        List<ExplanationAttempt> existingAttempts = patient is null || rows.All(r => r.Attempt is null)
            ? []
            : await client.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = patient.Name, PageSize = 1000 }, cancellationToken).ToListAsync(cancellationToken);

        foreach (var episodeRows in rows.GroupBy(r => r.EpisodeKey).OrderBy(g => g.Key.Item2))
        {
            var definer = episodeRows.First();
            var episode = existingEpisodes.FirstOrDefault(e => e.Provision == definer.Provision && e.StartTime == definer.StartTime);
            if (episode is null)
            {
                Summary.EpisodeStarted();
            }
            else
            {
                Summary.EpisodeExisted();
            }

            foreach (var attempt in episodeRows.Where(r => r.Attempt is not null).Select(r => r.Attempt!))
            {
                if (existingAttempts.Any(a => a.AttemptTime == attempt.Time && a.ExplainedBy == attempt.ExplainedBy && a.Outcome == attempt.Outcome))
                {
                    Summary.AttemptExisted();
                }
                else
                {
                    Summary.AttemptRecorded();
                }
            }

            if (episodeRows.Any(r => r.EndTime is not null)
                && (episode is null || episode.State is LegalStatusEpisode.Types.State.Active or LegalStatusEpisode.Types.State.Recalled))
            {
                Summary.EpisodeEnded();
            }
        }
    }

    private void Fail(ImportRow row, string column, string reason, HashSet<int> failed)
    {
        failed.Add(row.Row);
        _errors.Add(new RowError(row.Row, column, reason));
    }

    private static string Describe(MhaRightsException ex)
    {
        var code = ex.StatusCode.ToString();
        var detail = ex.RpcStatus?.Message ?? (ex.InnerException as RpcException)?.Status.Detail ?? ex.Message;
        return ex.Reason is { } reason ? $"{reason}: {detail}" : $"{code}: {detail}";
    }
}
