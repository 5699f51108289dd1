using MhaRights.Server.Common;

namespace MhaRights.Server.Api;

/// <summary>AIP-122 resource names: parse and format in one place.</summary>
public static class ResourceNames
{
    public static string Patient(string patientId) => $"patients/{patientId}";

    public static string Episode(string patientId, string episodeId) => $"patients/{patientId}/episodes/{episodeId}";

    public static string Duty(string patientId, string dutyId) => $"patients/{patientId}/duties/{dutyId}";

    public static string Attempt(string patientId, string dutyId, string attemptId) =>
        $"patients/{patientId}/duties/{dutyId}/attempts/{attemptId}";

    public static string AuditEvent(long sequence) => $"auditEvents/{sequence}";

    public static string ApiKey(string id) => $"apiKeys/{id}";

    /// <summary>Parses <c>patients/{p}</c>; throws INVALID_ARGUMENT naming <paramref name="field"/> otherwise.</summary>
    public static string ParsePatient(string field, string? name) => Parse(field, name, "patients/{patient}")[0];

    public static (string PatientId, string EpisodeId) ParseEpisode(string field, string? name)
    {
        var parts = Parse(field, name, "patients/{patient}/episodes/{episode}");
        return (parts[0], parts[1]);
    }

    public static (string PatientId, string DutyId) ParseDuty(string field, string? name)
    {
        var parts = Parse(field, name, "patients/{patient}/duties/{duty}");
        return (parts[0], parts[1]);
    }

    public static (string PatientId, string DutyId, string AttemptId) ParseAttempt(string field, string? name)
    {
        var parts = Parse(field, name, "patients/{patient}/duties/{duty}/attempts/{attempt}");
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>True when <paramref name="name"/> has the shape of <paramref name="pattern"/>.</summary>
    public static bool Matches(string? name, string pattern) => TryParse(name, pattern, out _);

    private static string[] Parse(string field, string? name, string pattern)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ValidationFailedException(field, "is required");
        }

        if (!TryParse(name, pattern, out var ids))
        {
            throw new ValidationFailedException(field, $"must have the form {pattern}");
        }

        return ids;
    }

    private static bool TryParse(string? name, string pattern, out string[] ids)
    {
        ids = [];
        if (name is null)
        {
            return false;
        }

        var nameParts = name.Split('/');
        var patternParts = pattern.Split('/');
        if (nameParts.Length != patternParts.Length)
        {
            return false;
        }

        var found = new List<string>();
        for (var i = 0; i < patternParts.Length; i++)
        {
            if (patternParts[i].StartsWith('{'))
            {
                if (!Ids.IsValid(nameParts[i]))
                {
                    return false;
                }

                found.Add(nameParts[i]);
            }
            else if (!string.Equals(nameParts[i], patternParts[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        ids = [.. found];
        return true;
    }
}
