using Grpc.Core;
using MhaRights.Contracts.V1;
using MhaRights.Server.Audit;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using MhaRights.Server.Persistence;
using MhaRights.Server.Rights;
using Microsoft.EntityFrameworkCore;
using Entity = MhaRights.Server.Patients;

namespace MhaRights.Server.Api;

/// <summary>mharights.v1.PatientService.</summary>
public sealed class PatientApi(
    MhaRightsDbContext db,
    UnitOfWork unitOfWork,
    PatientDirectory directory,
    RightsLifecycle rights,
    AuditLog audit,
    Security.PatientScope scope,
    Security.Pseudonyms pseudonyms,
    TimeProvider time) : PatientService.PatientServiceBase
{
    /// <summary>The fields a create or update sets (the bulk import creates patients with the same list).</summary>
    internal static readonly string[] UpdatablePaths =
        ["given_name", "family_name", "date_of_birth", "sex", "ethnic_category", "preferred_language", "interpreter_needed", "hospital", "ward", "nhs_number"];

    public override Task<Contracts.V1.Patient> CreatePatient(CreatePatientRequest request, ServerCallContext context)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var v = new RequestValidator();
        if (request.Patient is null)
        {
            throw new ValidationFailedException("patient", "is required");
        }

        var patient = new Entity.Patient { Id = Ids.New(now), LocalId = request.Patient.LocalId ?? string.Empty, CreateTime = now, UpdateTime = now };
        v.Code("patient.local_id", request.Patient.LocalId, 64);
        PatientFields.Apply(v, request.Patient, patient, UpdatablePaths, now);
        v.ThrowIfInvalid();

        return unitOfWork.ExecuteAsync<Contracts.V1.Patient>(nameof(CreatePatient), request.RequestId, request, async ct =>
        {
            await directory.EnsureUniqueAsync(patient, ct);
            db.Patients.Add(patient);
            audit.Record(new AuditEntry("CreatePatient", ResourceNames.Patient(patient.Id), patient.Id));
            return () => ProtoMapper.ToProto(patient);
        }, context.CancellationToken);
    }

    public override async Task<Contracts.V1.Patient> GetPatient(GetPatientRequest request, ServerCallContext context)
    {
        var id = ResourceNames.ParsePatient("name", request.Name);
        return pseudonyms.ToProto(await directory.GetAsync(id, context.CancellationToken));
    }

    public override async Task<ListPatientsResponse> ListPatients(ListPatientsRequest request, ServerCallContext context)
    {
        var size = PageTokens.Size(request.PageSize);
        pseudonyms.RefuseIdentifyingFilter(request.NhsNumber, request.LocalId);
        var fingerprint = $"{request.NhsNumber}|{request.LocalId}";
        var after = PageTokens.Decode(request.PageToken, fingerprint)?[0];
        var query = db.Patients.AsNoTracking();
        if (!string.IsNullOrEmpty(request.NhsNumber))
        {
            var nhs = NhsNumber.Normalise(request.NhsNumber);
            query = query.Where(p => p.NhsNumber == nhs);
        }

        if (!string.IsNullOrEmpty(request.LocalId))
        {
            query = query.Where(p => p.LocalId == request.LocalId);
        }

        if (after is not null)
        {
            query = query.Where(p => string.Compare(p.LocalId, after) > 0);
        }

        // Site-bound callers list only their patients (filtered, not refused: docs/security.md).
        if (scope.PatientIdsInScope() is { } reached)
        {
            query = query.Where(p => reached.Contains(p.Id));
        }

        var page = await query.OrderBy(p => p.LocalId).Take(size + 1).ToListAsync(context.CancellationToken);
        var response = new ListPatientsResponse();
        response.Patients.AddRange(page.Take(size).Select(pseudonyms.ToProto));
        if (page.Count > size)
        {
            response.NextPageToken = PageTokens.Encode(fingerprint, page[size - 1].LocalId);
        }

        return response;
    }

    public override Task<Contracts.V1.Patient> UpdatePatient(UpdatePatientRequest request, ServerCallContext context)
    {
        if (request.Patient is null)
        {
            throw new ValidationFailedException("patient", "is required");
        }

        var id = ResourceNames.ParsePatient("patient.name", request.Patient.Name);
        var paths = request.UpdateMask?.Paths.Count > 0 ? request.UpdateMask.Paths.ToArray() : UpdatablePaths;
        var unknown = paths.Where(p => !UpdatablePaths.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new ValidationFailedException("update_mask", $"cannot update {string.Join(", ", unknown)}; updatable: {string.Join(", ", UpdatablePaths)}");
        }

        return unitOfWork.ExecuteAsync<Contracts.V1.Patient>(nameof(UpdatePatient), request.RequestId, request, async ct =>
        {
            var patient = await directory.GetAsync(id, ct);
            Etags.Check(ResourceNames.Patient(id), request.Etag, patient.Version);
            var now = time.GetUtcNow().UtcDateTime;
            var v = new RequestValidator();
            PatientFields.Apply(v, request.Patient, patient, paths, now);
            v.ThrowIfInvalid();
            await directory.EnsureUniqueAsync(patient, ct);
            patient.UpdateTime = now;
            if (paths.Contains("hospital") || paths.Contains("ward"))
            {
                await rights.RelocateOpenDutiesAsync(patient.Id, patient.Hospital ?? string.Empty, patient.Ward, ct);
            }

            audit.Record(new AuditEntry("UpdatePatient", ResourceNames.Patient(id), id, Reason: string.Join(",", paths)));
            return () => ProtoMapper.ToProto(patient);
        }, context.CancellationToken);
    }

    public override Task<Contracts.V1.Patient> SetNearestRelative(SetNearestRelativeRequest request, ServerCallContext context)
    {
        var id = ResourceNames.ParsePatient("name", request.Name);
        var nr = request.NearestRelative ?? throw new ValidationFailedException("nearest_relative", "is required");
        var v = new RequestValidator();
        var status = NearestRelativeFields.Validate(v, nr);
        v.ThrowIfInvalid();

        return unitOfWork.ExecuteAsync<Contracts.V1.Patient>(nameof(SetNearestRelative), request.RequestId, request, async ct =>
        {
            var patient = await directory.GetAsync(id, ct);
            Etags.Check(ResourceNames.Patient(id), request.Etag, patient.Version);
            var now = time.GetUtcNow().UtcDateTime;
            var previous = patient.NearestRelativeStatus;
            patient.NearestRelativeStatus = status;
            patient.NearestRelativeName = RequestValidator.OrNull(nr.FullName);
            patient.NearestRelativeRelationship = RequestValidator.OrNull(nr.Relationship);
            patient.NearestRelativeAddress = RequestValidator.OrNull(nr.Address);
            patient.NearestRelativeContact = RequestValidator.OrNull(nr.Contact);
            patient.UpdateTime = now;
            audit.Record(new AuditEntry("SetNearestRelative", ResourceNames.Patient(id), id, previous.ToString(), status.ToString()));
            await rights.ApplyNearestRelativeChangeAsync(patient, now, ct);
            return () => ProtoMapper.ToProto(patient);
        }, context.CancellationToken);
    }

}

/// <summary>Validation of a nearest relative, shared by SetNearestRelative and the bulk import.</summary>
internal static class NearestRelativeFields
{
    /// <summary>Adds the violations of <paramref name="nr"/> to <paramref name="v"/>; throws only for an unknown status.</summary>
    public static NearestRelativeStatus Validate(RequestValidator v, NearestRelative nr)
    {
        var status = EnumMaps.Cast<NearestRelative.Types.Status, NearestRelativeStatus>("nearest_relative.status", nr.Status);
        if (status == NearestRelativeStatus.Identified)
        {
            v.RequiredText("nearest_relative.full_name", nr.FullName, 200);
        }
        else if (!string.IsNullOrEmpty(nr.FullName))
        {
            v.Add("nearest_relative.full_name", "must be empty unless status is IDENTIFIED");
        }

        v.MaxLength("nearest_relative.relationship", nr.Relationship, 100);
        v.MaxLength("nearest_relative.address", nr.Address, 500);
        v.MaxLength("nearest_relative.contact", nr.Contact, 200);
        return status;
    }
}

/// <summary>Validation and assignment of the patient's updatable fields, shared by create and update.</summary>
internal static class PatientFields
{
    public static void Apply(RequestValidator v, Contracts.V1.Patient source, Entity.Patient target, IReadOnlyCollection<string> paths, DateTime now)
    {
        if (paths.Contains("nhs_number"))
        {
            var nhs = NhsNumber.Normalise(source.NhsNumber);
            if (nhs is not null && !NhsNumber.IsValid(nhs))
            {
                v.Add("patient.nhs_number", "is not a valid NHS number (10 digits with a Modulus 11 check digit)");
            }

            target.NhsNumber = nhs;
        }

        if (paths.Contains("given_name"))
        {
            v.MaxLength("patient.given_name", source.GivenName, 100);
            target.GivenName = RequestValidator.OrNull(source.GivenName);
        }

        if (paths.Contains("family_name"))
        {
            v.MaxLength("patient.family_name", source.FamilyName, 100);
            target.FamilyName = RequestValidator.OrNull(source.FamilyName);
        }

        if (paths.Contains("date_of_birth"))
        {
            target.DateOfBirth = null;
            if (source.DateOfBirth is { } dob)
            {
                if (dob.Year is < 1900 or > 9999 || dob.Month is < 1 or > 12 || dob.Day < 1 || dob.Day > DateTime.DaysInMonth(dob.Year, dob.Month))
                {
                    v.Add("patient.date_of_birth", "is not a valid date");
                }
                else if (new DateOnly(dob.Year, dob.Month, dob.Day) > DateOnly.FromDateTime(now))
                {
                    v.Add("patient.date_of_birth", "must not be in the future");
                }
                else
                {
                    target.DateOfBirth = new DateOnly(dob.Year, dob.Month, dob.Day);
                }
            }
        }

        if (paths.Contains("sex"))
        {
            try
            {
                target.Sex = EnumMaps.Cast<Sex, PatientSex>("patient.sex", source.Sex, allowUnspecified: true);
            }
            catch (ValidationFailedException ex)
            {
                v.Add(ex.Violations[0].Field, ex.Violations[0].Description);
            }
        }

        if (paths.Contains("ethnic_category"))
        {
            var code = RequestValidator.OrNull(source.EthnicCategory);
            if (code is not null && !EthnicCategories.Codes.ContainsKey(code))
            {
                v.Add("patient.ethnic_category", "must be an NHS Data Dictionary ethnic category code (A-H, J-N, P, R, S, Z or 99)");
            }

            target.EthnicCategory = code;
        }

        if (paths.Contains("preferred_language"))
        {
            var language = RequestValidator.OrNull(source.PreferredLanguage);
            if (language is not null && (language.Length is < 2 or > 16 || !language.All(c => char.IsAsciiLetter(c) || c == '-')))
            {
                v.Add("patient.preferred_language", "must be an ISO 639 language code such as en, pl or bfi");
            }

            target.PreferredLanguage = language?.ToLowerInvariant();
        }

        if (paths.Contains("interpreter_needed"))
        {
            target.InterpreterNeeded = source.InterpreterNeeded;
        }

        if (paths.Contains("hospital"))
        {
            v.OptionalCode("patient.hospital", source.Hospital, 64);
            target.Hospital = RequestValidator.OrNull(source.Hospital);
        }

        if (paths.Contains("ward"))
        {
            v.OptionalCode("patient.ward", source.Ward, 64);
            target.Ward = RequestValidator.OrNull(source.Ward);
        }
    }

}
