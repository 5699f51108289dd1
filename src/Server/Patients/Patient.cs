using MhaRights.Server.Persistence;

namespace MhaRights.Server.Patients;

/// <summary>A patient known to the service, with the person who appears to be their nearest relative.</summary>
public sealed class Patient : IVersioned
{
    public required string Id { get; set; }

    public required string LocalId { get; set; }

    public string? NhsNumber { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public DateOnly? DateOfBirth { get; set; }

    public PatientSex Sex { get; set; }

    public string? EthnicCategory { get; set; }

    public string? PreferredLanguage { get; set; }

    public bool InterpreterNeeded { get; set; }

    public string? Hospital { get; set; }

    public string? Ward { get; set; }

    public NearestRelativeStatus NearestRelativeStatus { get; set; }

    public string? NearestRelativeName { get; set; }

    public string? NearestRelativeRelationship { get; set; }

    public string? NearestRelativeAddress { get; set; }

    public string? NearestRelativeContact { get; set; }

    /// <summary>When the patient was last asked whether they object to the nearest relative getting copies (s132(4)); null = never asked.</summary>
    public DateTime? NearestRelativeCopyAskedTime { get; set; }

    /// <summary>The answer given at <see cref="NearestRelativeCopyAskedTime"/>: true when the patient objects.</summary>
    public bool ObjectsToNearestRelativeCopy { get; set; }

    public DateTime CreateTime { get; set; }

    public DateTime UpdateTime { get; set; }

    public long Version { get; set; }

    public string DisplayName => string.Join(' ', new[] { GivenName, FamilyName }.Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>Values align with mharights.v1.Sex.</summary>
public enum PatientSex
{
    Unspecified = 0,
    Male = 1,
    Female = 2,
    Indeterminate = 3,
    NotKnown = 4,
}

/// <summary>Values align with mharights.v1.NearestRelative.Status.</summary>
public enum NearestRelativeStatus
{
    Unspecified = 0,
    Identified = 1,
    NoneIdentified = 2,
    Unknown = 3,
}
