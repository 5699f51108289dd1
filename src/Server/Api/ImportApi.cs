using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Common;
using MhaRights.Server.Import;
using MhaRights.Server.Persistence;
using Entity = MhaRights.Server.Patients;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.ImportService: validates every row first, then applies the batch in one unit of work.</summary>
public sealed class ImportApi(UnitOfWork unitOfWork, BatchImporter importer, TimeProvider time) : ImportService.ImportServiceBase
{
    /// <summary>Rows per request: large enough to amortise the transaction, small enough to keep one unit's memory modest.</summary>
    public const int MaxRows = 1000;

    public override Task<ImportRowsResponse> ImportRows(ImportRowsRequest request, ServerCallContext context)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (request.Rows.Count == 0)
        {
            throw new ValidationFailedException("rows", "is required");
        }

        if (request.Rows.Count > MaxRows)
        {
            throw new ValidationFailedException("rows", $"must have at most {MaxRows} rows; send more requests");
        }

        var violations = new List<FieldViolation>();
        var rows = new List<ImportRowData>(request.Rows.Count);
        for (var i = 0; i < request.Rows.Count; i++)
        {
            try
            {
                rows.Add(Validate(i, request.Rows[i], now));
            }
            catch (ValidationFailedException ex)
            {
                violations.AddRange(BatchImporter.ForRow(i, ex));
            }
        }

        if (violations.Count > 0)
        {
            throw new ValidationFailedException(violations);
        }

        return unitOfWork.ExecuteLargeAsync<ImportRowsResponse>(nameof(ImportRows), request.RequestId, request, async ct =>
        {
            var outcomes = await importer.ApplyAsync(rows, ct);
            return () => ToResponse(outcomes);
        }, context.CancellationToken);
    }

    /// <summary>
    /// One row, checked field by field exactly as CreatePatient, SetNearestRelative, StartEpisode,
    /// RecordExplanationAttempt and EndEpisode check their requests (field paths relative to the row).
    /// </summary>
    private static ImportRowData Validate(int index, ImportRow row, DateTime now)
    {
        var violations = new List<FieldViolation>();
        var v = new RequestValidator();
        var source = row.Patient ?? new Contracts.V1.Patient();
        if (row.Patient is null)
        {
            v.Add("patient", "is required");
        }

        var patient = new Entity.Patient { Id = Ids.New(now), LocalId = source.LocalId ?? string.Empty };
        v.Code("patient.local_id", source.LocalId, 64);
        PatientFields.Apply(v, source, patient, PatientApi.UpdatablePaths, now);

        ImportNearestRelative? nearestRelative = null;
        if (row.NearestRelative is { } nr)
        {
            var status = v.Capture(() => NearestRelativeFields.Validate(v, nr));
            nearestRelative = new ImportNearestRelative(
                status, RequestValidator.OrNull(nr.FullName), RequestValidator.OrNull(nr.Relationship), RequestValidator.OrNull(nr.Address), RequestValidator.OrNull(nr.Contact));
        }

        var episode = row.Episode;
        var (provision, suspended, start) = episode is null ? default : LegalStatusApi.ValidateStart(v, episode, now);
        if (episode is null)
        {
            v.Add("episode", "is required");
        }

        DateTime? end = null;
        var endReason = LegalStatus.EpisodeEndReason.Unspecified;
        if (row.EndTime is not null || row.EndReason != Contracts.V1.LegalStatusEpisode.Types.EndReason.Unspecified)
        {
            (end, endReason) = LegalStatusApi.ValidateEnd(v, row.EndTime, row.EndReason, row.EndNote, now);
        }
        else
        {
            v.MaxLength("end_note", row.EndNote, 1000);
        }

        var duty = Rights.Duties.DutyKind.Section132_1;
        Rights.AttemptDetails? attempt = null;
        if (row.Attempt is not null)
        {
            if (row.Duty != DutyKind.Unspecified)
            {
                duty = v.Capture(() => EnumMaps.Cast<DutyKind, Rights.Duties.DutyKind>("duty", row.Duty));
            }

            try
            {
                attempt = RightsApi.ValidateAttempt(row.Attempt, now);
            }
            catch (ValidationFailedException ex)
            {
                violations.AddRange(ex.Violations);
            }
        }

        try
        {
            v.ThrowIfInvalid();
        }
        catch (ValidationFailedException ex)
        {
            violations.InsertRange(0, ex.Violations);
        }

        if (violations.Count > 0)
        {
            throw new ValidationFailedException(violations);
        }

        return new ImportRowData(
            index, patient, nearestRelative, provision, suspended, episode!.Hospital, RequestValidator.OrNull(episode.Ward), start!.Value,
            end, endReason, RequestValidator.OrNull(row.EndNote), duty, attempt);
    }

    private static ImportRowsResponse ToResponse(IReadOnlyList<ImportRowOutcome> outcomes)
    {
        var response = new ImportRowsResponse();
        foreach (var o in outcomes)
        {
            response.Results.Add(new ImportRowResult
            {
                Patient = ResourceNames.Patient(o.PatientId),
                PatientCreated = o.PatientCreated,
                NearestRelativeSet = o.NearestRelativeSet,
                Episode = o.EpisodeId is null ? string.Empty : ResourceNames.Episode(o.PatientId, o.EpisodeId),
                EpisodeStarted = o.EpisodeStarted,
                EpisodeEnded = o.EpisodeEnded,
                Attempt = o.AttemptId is null ? string.Empty : ResourceNames.Attempt(o.PatientId, o.DutyId!, o.AttemptId),
                AttemptRecorded = o.AttemptRecorded,
            });
        }

        return response;
    }
}
