using System.Globalization;
using MhaRights.Server.Common;
using MhaRights.Server.Patients;
using NodaTime;

namespace MhaRights.Server.Reporting;

/// <summary>A breakdown group: stable key (wire), label (people) and sort position.</summary>
public sealed record ReportGroup(string Key, string Label, int Order);

/// <summary>
/// Age bands at episode start (the bands NHS England's Mental Health Act statistics use, with 65+ split at 75).
/// Computed in SQL as the difference of yyyymmdd integers, so "age ≥ N" is "difference ≥ N × 10000" (exact, no
/// division) and the database groups by the band number.
/// </summary>
public static class AgeBands
{
    /// <summary>Lower bound (years) of each band after the first; band 0 is 0-17.</summary>
    public static readonly IReadOnlyList<int> LowerBounds = [18, 25, 35, 45, 55, 65, 75];

    /// <summary>Band number used when the date of birth is not recorded.</summary>
    public const int Unknown = 8;

    public static IReadOnlyList<ReportGroup> All { get; } =
    [
        new("0-17", "0-17", 0),
        new("18-24", "18-24", 1),
        new("25-34", "25-34", 2),
        new("35-44", "35-44", 3),
        new("45-54", "45-54", 4),
        new("55-64", "55-64", 5),
        new("65-74", "65-74", 6),
        new("75+", "75 and over", 7),
        new("UNKNOWN", "Date of birth not recorded", Unknown),
    ];

    /// <summary>The band of an age in whole years (for tests and the benchmark generator).</summary>
    public static int BandOf(int years)
    {
        var band = 0;
        while (band < LowerBounds.Count && years >= LowerBounds[band])
        {
            band++;
        }

        return band;
    }

    /// <summary>The band from yyyymmdd(start) − yyyymmdd(date of birth), as computed in the database.</summary>
    public static int BandOfDifference(int difference) => BandOf(difference / 10000);
}

/// <summary>NHS Data Dictionary ethnic categories and the broad groups used by PCREF / EDS reporting.</summary>
public static class EthnicGroups
{
    public const string Unrecorded = "UNRECORDED";

    private static readonly string[] CategoryOrder = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99", Unrecorded];

    private static readonly IReadOnlyList<ReportGroup> Broad =
    [
        new("WHITE", "White", 0),
        new("MIXED", "Mixed", 1),
        new("ASIAN", "Asian or Asian British", 2),
        new("BLACK", "Black or Black British", 3),
        new("OTHER", "Other ethnic groups", 4),
        new("NOT_STATED_OR_KNOWN", "Not stated, not known or not recorded", 5),
    ];

    public static ReportGroup Category(string? code)
    {
        var key = string.IsNullOrWhiteSpace(code) ? Unrecorded : code.Trim();
        var order = Array.IndexOf(CategoryOrder, key);
        var label = EthnicCategories.Codes.TryGetValue(key, out var display) ? display : key == Unrecorded ? "Not recorded" : key;
        return new ReportGroup(key, label, order < 0 ? CategoryOrder.Length : order);
    }

    public static ReportGroup Group(string? code) => (string.IsNullOrWhiteSpace(code) ? null : code.Trim()) switch
    {
        "A" or "B" or "C" => Broad[0],
        "D" or "E" or "F" or "G" => Broad[1],
        "H" or "J" or "K" or "L" => Broad[2],
        "M" or "N" or "P" => Broad[3],
        "R" or "S" => Broad[4],
        _ => Broad[5],
    };
}

/// <summary>Sex groups (mharights.v1.Sex names without the prefix).</summary>
public static class SexGroups
{
    public static ReportGroup Of(PatientSex sex) => sex switch
    {
        PatientSex.Male => new("MALE", "Male", 0),
        PatientSex.Female => new("FEMALE", "Female", 1),
        PatientSex.Indeterminate => new("INDETERMINATE", "Indeterminate", 2),
        PatientSex.NotKnown => new("NOT_KNOWN", "Not known", 3),
        _ => new("UNRECORDED", "Not recorded", 4),
    };
}

/// <summary>
/// The Europe/London calendar months a period touches. Month i of an episode is the number of month boundaries
/// (UTC instants of local midnights on the 1st) at or before its start, which the database evaluates as a balanced
/// tree of comparisons, so the trend follows local months across clock changes.
/// </summary>
public sealed class ReportMonths
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    public ReportMonths(DateTime start, DateTime end)
    {
        var zone = LondonTime.Zone;
        var first = Instant.FromDateTimeUtc(DateTime.SpecifyKind(start, DateTimeKind.Utc)).InZone(zone).Date;
        var month = new LocalDate(first.Year, first.Month, 1);
        var groups = new List<ReportGroup>();
        var boundaries = new List<DateTime>();
        while (true)
        {
            groups.Add(new ReportGroup($"{month.Year:D4}-{month.Month:D2}", $"{MonthNames[month.Month - 1]} {month.Year}", groups.Count));
            var next = month.PlusMonths(1);
            var boundary = zone.AtStartOfDay(next).ToInstant().ToDateTimeUtc();
            if (boundary >= end)
            {
                break;
            }

            boundaries.Add(boundary);
            month = next;
        }

        Groups = groups;
        Boundaries = boundaries;
    }

    /// <summary>One group per month, chronologically.</summary>
    public IReadOnlyList<ReportGroup> Groups { get; }

    /// <summary>UTC start of each month after the first, inside the period.</summary>
    public IReadOnlyList<DateTime> Boundaries { get; }

    /// <summary>The month index of an instant inside the period (the in-memory twin of the SQL expression).</summary>
    public int IndexOf(DateTime utc) => Boundaries.Count(b => b <= utc);
}
