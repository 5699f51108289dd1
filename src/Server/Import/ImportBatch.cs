using MhaRights.Server.LegalStatus;
using MhaRights.Server.Patients;
using MhaRights.Server.Rights;
using MhaRights.Server.Rights.Duties;
using MhaRights.Server.Rights.Rules;

namespace MhaRights.Server.Import;

/// <summary>A nearest relative as validated from an import row.</summary>
public sealed record ImportNearestRelative(NearestRelativeStatus Status, string? FullName, string? Relationship, string? Address, string? Contact);

/// <summary>
/// One import row after validation: everything the single-record methods would have checked has been checked;
/// what is left are the rules that depend on the records (done by the domain code while applying).
/// </summary>
/// <param name="Index">The row's position in the request, for <c>rows[index]</c> field paths.</param>
/// <param name="NewPatient">The patient to create when no patient has this local id (not yet added to the context).</param>
public sealed record ImportRowData(
    int Index,
    Patient NewPatient,
    ImportNearestRelative? NearestRelative,
    Provision Provision,
    Provision? SuspendedProvision,
    string Hospital,
    string? Ward,
    DateTime StartTime,
    DateTime? EndTime,
    EpisodeEndReason EndReason,
    string? EndNote,
    DutyKind Duty,
    AttemptDetails? Attempt)
{
    public string LocalId => NewPatient.LocalId;
}

/// <summary>What applying one row did; the flags are set only on the row that caused the change.</summary>
public sealed class ImportRowOutcome
{
    public string PatientId { get; set; } = string.Empty;

    public bool PatientCreated { get; set; }

    public bool NearestRelativeSet { get; set; }

    public string? EpisodeId { get; set; }

    public bool EpisodeStarted { get; set; }

    public bool EpisodeEnded { get; set; }

    public string? DutyId { get; set; }

    public string? AttemptId { get; set; }

    public bool AttemptRecorded { get; set; }
}
