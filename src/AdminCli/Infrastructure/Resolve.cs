using MhaRights.Client;
using MhaRights.Contracts.V1;

namespace MhaRights.AdminCli.Infrastructure;

/// <summary>
/// Turns what the office types (a local EPR id, an NHS number, or a resource name) into the resources the API
/// names, with "not found" as exit code 3.
/// </summary>
internal static class Resolve
{
    /// <summary>A patient by resource name (patients/...), local id, or NHS number.</summary>
    public static async Task<Patient> PatientAsync(MhaRightsClient client, string text, CancellationToken cancellationToken)
    {
        var value = text.Trim();
        if (value.StartsWith("patients/", StringComparison.Ordinal))
        {
            return await client.Patients.GetPatientAsync(PatientName(value), cancellationToken);
        }

        var byLocalId = await client.Patients.ListPatientsAsync(new ListPatientsRequest { LocalId = value, PageSize = 1 }, cancellationToken)
            .FirstOrDefaultAsync(cancellationToken);
        if (byLocalId is not null)
        {
            return byLocalId;
        }

        var digits = value.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (digits.Length == 10 && digits.All(char.IsAsciiDigit))
        {
            var byNhsNumber = await client.Patients.ListPatientsAsync(new ListPatientsRequest { NhsNumber = digits, PageSize = 1 }, cancellationToken)
                .FirstOrDefaultAsync(cancellationToken);
            if (byNhsNumber is not null)
            {
                return byNhsNumber;
            }
        }

        throw CliException.NotFound($"no patient with local id or NHS number '{value}'");
    }

    /// <summary>The patient's resource name, without a lookup when the text already is one.</summary>
    public static async Task<string> PatientNameAsync(MhaRightsClient client, string text, CancellationToken cancellationToken) =>
        text.Trim().StartsWith("patients/", StringComparison.Ordinal) ? PatientName(text.Trim()) : (await PatientAsync(client, text, cancellationToken)).Name;

    /// <summary>"patients/p1/duties/d1" → "patients/p1".</summary>
    public static string PatientName(string resourceName)
    {
        var parts = resourceName.Split('/');
        return parts.Length >= 2 && parts[0] == "patients" && parts[1].Length > 0
            ? $"patients/{parts[1]}"
            : throw CliException.Usage($"'{resourceName}' is not a patient resource name (patients/...)");
    }

    /// <summary>An episode by name, or the patient's episode in force (active, or a CTO whose patient is recalled).</summary>
    public static async Task<LegalStatusEpisode> EpisodeAsync(MhaRightsClient client, string text, CancellationToken cancellationToken)
    {
        var value = text.Trim();
        if (value.Contains("/episodes/", StringComparison.Ordinal))
        {
            return await client.LegalStatus.GetEpisodeAsync(value, cancellationToken);
        }

        var patient = await PatientNameAsync(client, value, cancellationToken);
        await foreach (var episode in client.LegalStatus.ListEpisodesAsync(new ListEpisodesRequest { Parent = patient, PageSize = 100 }, cancellationToken))
        {
            if (episode.State == LegalStatusEpisode.Types.State.Active)
            {
                return episode;
            }
        }

        throw new CliException(ExitCodes.Conflict, $"{value} has no active legal status episode (start one with 'mharights status start')");
    }

    /// <summary>A duty by name, or the patient's open duty of <paramref name="kind"/> (the most urgent if several).</summary>
    public static async Task<RightsDuty> DutyAsync(MhaRightsClient client, string text, DutyKind kind, CancellationToken cancellationToken)
    {
        var value = text.Trim();
        if (value.Contains("/duties/", StringComparison.Ordinal))
        {
            var parts = value.Split('/');
            return await client.Rights.GetDutyAsync(string.Join('/', parts.Take(4)), cancellationToken);
        }

        var patient = await PatientNameAsync(client, value, cancellationToken);
        await foreach (var duty in client.Rights.ListDutiesAsync(new ListDutiesRequest { Parent = patient, OpenOnly = true, PageSize = 200 }, cancellationToken))
        {
            if (duty.Kind == kind)
            {
                return duty;
            }
        }

        throw CliException.NotFound($"{value} has no open {LegalNames.Display(kind)} duty");
    }
}
