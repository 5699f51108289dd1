using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
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
/// Applies validated rows through the SDK, patient by patient: patients in parallel (bounded), each patient's rows
/// in time order (an episode must start before its attempts and its end). Nothing is created twice when the same
/// file is imported again: each patient is looked up by local id first, episodes and attempts are matched against
/// what the server already holds, and every write carries a request_id derived from its content, so a retried or
/// repeated write is answered from the server's idempotency record instead of being applied again.
/// </summary>
internal sealed class ImportRunner(MhaRightsClient client, bool dryRun, int parallelism, Action<int> rowsDone)
{
    private static readonly StatusCode[] AbortCodes =
        [StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Cancelled];

    /// <summary>From this many patients in a file, all patients are listed once (1000 a page) instead of looked up one by one.</summary>
    internal const int PrefetchThreshold = 1000;

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
        var patients = rows.GroupBy(r => r.Patient.LocalId, StringComparer.Ordinal).ToList();
        if (patients.Count >= PrefetchThreshold)
        {
            // A bulk load: ten list pages cost less than ten thousand single lookups, and reads of the whole
            // register are what a re-import mostly does.
            _known = new Dictionary<string, Patient>(StringComparer.Ordinal);
            await foreach (var patient in client.Patients.ListPatientsAsync(new ListPatientsRequest { PageSize = 1000 }, cancellationToken))
            {
                _known[patient.LocalId] = patient;
            }
        }

        await Parallel.ForEachAsync(
            patients,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                var ordered = group.OrderBy(r => r.StartTime).ThenBy(r => r.Attempt?.Time).ThenBy(r => r.Row).ToList();
                try
                {
                    await ImportPatientAsync(ordered, ct);
                }
                finally
                {
                    rowsDone(ordered.Count);
                }
            });
    }

    /// <summary>An AIP-155 request id from the request's content: the same row imported again sends the same id.</summary>
    internal static string RequestIdFor(string step, IMessage request)
    {
        var bytes = SHA256.HashData([.. Encoding.UTF8.GetBytes("mharights-import/v1/" + step + "/"), .. request.ToByteArray()]);
        var guid = bytes.AsSpan(0, 16).ToArray();
        guid[6] = (byte)((guid[6] & 0x0F) | 0x50); // version 5 (name-based)
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(guid, bigEndian: true).ToString();
    }

    private async Task ImportPatientAsync(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        var first = rows[0];
        var failed = new HashSet<int>();

        // 1. The patient: found by local id, else created from the first row's demographics.
        var patient = _known is not null
            ? _known.GetValueOrDefault(first.Patient.LocalId)
            : await client.Patients.ListPatientsAsync(new ListPatientsRequest { LocalId = first.Patient.LocalId, PageSize = 1 }, cancellationToken)
                .FirstOrDefaultAsync(cancellationToken);
        var isNew = patient is null;
        if (patient is null)
        {
            if (dryRun)
            {
                Summary.PatientCreated();
                patient = new Patient { LocalId = first.Patient.LocalId };
            }
            else
            {
                var request = new CreatePatientRequest { Patient = first.Patient };
                request.RequestId = RequestIdFor("patient", request);
                patient = await TryAsync(rows, first, LocalId, failed, () => client.Patients.CreatePatientAsync(request, cancellationToken), "the patient could not be created");
                if (patient is null)
                {
                    return;
                }

                Summary.PatientCreated();
            }
        }
        else
        {
            Summary.PatientExisted();
        }

        // 2. The nearest relative, only when none is recorded yet: the import never overwrites what staff recorded.
        var nrRow = rows.FirstOrDefault(r => r.NearestRelative is not null);
        if (nrRow is not null && (patient.NearestRelative is null || patient.NearestRelative.Status == NearestRelative.Types.Status.Unspecified))
        {
            if (dryRun)
            {
                Summary.NearestRelativeSet();
            }
            else
            {
                var request = new SetNearestRelativeRequest { Name = patient.Name, NearestRelative = nrRow.NearestRelative };
                request.RequestId = RequestIdFor("nearest-relative", request);
                var updated = await TryAsync([nrRow], nrRow, NearestRelativeName, failed, () => client.Patients.SetNearestRelativeAsync(request, cancellationToken), null);
                if (updated is not null)
                {
                    Summary.NearestRelativeSet();
                }
            }
        }

        // 3. Episodes in start order, each with its attempts and then its end.
        List<LegalStatusEpisode> existingEpisodes = isNew
            ? []
            : await client.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = patient.Name, PageSize = 1000 }, cancellationToken).ToListAsync(cancellationToken);
        List<ExplanationAttempt> existingAttempts = isNew || rows.All(r => r.Attempt is null)
            ? []
            : await client.Rights.ListExplanationAttemptsAsync(new ListExplanationAttemptsRequest { Parent = patient.Name, PageSize = 1000 }, cancellationToken).ToListAsync(cancellationToken);
        List<RightsDuty>? duties = null;

        foreach (var episodeRows in rows.Where(r => !failed.Contains(r.Row)).GroupBy(r => r.EpisodeKey).OrderBy(g => g.Key.Item2))
        {
            var episodeRowList = episodeRows.ToList();
            var definer = episodeRowList[0];
            var episode = existingEpisodes.FirstOrDefault(e => e.Provision == definer.Provision && e.StartTime == definer.StartTime);
            var episodeIsNew = episode is null;
            if (episode is not null)
            {
                Summary.EpisodeExisted();
            }
            else if (dryRun)
            {
                Summary.EpisodeStarted();
            }
            else
            {
                var request = new StartEpisodeRequest
                {
                    Parent = patient.Name,
                    Episode = new LegalStatusEpisode
                    {
                        Provision = definer.Provision,
                        SuspendedProvision = definer.SuspendedProvision,
                        Hospital = definer.Hospital,
                        Ward = definer.Ward,
                        StartTime = definer.StartTime,
                    },
                };
                request.RequestId = RequestIdFor("episode", request);
                episode = await TryAsync(episodeRowList, definer, ImportColumns.Provision, failed, () => client.LegalStatus.StartEpisodeAsync(request, cancellationToken), "the episode could not be started");
                if (episode is null)
                {
                    continue;
                }

                Summary.EpisodeStarted();
                duties = null;
            }

            foreach (var row in episodeRowList.Where(r => r.Attempt is not null && !failed.Contains(r.Row)).OrderBy(r => r.Attempt!.Time))
            {
                var attempt = row.Attempt!;
                if (existingAttempts.Any(a => a.AttemptTime == attempt.Time && a.ExplainedBy == attempt.ExplainedBy && a.Outcome == attempt.Outcome))
                {
                    Summary.AttemptExisted();
                    continue;
                }

                if (dryRun || episode is null)
                {
                    Summary.AttemptRecorded();
                    continue;
                }

                duties ??= await client.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient.Name, PageSize = 1000 }, cancellationToken).ToListAsync(cancellationToken);
                var duty = duties.Where(d => d.Episode == episode.Name && d.Kind == attempt.Duty)
                    .OrderBy(d => d.State is RightsDuty.Types.State.Superseded or RightsDuty.Types.State.Closed or RightsDuty.Types.State.NotApplicable ? 1 : 0)
                    .ThenByDescending(d => d.OpenTime)
                    .FirstOrDefault();
                if (duty is null)
                {
                    Fail(row, Duty, $"the {LegalNames.Display(definer.Provision)} episode has no {LegalNames.Display(attempt.Duty)} duty", failed);
                    continue;
                }

                var request = new RecordExplanationAttemptRequest
                {
                    Parent = duty.Name,
                    Attempt = new ExplanationAttempt
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
                    },
                };
                request.RequestId = RequestIdFor("attempt", request);
                var recorded = await TryAsync([row], row, AttemptTime, failed, () => client.Rights.RecordExplanationAttemptAsync(request, cancellationToken), null);
                if (recorded is not null)
                {
                    Summary.AttemptRecorded();
                    duties = null;
                }
            }

            var ender = episodeRowList.FirstOrDefault(r => r.EndTime is not null && !failed.Contains(r.Row));
            if (ender is null)
            {
                continue;
            }

            if (!episodeIsNew && episode!.State is not (LegalStatusEpisode.Types.State.Active or LegalStatusEpisode.Types.State.Recalled))
            {
                continue;
            }

            if (dryRun || episode is null)
            {
                Summary.EpisodeEnded();
                continue;
            }

            var end = new EndEpisodeRequest { Name = episode.Name, EndTime = ender.EndTime, EndReason = ender.EndReason, EndNote = ender.EndNote };
            end.RequestId = RequestIdFor("end", end);
            if (await TryAsync([ender], ender, EndTime, failed, () => client.LegalStatus.EndEpisodeAsync(end, cancellationToken), null) is not null)
            {
                Summary.EpisodeEnded();
            }
        }
    }

    /// <summary>
    /// Runs one write. A refusal that concerns the data (invalid value, state, duplicate) becomes row errors:
    /// each server field violation against its column, for the row that supplied the value, and a pointer to
    /// that row for the other rows that depended on it. Anything that would fail every row is rethrown.
    /// </summary>
    private async Task<T?> TryAsync<T>(IReadOnlyList<ImportRow> affected, ImportRow source, string column, HashSet<int> failed, Func<Task<T>> call, string? dependentReason)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (MhaRightsException ex) when (!AbortCodes.Contains(ex.StatusCode))
        {
            if (ex.FieldViolations.Count > 0)
            {
                foreach (var violation in ex.FieldViolations)
                {
                    Fail(source, ForServerField(violation.Field, column), violation.Description, failed);
                }
            }
            else
            {
                // ALREADY_EXISTS names the clashing field in metadata ("nhs_number"), without the request prefix.
                var target = column;
                if (ex.Metadata.TryGetValue("field", out var field))
                {
                    var mapped = ForServerField(field, column);
                    mapped = All.Contains(mapped) ? mapped : ForServerField("patient." + field, column);
                    target = All.Contains(mapped) ? mapped : column;
                }

                Fail(source, target, Describe(ex), failed);
            }

            foreach (var other in affected.Where(r => r.Row != source.Row))
            {
                Fail(other, column, $"{dependentReason ?? "not imported"} (see row {source.Row})", failed);
            }

            return null;
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
