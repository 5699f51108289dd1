namespace MhaRights.AdminCli.Import;

/// <summary>
/// The import file's columns (README "Bulk import"). Header names are matched ignoring case, spaces and dashes;
/// the order is free; unknown headers are refused so a misspelt column is not silently ignored.
/// </summary>
internal static class ImportColumns
{
    public const string LocalId = "local_id";
    public const string NhsNumber = "nhs_number";
    public const string GivenName = "given_name";
    public const string FamilyName = "family_name";
    public const string DateOfBirth = "date_of_birth";
    public const string Sex = "sex";
    public const string EthnicCategory = "ethnic_category";
    public const string PreferredLanguage = "preferred_language";
    public const string InterpreterNeeded = "interpreter_needed";
    public const string NearestRelativeStatus = "nearest_relative_status";
    public const string NearestRelativeName = "nearest_relative_name";
    public const string NearestRelativeRelationship = "nearest_relative_relationship";
    public const string NearestRelativeAddress = "nearest_relative_address";
    public const string Provision = "provision";
    public const string SuspendedProvision = "suspended_provision";
    public const string Hospital = "hospital";
    public const string Ward = "ward";
    public const string StartTime = "start_time";
    public const string EndTime = "end_time";
    public const string EndReason = "end_reason";
    public const string EndNote = "end_note";
    public const string Duty = "duty";
    public const string AttemptTime = "attempt_time";
    public const string ExplainedBy = "explained_by";
    public const string ExplainedByRole = "explained_by_role";
    public const string Outcome = "outcome";
    public const string OralGiven = "oral_given";
    public const string WrittenGiven = "written_given";
    public const string LeafletId = "leaflet_id";
    public const string NearestRelativeSharing = "nearest_relative_sharing";
    public const string AttemptNote = "attempt_note";

    public static readonly IReadOnlyList<string> All =
    [
        LocalId, NhsNumber, GivenName, FamilyName, DateOfBirth, Sex, EthnicCategory, PreferredLanguage, InterpreterNeeded,
        NearestRelativeStatus, NearestRelativeName, NearestRelativeRelationship, NearestRelativeAddress,
        Provision, SuspendedProvision, Hospital, Ward, StartTime, EndTime, EndReason, EndNote,
        Duty, AttemptTime, ExplainedBy, ExplainedByRole, Outcome, OralGiven, WrittenGiven, LeafletId, NearestRelativeSharing, AttemptNote,
    ];

    public static readonly IReadOnlyList<string> Required = [LocalId, Provision, Hospital, StartTime];

    /// <summary>The attempt columns: all empty (no attempt on this row) or the required ones filled.</summary>
    public static readonly IReadOnlyList<string> AttemptColumns =
        [Duty, AttemptTime, ExplainedBy, ExplainedByRole, Outcome, OralGiven, WrittenGiven, LeafletId, NearestRelativeSharing, AttemptNote];

    /// <summary>
    /// Server field paths (relative to each request, or to its row of an ImportRows batch: <c>rows[i].</c> removed) back to columns, so a value the
    /// server refuses is reported against the column that held it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServerFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["patient.local_id"] = LocalId,
        ["patient.nhs_number"] = NhsNumber,
        ["patient.given_name"] = GivenName,
        ["patient.family_name"] = FamilyName,
        ["patient.date_of_birth"] = DateOfBirth,
        ["patient.sex"] = Sex,
        ["patient.ethnic_category"] = EthnicCategory,
        ["patient.preferred_language"] = PreferredLanguage,
        ["patient.interpreter_needed"] = InterpreterNeeded,
        ["patient.hospital"] = Hospital,
        ["patient.ward"] = Ward,
        ["nearest_relative.status"] = NearestRelativeStatus,
        ["nearest_relative.full_name"] = NearestRelativeName,
        ["nearest_relative.relationship"] = NearestRelativeRelationship,
        ["nearest_relative.address"] = NearestRelativeAddress,
        ["episode.provision"] = Provision,
        ["episode.suspended_provision"] = SuspendedProvision,
        ["episode.hospital"] = Hospital,
        ["episode.ward"] = Ward,
        ["episode.start_time"] = StartTime,
        ["end_time"] = EndTime,
        ["end_reason"] = EndReason,
        ["end_note"] = EndNote,
        ["parent"] = Duty,
        ["attempt.attempt_time"] = AttemptTime,
        ["attempt.explained_by"] = ExplainedBy,
        ["attempt.explained_by_role"] = ExplainedByRole,
        ["attempt.outcome"] = Outcome,
        ["attempt.oral_given"] = OralGiven,
        ["attempt.written_given"] = WrittenGiven,
        ["attempt.leaflet_id"] = LeafletId,
        ["attempt.nearest_relative_sharing"] = NearestRelativeSharing,
        ["attempt.note"] = AttemptNote,
        // ImportRows names the step of a row the records refused when no single field is to blame.
        ["patient"] = LocalId,
        ["nearest_relative"] = NearestRelativeName,
        ["episode"] = Provision,
        ["duty"] = Duty,
        ["attempt"] = AttemptTime,
    };

    /// <summary>"Local ID", "local-id" and "LOCAL_ID" all name local_id.</summary>
    public static string Normalize(string header) =>
        header.Trim().Trim('\uFEFF').ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    /// <summary>The column for a server field path: the longest known prefix, else the path itself.</summary>
    public static string ForServerField(string field, string fallback)
    {
        if (string.IsNullOrEmpty(field))
        {
            return fallback;
        }

        var best = ServerFields.Keys
            .Where(k => field == k || field.StartsWith(k + ".", StringComparison.Ordinal) || field.StartsWith(k + "[", StringComparison.Ordinal))
            .OrderByDescending(k => k.Length)
            .FirstOrDefault();
        return best is null ? field : ServerFields[best];
    }
}
