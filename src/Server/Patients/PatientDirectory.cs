using MhaRights.Server.Api;
using MhaRights.Server.Common;
using MhaRights.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MhaRights.Server.Patients;

/// <summary>Finds patients and enforces their identity rules (unique local id and NHS number).</summary>
public sealed class PatientDirectory(MhaRightsDbContext db)
{
    public async Task<Patient> GetAsync(string patientId, CancellationToken cancellationToken) =>
        await db.Patients.FirstOrDefaultAsync(p => p.Id == patientId, cancellationToken)
            ?? throw new ResourceNotFoundException(ResourceNames.Patient(patientId));

    public async Task EnsureUniqueAsync(Patient patient, CancellationToken cancellationToken)
    {
        if (await db.Patients.AnyAsync(p => p.LocalId == patient.LocalId && p.Id != patient.Id, cancellationToken))
        {
            throw new ResourceAlreadyExistsException("patient.local_id", $"A patient with local id {patient.LocalId} already exists.");
        }

        if (patient.NhsNumber is not null && await db.Patients.AnyAsync(p => p.NhsNumber == patient.NhsNumber && p.Id != patient.Id, cancellationToken))
        {
            throw new ResourceAlreadyExistsException("patient.nhs_number", "A patient with this NHS number already exists.");
        }
    }
}
