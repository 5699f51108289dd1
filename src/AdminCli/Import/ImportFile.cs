using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Google.Protobuf.WellKnownTypes;
using MhaRights.AdminCli.Infrastructure;
using MhaRights.Contracts.V1;
using static MhaRights.AdminCli.Import.ImportColumns;
using ProvisionKind = MhaRights.Contracts.V1.Provision;
using SexCode = MhaRights.Contracts.V1.Sex;
using SharingWish = MhaRights.Contracts.V1.NearestRelativeSharing;

namespace MhaRights.AdminCli.Import;

/// <summary>One problem with one row: its number as a spreadsheet shows it (the header is row 1), the column, and why.</summary>
internal sealed record RowError(int Row, string Column, string Reason);

/// <summary>An explanation attempt given on a row.</summary>
internal sealed record AttemptRow(DutyKind Duty, Timestamp Time, string ExplainedBy, string Role, AttemptOutcome Outcome, bool Oral, bool Written, string LeafletId, SharingWish Sharing, string Note);

/// <summary>A row that passed local validation, with its values parsed.</summary>
internal sealed record ImportRow(
    int Row,
    Patient Patient,
    NearestRelative? NearestRelative,
    ProvisionKind Provision,
    ProvisionKind SuspendedProvision,
    string Hospital,
    string Ward,
    Timestamp StartTime,
    Timestamp? EndTime,
    LegalStatusEpisode.Types.EndReason EndReason,
    string EndNote,
    AttemptRow? Attempt)
{
    /// <summary>Rows with the same key describe the same episode.</summary>
    public (ProvisionKind, Timestamp) EpisodeKey => (Provision, StartTime);
}

/// <summary>
/// Reads and validates the CSV locally, before anything is sent: every row is checked, every problem reported
/// with its row and column. Code tables the server owns (ethnic categories) are left to the server, whose
/// field violations are mapped back to columns by the runner.
/// </summary>
internal static partial class ImportFile
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static (IReadOnlyList<ImportRow> Rows, IReadOnlyList<RowError> Errors, int RowCount) Read(string path, TimeProvider clock)
    {
        if (!File.Exists(path))
        {
            throw CliException.NotFound($"no such file: {path}");
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            BadDataFound = null,
            IgnoreBlankLines = true,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw CliException.Usage($"{path} is empty; the first line must name the columns ({string.Join(",", Required)}, ...)");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = Normalize(header[i]);
            if (name.Length == 0)
            {
                continue;
            }

            if (!All.Contains(name))
            {
                throw CliException.Usage($"{path}: unknown column '{header[i]}'; the columns are {string.Join(", ", All)} (see README)");
            }

            if (!index.TryAdd(name, i))
            {
                throw CliException.Usage($"{path}: column '{name}' appears twice");
            }
        }

        var missing = Required.Where(r => !index.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw CliException.Usage($"{path}: required column(s) missing: {string.Join(", ", missing)}");
        }

        var rows = new List<ImportRow>();
        var errors = new List<RowError>();
        var firstNhsNumber = new Dictionary<string, (string Value, int Row)>(StringComparer.Ordinal);
        var count = 0;
        var now = clock.GetUtcNow();
        while (csv.Read())
        {
            count++;
            var rowNumber = csv.Parser.Row;
            var values = index.ToDictionary(kv => kv.Key, kv => (csv.GetField(kv.Value) ?? string.Empty).Trim(), StringComparer.Ordinal);
            var rowErrors = new List<RowError>();
            var row = ParseRow(rowNumber, values, now, clock, rowErrors);
            if (row is not null && row.Patient.NhsNumber.Length > 0)
            {
                // The same person must not arrive with two NHS numbers: a sign of a merged or mistyped record.
                if (firstNhsNumber.TryGetValue(row.Patient.LocalId, out var first) && first.Value != row.Patient.NhsNumber)
                {
                    rowErrors.Add(new RowError(rowNumber, NhsNumber, $"differs from row {first.Row} for the same local_id"));
                }
                else
                {
                    firstNhsNumber.TryAdd(row.Patient.LocalId, (row.Patient.NhsNumber, rowNumber));
                }
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
            }
            else if (row is not null)
            {
                rows.Add(row);
            }
        }

        return (rows, errors, count);
    }

    private static ImportRow? ParseRow(int row, IReadOnlyDictionary<string, string> values, DateTimeOffset now, TimeProvider clock, List<RowError> errors)
    {
        string Get(string column) => values.TryGetValue(column, out var v) ? v : string.Empty;
        void Fail(string column, string reason) => errors.Add(new RowError(row, column, reason));

        var patient = new Patient
        {
            LocalId = Get(LocalId),
            GivenName = Get(GivenName),
            FamilyName = Get(FamilyName),
            EthnicCategory = Get(EthnicCategory),
            PreferredLanguage = Get(PreferredLanguage),
            Hospital = Get(Hospital),
            Ward = Get(Ward),
        };
        if (patient.LocalId.Length == 0)
        {
            Fail(LocalId, "is required");
        }
        else if (!LocalIdPattern().IsMatch(patient.LocalId))
        {
            Fail(LocalId, "must be 1-64 characters of A-Z, a-z, 0-9, '-', '_' and '.'");
        }

        var nhs = Get(NhsNumber).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (nhs.Length > 0)
        {
            if (!IsValidNhsNumber(nhs))
            {
                Fail(NhsNumber, "is not a valid NHS number (10 digits with a Modulus 11 check digit)");
            }
            else
            {
                patient.NhsNumber = nhs;
            }
        }

        if (Get(DateOfBirth) is { Length: > 0 } dob)
        {
            if (!TimeText.TryParseDate(dob, out var date))
            {
                Fail(DateOfBirth, $"'{dob}' is not a date (2001-02-28 or 28/02/2001)");
            }
            else if (new DateTime(date.Year, date.Month, date.Day, 0, 0, 0, DateTimeKind.Utc) > now.UtcDateTime)
            {
                Fail(DateOfBirth, "is in the future");
            }
            else
            {
                patient.DateOfBirth = date;
            }
        }

        if (Get(ImportColumns.Sex) is { Length: > 0 } sex)
        {
            patient.Sex = sex.ToUpperInvariant() switch
            {
                "1" => SexCode.Male,
                "2" => SexCode.Female,
                "9" => SexCode.Indeterminate,
                "X" or "0" => SexCode.NotKnown,
                _ when ProtoEnums.TryParse<SexCode>(sex, out var parsed) => parsed,
                _ => Invalid(ImportColumns.Sex, $"'{sex}' is not {ProtoEnums.Choices<SexCode>()} (or NHS code 1, 2, 9, X)", SexCode.Unspecified),
            };
        }

        if (Get(InterpreterNeeded) is { Length: > 0 } interpreter)
        {
            patient.InterpreterNeeded = ParseBool(interpreter, InterpreterNeeded);
        }

        var nearestRelative = ParseNearestRelative(Get, Fail);

        var provision = ProvisionKind.Unspecified;
        if (Get(ImportColumns.Provision) is not { Length: > 0 } provisionText)
        {
            Fail(ImportColumns.Provision, "is required");
        }
        else if (!LegalNames.TryParseProvision(provisionText, out provision))
        {
            Fail(ImportColumns.Provision, $"'{provisionText}' is not a provision (e.g. {LegalNames.ProvisionExamples})");
        }

        var suspended = ProvisionKind.Unspecified;
        if (Get(SuspendedProvision) is { Length: > 0 } suspendedText)
        {
            if (!LegalNames.TryParseProvision(suspendedText, out suspended))
            {
                Fail(SuspendedProvision, $"'{suspendedText}' is not a provision");
            }
            else if (provision != ProvisionKind.CommunityTreatmentOrder && provision != ProvisionKind.Unspecified)
            {
                Fail(SuspendedProvision, "is only for a CTO");
            }
        }
        else if (provision == ProvisionKind.CommunityTreatmentOrder)
        {
            Fail(SuspendedProvision, "is required for a CTO (s3 or s37)");
        }

        if (patient.Hospital.Length == 0)
        {
            Fail(Hospital, "is required");
        }
        else if (patient.Hospital.Length > 64)
        {
            Fail(Hospital, "must be at most 64 characters");
        }

        if (patient.Ward.Length > 64)
        {
            Fail(Ward, "must be at most 64 characters");
        }

        var start = RequiredTime(StartTime);
        var end = OptionalTime(EndTime);
        var endReason = LegalStatusEpisode.Types.EndReason.Unspecified;
        if (Get(EndReason) is { Length: > 0 } reasonText)
        {
            if (!ProtoEnums.TryParse(reasonText, out endReason))
            {
                Fail(EndReason, $"'{reasonText}' is not one of {ProtoEnums.Choices<LegalStatusEpisode.Types.EndReason>()}");
            }
            else if (end is null && Get(EndTime).Length == 0)
            {
                Fail(EndTime, "is required with end_reason");
            }
        }
        else if (end is not null)
        {
            Fail(EndReason, "is required with end_time");
        }

        if (start is not null && end is not null && end < start)
        {
            Fail(EndTime, "is before start_time");
        }

        var attempt = ParseAttempt(Get, Fail, start, end);

        if (errors.Count > 0)
        {
            return null;
        }

        return new ImportRow(
            row,
            patient,
            nearestRelative,
            provision,
            suspended,
            patient.Hospital,
            patient.Ward,
            Timestamp.FromDateTimeOffset(start!.Value),
            end is null ? null : Timestamp.FromDateTimeOffset(end.Value),
            endReason,
            Get(EndNote),
            attempt);

        T Invalid<T>(string column, string reason, T value)
        {
            Fail(column, reason);
            return value;
        }

        bool ParseBool(string text, string column) => text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "y" or "1" => true,
            "false" or "no" or "n" or "0" => false,
            _ => Invalid(column, $"'{text}' is not yes/no (true/false, 1/0)", false),
        };

        DateTimeOffset? RequiredTime(string column)
        {
            var text = Get(column);
            if (text.Length == 0)
            {
                Fail(column, "is required");
                return null;
            }

            return OptionalTime(column);
        }

        DateTimeOffset? OptionalTime(string column)
        {
            var text = Get(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (!TimeText.TryParse(text, clock, allowDateOnly: false, out var value, out var error))
            {
                Fail(column, error);
                return null;
            }

            if (value > now + ClockSkew)
            {
                Fail(column, "is in the future");
                return null;
            }

            return value;
        }

        AttemptRow? ParseAttempt(Func<string, string> get, Action<string, string> fail, DateTimeOffset? startValue, DateTimeOffset? endValue)
        {
            if (AttemptColumns.All(c => get(c).Length == 0))
            {
                return null;
            }

            var duty = DutyKind.Section1321;
            if (get(Duty) is { Length: > 0 } dutyText)
            {
                if (!LegalNames.TryParseDuty(dutyText, out duty) || duty is not (DutyKind.Section1321 or DutyKind.Section1322 or DutyKind.Section132A or DutyKind.Section130D))
                {
                    fail(Duty, $"'{dutyText}' is not an explanation duty (s132(1), s132(2), s132a, s130d)");
                }
            }

            var time = RequiredTime(AttemptTime);
            if (time is not null && startValue is not null && time < startValue)
            {
                fail(AttemptTime, "is before start_time");
            }

            if (time is not null && endValue is not null && time > endValue)
            {
                fail(AttemptTime, "is after end_time");
            }

            foreach (var column in new[] { ExplainedBy, ExplainedByRole })
            {
                if (get(column).Length == 0)
                {
                    fail(column, "is required with attempt_time");
                }
            }

            var outcome = AttemptOutcome.Unspecified;
            if (get(Outcome) is not { Length: > 0 } outcomeText)
            {
                fail(Outcome, "is required with attempt_time");
            }
            else if (!ProtoEnums.TryParse(outcomeText, out outcome))
            {
                fail(Outcome, $"'{outcomeText}' is not one of {ProtoEnums.Choices<AttemptOutcome>()}");
            }

            var oral = get(OralGiven) is { Length: > 0 } o && ParseBool(o, OralGiven);
            var written = get(WrittenGiven) is { Length: > 0 } w && ParseBool(w, WrittenGiven);
            if (written && get(LeafletId).Length == 0)
            {
                fail(LeafletId, "is required when written_given is yes");
            }

            var sharing = SharingWish.Unspecified;
            if (get(ImportColumns.NearestRelativeSharing) is { Length: > 0 } sharingText && !ProtoEnums.TryParse(sharingText, out sharing))
            {
                fail(ImportColumns.NearestRelativeSharing, $"'{sharingText}' is not one of {ProtoEnums.Choices<SharingWish>()}");
            }

            return time is null
                ? null
                : new AttemptRow(duty, Timestamp.FromDateTimeOffset(time.Value), get(ExplainedBy), get(ExplainedByRole), outcome, oral, written, get(LeafletId), sharing, get(AttemptNote));
        }
    }

    private static NearestRelative? ParseNearestRelative(Func<string, string> get, Action<string, string> fail)
    {
        var statusText = get(NearestRelativeStatus);
        var name = get(NearestRelativeName);
        if (statusText.Length == 0 && name.Length == 0 && get(NearestRelativeRelationship).Length == 0 && get(NearestRelativeAddress).Length == 0)
        {
            return null;
        }

        var status = NearestRelative.Types.Status.Identified;
        if (statusText.Length > 0 && !ProtoEnums.TryParse(statusText, out status))
        {
            fail(NearestRelativeStatus, $"'{statusText}' is not one of {ProtoEnums.Choices<NearestRelative.Types.Status>()}");
            return null;
        }

        if (status == NearestRelative.Types.Status.Identified && name.Length == 0)
        {
            fail(NearestRelativeName, "is required when the nearest relative is identified");
            return null;
        }

        return new NearestRelative
        {
            Status = status,
            FullName = name,
            Relationship = get(NearestRelativeRelationship),
            Address = get(NearestRelativeAddress),
        };
    }

    /// <summary>10 digits whose last is the Modulus 11 check digit of the first nine (a remainder giving 10 is invalid).</summary>
    public static bool IsValidNhsNumber(string digits)
    {
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        check = check == 11 ? 0 : check;
        return check != 10 && check == digits[9] - '0';
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex LocalIdPattern();
}
